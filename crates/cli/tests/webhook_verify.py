"""Verifies a captured hiresync webhook with the Standard Webhooks reference library.

Reads {"secret", "headers": {name: value}, "body": "<raw body>"} as JSON on stdin; prints the
verified payload's type and exits 0, or prints why and exits 1. The end-to-end tests run it
with the Python of a virtualenv holding `standardwebhooks` (HIRESYNC_TEST_PYTHON).
"""

import json
import sys

from standardwebhooks.webhooks import Webhook


def main() -> int:
    given = json.load(sys.stdin)
    try:
        payload = Webhook(given["secret"]).verify(given["body"], given["headers"])
    except Exception as e:  # the library raises WebhookVerificationError and friends
        print(f"not verified: {e!r}")
        return 1
    print(f"verified {payload['type']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
