//! Teamtailor status and body → [`ErrorKind`]. Bodies are JSON:API
//! `{"errors": [{title, detail, code, source, status}]}` (status as a string
//! or a number); 401 may come with an empty body. A 406 means our
//! `X-Api-Version` is missing or retired: permanent, fixed only by a release.
//! A 429 without `Retry-After` waits out `X-Rate-Limit-Reset` (seconds).

use super::wire::ErrorDocument;
use crate::ErrorKind;
use crate::http::{Failure, HttpResponse, classify_status};
use std::time::Duration;

/// The provider's message: each error's `detail` (or `title`), joined; `None` when the body has none.
pub fn error_message(body: &[u8]) -> Option<String> {
    let doc: ErrorDocument = serde_json::from_slice(body).ok()?;
    let parts: Vec<String> = doc
        .errors
        .iter()
        .filter_map(|e| {
            let text = e.detail.as_deref().or(e.title.as_deref())?.trim();
            (!text.is_empty()).then(|| text.to_owned())
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Teamtailor responses: the shared status mapping with Teamtailor's message.
pub fn classify(response: &HttpResponse) -> Option<Failure> {
    let mut failure = classify_status(response, error_message(&response.body))?;
    if let ErrorKind::RateLimited { retry_after: None } = failure.kind {
        let reset = response.header("x-rate-limit-reset").and_then(|v| v.trim().parse::<u64>().ok());
        failure.kind = ErrorKind::RateLimited { retry_after: reset.map(Duration::from_secs) };
    }
    Some(failure)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, StatusCode};

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn documented_error_bodies_yield_their_detail() {
        let m = |s: &str| error_message(s.as_bytes());
        assert_eq!(
            m(r#"{"errors":[{"title":"can't be blank","detail":"email - can't be blank","code":"100","source":{"pointer":"/data/attributes/email"},"status":"422"}]}"#).as_deref(),
            Some("email - can't be blank")
        );
        assert_eq!(
            m(r#"{"errors":[{"status":406,"title":"Invalid/Missing API Version","detail":"Please provide a correct API version"}]}"#).as_deref(),
            Some("Please provide a correct API version")
        );
        assert_eq!(m(r#"{"errors":[{"title":"Not found"}]}"#).as_deref(), Some("Not found"));
        assert_eq!(m(""), None);
        assert_eq!(m(r#"{"errors":[]}"#), None);
    }

    #[test]
    fn statuses_classify_and_a_429_falls_back_to_the_reset_header() {
        assert_eq!(classify(&response(406, "{}")).unwrap().kind, ErrorKind::Permanent);
        assert_eq!(classify(&response(401, "")).unwrap().kind, ErrorKind::Auth);
        assert_eq!(classify(&response(200, "{}")), None);
        let mut r = response(429, "");
        r.headers.insert("x-rate-limit-reset", HeaderValue::from_static("7"));
        assert_eq!(classify(&r).unwrap().kind, ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(7)) });
    }
}
