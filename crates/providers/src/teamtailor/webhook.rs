//! Teamtailor company webhooks. The body is `{"payload": {event_name, data},
//! "signature"}`; `TT-Signature` repeats `signature`. v2 (recommended) is
//! base64 of `t=<unix>,v2=<hex HMAC-SHA256(key, "<t>." + payload)>`; v1
//! (deprecated) is base64 of the hex HMAC-SHA256 of `payload.data.id`.
//!
//! The payload is signed as Teamtailor serialised it: its raw bytes in the
//! body are tried first, then the same bytes with insignificant whitespace
//! removed (what `JSON.stringify` in Teamtailor's reference code produces).
//! Teamtailor documents no timestamp tolerance; a v2 delivery signed more
//! than [`TOLERANCE_SECS`] from now is refused as a replay, as Standard
//! Webhooks receivers do. v1 proves only that someone once saw the id, so it
//! is refused unless the connection opts in. Deliveries are not retried
//! (changelog 2026-03-19), so receivers must also reconcile by polling.

use crate::people::{Arrived, id_text};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Why a delivery was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// Neither the `TT-Signature` header nor the body carries a signature.
    #[error("missing TT-Signature")]
    MissingSignature,
    /// The signature is not base64 of a v1 or v2 signature.
    #[error("malformed TT-Signature")]
    MalformedSignature,
    /// The signature does not match.
    #[error("signature does not match")]
    BadSignature,
    /// The body is not a Teamtailor webhook.
    #[error("body is not a Teamtailor webhook: {0}")]
    BadPayload(String),
    /// A v2 signature made too long ago (or ahead): a replay, or a clock far off.
    #[error("signed at {0}, more than 5 minutes from now")]
    Stale(i64),
    /// A deprecated v1 signature, which this connection does not accept.
    #[error("a v1 signature (it signs only the resource id); send v2, or set webhook_v1 in the credentials")]
    V1Refused,
}

/// How far a v2 signing time may stand from now, either way.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// What a receiver accepts besides a matching signature.
#[derive(Clone, Copy, Debug)]
pub struct Acceptance {
    /// The receiver's clock (Unix seconds), for the v2 timestamp.
    pub now: i64,
    /// Whether deprecated v1 signatures are accepted.
    pub v1: bool,
}

/// A verified delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// `candidate.update`, `job_application.create`, ...
    pub event_name: String,
    /// The resource's id (text).
    pub id: String,
    /// The resource type (`candidates`, `job-applications`, `jobs`).
    pub kind: String,
    /// The resource's attributes as sent (job applications use snake_case).
    pub attributes: Value,
    /// v2 signing time; none for v1.
    pub signed_at: Option<i64>,
    /// What the signature covers, for telling a replay from a new delivery: padding or
    /// reformatting the body does not change it.
    pub delivery_key: String,
}

