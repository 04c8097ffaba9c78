//! Oneflow webhook notifications (current format): a JSON body
//! `{"contract": {"id"}, "callback_id", "events": [{id, type, created_time}],
//! "signature"}` with no signature header. The signature is the hex SHA-1 of
//! `callback_id + sign_key` (plain SHA-1, not an HMAC) and covers only the
//! callback id, so a verified notification is a hint to re-read the contract,
//! never data to trust. `callback_id` is the same on every retry: it is the
//! idempotency key. Only an HTTP 200 answer counts as delivered.

use serde::Deserialize;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// Why a notification was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No sign key is configured, so nothing can be verified.
    #[error("no webhook sign key is configured")]
    MissingSecret,
    /// The body has no `signature`.
    #[error("missing signature")]
    MissingSignature,
    /// The signature does not match.
    #[error("signature does not match")]
    BadSignature,
    /// The body is not an Oneflow notification.
    #[error("body is not an Oneflow webhook notification: {0}")]
    BadPayload(String),
}

/// `{"id"}` of the contract a notification is about.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NotificationContract {
    /// Contract id.
    pub id: i64,
}

/// One event of a notification.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NotificationEvent {
    /// Event id.
    pub id: i64,
    /// `contract:sign`, `data_field:update`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// When it happened (`2020-07-06T15:14:14+0000`).
    #[serde(default)]
    pub created_time: Option<String>,
}

/// A verified notification.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Notification {
    /// The contract.
    pub contract: NotificationContract,
    /// Same for every retry of one notification.
    pub callback_id: String,
    /// The events.
    #[serde(default)]
    pub events: Vec<NotificationEvent>,
    /// `sha1(callback_id + sign_key)`, hex.
    #[serde(default)]
    pub signature: Option<String>,
}

impl Notification {
    /// Whether any event has `kind`.
    pub fn has(&self, kind: &str) -> bool {
        self.events.iter().any(|e| e.kind == kind)
    }
}

/// The signature Oneflow sends for `callback_id` under `sign_key`.
pub fn sign(callback_id: &str, sign_key: &str) -> String {
    let mut hash = Sha1::new();
    hash.update(callback_id.as_bytes());
    hash.update(sign_key.as_bytes());
    hex::encode(hash.finalize())
}

/// Whether two signatures are equal, compared in constant time so timing reveals no prefix.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Parses the body, then checks its `signature` against `sign_key` in constant time.
pub fn parse(sign_key: &str, body: &[u8]) -> Result<Notification, WebhookError> {
    if sign_key.is_empty() {
        return Err(WebhookError::MissingSecret);
    }
    let notification: Notification =
        serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    let received = notification.signature.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let received = received.ok_or(WebhookError::MissingSignature)?.to_ascii_lowercase();
    let expected = sign(&notification.callback_id, sign_key);
    if !same(expected.as_bytes(), received.as_bytes()) {
        return Err(WebhookError::BadSignature);
    }
    Ok(notification)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    // SHA-1 vectors: FIPS 180 "abc", and the documented concatenation ("ab" + "c" hashes like "abc").
    const SHA1_ABC: &str = "a9993e364706816aba3e25717850c26c9cd0d89d";

    #[test]
    fn the_documented_concatenation_hashes_like_known_vectors() {
        assert_eq!(sign("abc", ""), SHA1_ABC);
        assert_eq!(sign("ab", "c"), SHA1_ABC);
        assert_eq!(sign("", ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    #[test]
    fn a_signed_notification_parses_and_tampering_is_refused() {
        let callback = "0123456789abcdef0123456789abcdef01234567";
        let body = format!(
            r#"{{"contract":{{"id":101}},"callback_id":"{callback}","events":[{{"id":2322,"type":"contract:publish","created_time":"2020-07-06T15:14:14+0000"}}],"signature":"{}"}}"#,
            sign(callback, "key")
        );
        let n = parse("key", body.as_bytes()).unwrap();
        assert_eq!((n.contract.id, n.events[0].id), (101, 2322));
        assert!(n.has("contract:publish") && !n.has("contract:sign"));
        assert_eq!(parse("other", body.as_bytes()), Err(WebhookError::BadSignature));
        assert_eq!(parse("", body.as_bytes()), Err(WebhookError::MissingSecret));
        let unsigned = body.replace(&sign(callback, "key"), "");
        assert_eq!(parse("key", unsigned.as_bytes()), Err(WebhookError::MissingSignature));
        let upper = body.replace(&sign(callback, "key"), &sign(callback, "key").to_uppercase());
        assert!(parse("key", upper.as_bytes()).is_ok());
        assert!(matches!(parse("key", b"{}"), Err(WebhookError::BadPayload(_))));
    }
}
