//! Greenhouse webhooks: `Signature: sha256 <hex>` is HMAC-SHA256 of the raw
//! body under the webhook's secret key, checked in constant time; the body is
//! `{"action", "payload"}` and `Greenhouse-Event-ID` identifies the delivery.

use crate::people::{Arrived, id_text};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

/// Why a delivery was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No `Signature` header.
    #[error("missing Signature header")]
    MissingSignature,
    /// The header is not `sha256 <hex>`.
    #[error("malformed Signature header")]
    MalformedSignature,
    /// The signature does not match the body.
    #[error("signature does not match")]
    BadSignature,
    /// The body is not a Greenhouse event.
    #[error("body is not a Greenhouse webhook event: {0}")]
    BadPayload(String),
}

/// A verified delivery.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WebhookEvent {
    /// `new_candidate_application`, `candidate_stage_change`, `update_candidate`, ...
    pub action: String,
    /// The event's payload, as sent.
    #[serde(default)]
    pub payload: Value,
}

/// Actions that may put a person on a job or change who they are (an email to import them by).
const PERSON_ACTIONS: [&str; 6] = [
    "new_candidate_application",
    "new_prospect_application",
    "candidate_stage_change",
    "application_updated",
    "update_candidate",
    "unreject_candidate",
];

impl WebhookEvent {
    /// Who the event says was put on or moved within a job, for imports: the candidate (the
    /// surviving one of a merge) and, when the application names exactly one job, that job.
    pub fn arrived(&self) -> Option<Arrived> {
        let p = &self.payload;
        if self.action == "merge_candidate" {
            let person_id = p.pointer("/person/new_candidate_id").and_then(id_text)?;
            return Some(Arrived { person_id: Some(person_id), ..Arrived::default() });
        }
        if !PERSON_ACTIONS.contains(&self.action.as_str()) {
            return None;
        }
        let application = p.get("application");
        let candidate = application.and_then(|a| a.get("candidate")).or_else(|| p.get("candidate"))?;
        let person_id = candidate.get("id").and_then(id_text)?;
        let jobs: Vec<String> = application
            .and_then(|a| a.get("jobs"))
            .and_then(Value::as_array)
            .map(|jobs| jobs.iter().filter_map(|j| j.get("id").and_then(id_text)).collect())
            .unwrap_or_default();
        let target_id = match jobs.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        };
        Some(Arrived { person_id: Some(person_id), placement_id: None, target_id })
    }
}

/// Checks `Signature: sha256 <hex>` against HMAC-SHA256(`secret`, `body`) in constant time.
pub fn verify(secret: &[u8], body: &[u8], signature_header: Option<&str>) -> Result<(), WebhookError> {
    let header = signature_header.ok_or(WebhookError::MissingSignature)?.trim();
    let (algorithm, hex_sig) = header.split_once(' ').ok_or(WebhookError::MalformedSignature)?;
    if !algorithm.eq_ignore_ascii_case("sha256") {
        return Err(WebhookError::MalformedSignature);
    }
    let expected = hex::decode(hex_sig.trim()).map_err(|_| WebhookError::MalformedSignature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| WebhookError::BadSignature)?;
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| WebhookError::BadSignature)
}

/// The `Signature` header value Greenhouse would send (for tests and the simulator's peers).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mac = Hmac::<Sha256>::new_from_slice(secret).map(|mut m| {
        m.update(body);
        hex::encode(m.finalize().into_bytes())
    });
    format!("sha256 {}", mac.unwrap_or_default())
}

/// Verifies, then parses the event.
pub fn parse(secret: &[u8], body: &[u8], signature_header: Option<&str>) -> Result<WebhookEvent, WebhookError> {
    verify(secret, body, signature_header)?;
    serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    // Vectors computed from the documented algorithm (HMAC-SHA256 over the raw body, hex):
    // RFC 4231 test case 2 and a Greenhouse-shaped body with an escaped character.
    const RFC4231_2: &str = "sha256 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn documented_vectors_verify() {
        assert_eq!(sign(b"Jefe", b"what do ya want for nothing?"), RFC4231_2);
        assert_eq!(verify(b"Jefe", b"what do ya want for nothing?", Some(RFC4231_2)), Ok(()));
        let body = br#"{"action":"ping","payload":{"web_hook_id":1,"note":"\u003cb\u003e"}}"#;
        let header = sign(b"s3cret", body);
        let event = parse(b"s3cret", body, Some(&header)).unwrap();
        assert_eq!(event.action, "ping");
    }

    #[test]
    fn the_person_and_their_only_job_are_read_from_application_events() {
        let event = |action: &str, payload: Value| WebhookEvent { action: action.into(), payload };
        let on_job = serde_json::json!({"application": {"id": 9, "candidate": {"id": 4012}, "jobs": [{"id": 77}]}});
        let arrived = event("new_prospect_application", on_job).arrived().unwrap();
        assert_eq!((arrived.person_id.as_deref(), arrived.target_id.as_deref()), (Some("4012"), Some("77")));
        let two_jobs = serde_json::json!({"application": {"candidate": {"id": "5"}, "jobs": [{"id": 1}, {"id": 2}]}});
        assert_eq!(event("candidate_stage_change", two_jobs).arrived().unwrap().target_id, None);
        let update = serde_json::json!({"candidate": {"id": 6}});
        assert_eq!(event("update_candidate", update).arrived().unwrap().person_id.as_deref(), Some("6"));
        let merged = serde_json::json!({"person": {"id": 6, "new_candidate_id": 8}});
        assert_eq!(event("merge_candidate", merged).arrived().unwrap().person_id.as_deref(), Some("8"));
        assert_eq!(event("job_created", serde_json::json!({"job": {"id": 1}})).arrived(), None);
        assert_eq!(event("update_candidate", serde_json::json!({})).arrived(), None);
    }

    #[test]
    fn tampering_and_malformed_headers_are_refused() {
        let body = br#"{"action":"update_candidate","payload":{}}"#;
        let header = sign(b"k", body);
        assert_eq!(verify(b"k", b"{\"action\":\"x\"}", Some(&header)), Err(WebhookError::BadSignature));
        assert_eq!(verify(b"other", body, Some(&header)), Err(WebhookError::BadSignature));
        assert_eq!(verify(b"k", body, None), Err(WebhookError::MissingSignature));
        assert_eq!(verify(b"k", body, Some("sha1 abcd")), Err(WebhookError::MalformedSignature));
        assert_eq!(verify(b"k", body, Some("sha256 zz")), Err(WebhookError::MalformedSignature));
        assert_eq!(verify(b"k", body, Some(&header.to_uppercase().replace("SHA256", "sha256"))), Ok(()));
    }
}