impl WebhookEvent {
    /// Who the event says was put on or moved within a job, for imports: a job application's
    /// id and job (its body names no candidate), or a created or changed candidate.
    pub fn arrived(&self) -> Option<Arrived> {
        match (self.kind.as_str(), self.event_name.as_str()) {
            (_, "job_application.create" | "job_application.update") => Some(Arrived {
                person_id: None,
                placement_id: Some(self.id.clone()),
                target_id: self.attributes.get("job_id").and_then(id_text),
            }),
            ("candidates", "candidate.create" | "candidate.update") => {
                Some(Arrived { person_id: Some(self.id.clone()), ..Arrived::default() })
            }
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    payload: &'a RawValue,
    #[serde(default)]
    signature: Option<String>,
}

#[derive(Deserialize)]
struct Payload {
    event_name: String,
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    #[serde(deserialize_with = "super::wire::id_text")]
    id: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    attributes: Value,
}

fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// Whether two signatures are equal, compared in constant time so timing reveals no prefix.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// The JSON text without whitespace outside strings.
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The v2 signature for `payload` (the payload object's JSON text) signed at `timestamp`.
pub fn sign_v2(key: &[u8], timestamp: i64, payload: &str) -> String {
    let t = timestamp.to_string();
    let hex = hmac_hex(key, &[t.as_bytes(), b".", payload.as_bytes()]);
    STANDARD.encode(format!("t={t},v2={hex}"))
}

/// The deprecated v1 signature for a resource id.
pub fn sign_v1(key: &[u8], id: &str) -> String {
    STANDARD.encode(hmac_hex(key, &[id.as_bytes()]))
}

/// Verifies the delivery's signature (header first, then the body's `signature`) as `accept`
/// allows, and parses it.
pub fn parse(
    key: &[u8],
    body: &[u8],
    signature_header: Option<&str>,
    accept: Acceptance,
) -> Result<WebhookEvent, WebhookError> {
    let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    let payload: Payload =
        serde_json::from_str(envelope.payload.get()).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    let signature = signature_header
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or(envelope.signature.as_deref())
        .ok_or(WebhookError::MissingSignature)?;
    let decoded = STANDARD.decode(signature.trim()).map_err(|_| WebhookError::MalformedSignature)?;
    let decoded = String::from_utf8(decoded).map_err(|_| WebhookError::MalformedSignature)?;
    let (signed_at, delivery_key) = if decoded.starts_with("t=") {
        let (t, received) = parse_v2(&decoded)?;
        let raw = envelope.payload.get();
        let matches =
            |text: &str| same(hmac_hex(key, &[t.to_string().as_bytes(), b".", text.as_bytes()]).as_bytes(), received);
        if !matches(raw) && !matches(&minify(raw)) {
            return Err(WebhookError::BadSignature);
        }
        // Checked after the signature, so an unsigned stale body is reported as unsigned.
        if (accept.now - t).abs() > TOLERANCE_SECS {
            return Err(WebhookError::Stale(t));
        }
        (Some(t), format!("v2:{t}:{}", String::from_utf8_lossy(received).to_ascii_lowercase()))
    } else {
        let received = decoded.trim().to_ascii_lowercase();
        if !received.bytes().all(|b| b.is_ascii_hexdigit()) || received.len() != 64 {
            return Err(WebhookError::MalformedSignature);
        }
        if !same(hmac_hex(key, &[payload.data.id.as_bytes()]).as_bytes(), received.as_bytes()) {
            return Err(WebhookError::BadSignature);
        }
        if !accept.v1 {
            return Err(WebhookError::V1Refused);
        }
        // v1 signs only the id: the payload as Teamtailor wrote it (whitespace aside) tells deliveries apart.
        let digest = hex::encode(<Sha256 as sha2::Digest>::digest(minify(envelope.payload.get()).as_bytes()));
        (None, format!("v1:{}:{digest}", payload.data.id))
    };
    Ok(WebhookEvent {
        event_name: payload.event_name,
        id: payload.data.id,
        kind: payload.data.kind,
        attributes: payload.data.attributes,
        signed_at,
        delivery_key,
    })
}

fn parse_v2(decoded: &str) -> Result<(i64, &[u8]), WebhookError> {
    let mut t = None;
    let mut v2 = None;
    for part in decoded.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.trim().parse::<i64>().ok(),
            Some(("v2", value)) => v2 = Some(value.trim()),
            _ => {}
        }
    }
    match (t, v2) {
        (Some(t), Some(hex)) if !hex.is_empty() => Ok((t, hex.as_bytes())),
        _ => Err(WebhookError::MalformedSignature),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    // Vectors from the documented algorithm with RFC 4231 test case 2's key and message
    // ("Jefe", "what do ya want for nothing?"): HMAC-SHA256 hex is 5bdcc146…3843.
    #[test]
    fn documented_algorithms_reproduce_known_vectors() {
        assert_eq!(
            STANDARD.decode(sign_v1(b"Jefe", "what do ya want for nothing?")).unwrap(),
            b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // v2 over "1701234567." + payload, vector computed independently (Python hmac, base64).
        let payload = r#"{"event_name":"candidate.update","data":{"id":"42","type":"candidates"}}"#;
        assert_eq!(
            sign_v2(b"k", 1_701_234_567, payload),
            "dD0xNzAxMjM0NTY3LHYyPWQzZGUyZjE3OGMwMjE5ZTc2ZTZkZjY3ODIyYjk1YzE1YWY4ZGNlNjJiY2ZhMGMwNDJiNTllZmZlZWVkMzMzYjg="
        );
    }

    const NOW: i64 = 1_700_000_000;

    fn parse_at(key: &[u8], body: &[u8], sig: Option<&str>) -> Result<WebhookEvent, WebhookError> {
        parse(key, body, sig, Acceptance { now: NOW, v1: true })
    }

    #[test]
    fn v2_and_v1_deliveries_verify_from_header_or_body() {
        let payload = r#"{"event_name":"job.update","data":{"id":"2","type":"jobs","attributes":{"title":"IT"}}}"#;
        let sig = sign_v2(b"key", 1_700_000_000, payload);
        let body = format!(r#"{{"payload":{payload},"signature":"{sig}"}}"#);
        let event = parse_at(b"key", body.as_bytes(), Some(&sig)).unwrap();
        assert_eq!((event.event_name.as_str(), event.id.as_str()), ("job.update", "2"));
        assert_eq!(event.signed_at, Some(1_700_000_000));
        assert!(parse_at(b"key", body.as_bytes(), None).is_ok(), "the body's signature is enough");
        let pretty = format!("{{\n  \"payload\": {},\n  \"signature\": \"{sig}\"\n}}", payload.replace(',', ", "));
        assert!(parse_at(b"key", pretty.as_bytes(), None).is_ok(), "whitespace outside strings is not signed");
        let v1 = sign_v1(b"key", "2");
        assert_eq!(
            parse_at(b"key", format!(r#"{{"payload":{payload}}}"#).as_bytes(), Some(&v1)).unwrap().signed_at,
            None
        );
    }

    #[test]
    fn tampering_and_malformed_signatures_are_refused() {
        let payload = r#"{"event_name":"candidate.create","data":{"id":"9","type":"candidates"}}"#;
        let sig = sign_v2(b"key", NOW, payload);
        let tampered = format!(r#"{{"payload":{},"signature":"{sig}"}}"#, payload.replace('9', "8"));
        assert_eq!(parse_at(b"key", tampered.as_bytes(), None), Err(WebhookError::BadSignature));
        let body = format!(r#"{{"payload":{payload}}}"#);
        assert_eq!(parse_at(b"other", body.as_bytes(), Some(&sig)), Err(WebhookError::BadSignature));
        assert_eq!(parse_at(b"key", body.as_bytes(), None), Err(WebhookError::MissingSignature));
        assert_eq!(parse_at(b"key", body.as_bytes(), Some("%%%")), Err(WebhookError::MalformedSignature));
        let no_hmac = STANDARD.encode(format!("t={NOW},v2="));
        assert_eq!(parse_at(b"key", body.as_bytes(), Some(&no_hmac)), Err(WebhookError::MalformedSignature));
        assert!(matches!(parse_at(b"key", b"[]", Some(&sig)), Err(WebhookError::BadPayload(_))));
    }

    #[test]
    fn stale_signatures_v1_without_consent_and_padded_replays_are_told_apart() {
        let payload = r#"{"event_name":"candidate.update","data":{"id":"5","type":"candidates"}}"#;
        let sig = sign_v2(b"key", NOW, payload);
        let body = format!(r#"{{"payload":{payload},"signature":"{sig}"}}"#);
        let at = |now, v1| Acceptance { now, v1 };
        assert!(parse(b"key", body.as_bytes(), None, at(NOW + 300, false)).is_ok());
        assert_eq!(parse(b"key", body.as_bytes(), None, at(NOW + 301, false)), Err(WebhookError::Stale(NOW)));
        assert_eq!(parse(b"key", body.as_bytes(), None, at(NOW - 301, false)), Err(WebhookError::Stale(NOW)));
        let padded = format!("{{ \"payload\" : {payload} ,  \"signature\":\"{sig}\", \"x\": [1,2,3] }}");
        let (a, b) = (
            parse(b"key", body.as_bytes(), None, at(NOW, false)).unwrap(),
            parse(b"key", padded.as_bytes(), None, at(NOW, false)).unwrap(),
        );
        assert_eq!(a.delivery_key, b.delivery_key, "padding does not make a new delivery");
        let later = sign_v2(b"key", NOW + 1, payload);
        let again = format!(r#"{{"payload":{payload},"signature":"{later}"}}"#);
        assert_ne!(parse(b"key", again.as_bytes(), None, at(NOW, false)).unwrap().delivery_key, a.delivery_key);
        let v1 = sign_v1(b"key", "5");
        let v1_body = format!(r#"{{"payload":{payload}}}"#);
        assert_eq!(parse(b"key", v1_body.as_bytes(), Some(&v1), at(NOW, false)), Err(WebhookError::V1Refused));
        assert!(parse(b"key", v1_body.as_bytes(), Some(&v1), at(NOW, true)).is_ok());
        assert_eq!(parse(b"other", v1_body.as_bytes(), Some(&v1), at(NOW, false)), Err(WebhookError::BadSignature));
    }
}
