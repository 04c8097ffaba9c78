//! Clockwork status and body → [`crate::ErrorKind`]. The v3 error body is
//! `[U]`; v1 sent `{"data": {"message": "…"}}` (`[S]` CW-ZAP), so that and the
//! common `{"message"}`, `{"error"}` and `{"errors"}` shapes are all read.

use crate::http::{Failure, HttpResponse, classify_status};
use serde_json::Value;

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Object(o) => o.get("message").and_then(text).or_else(|| {
            // Rails-style `{"field": ["is invalid"]}` validation maps.
            let parts: Vec<String> = o.iter().filter_map(|(k, v)| text(v).map(|m| format!("{k}: {m}"))).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }),
        _ => None,
    }
}

/// The provider's message from an error body; `None` when it has none.
pub fn error_message(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let inner = v.get("data").filter(|d| d.is_object()).unwrap_or(&v);
    let message = ["message", "error", "detail"].iter().find_map(|k| inner.get(*k).and_then(text));
    let details = inner.get("errors").and_then(text);
    match (message, details) {
        (Some(m), Some(d)) if m != d => Some(format!("{m}: {d}")),
        (Some(m), _) => Some(m),
        (None, d) => d,
    }
}

/// Clockwork responses: the shared status mapping with Clockwork's message.
pub fn classify(response: &HttpResponse) -> Option<Failure> {
    classify_status(response, error_message(&response.body))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn every_accepted_body_shape_yields_the_message() {
        let m = |s: &str| error_message(s.as_bytes());
        assert_eq!(m(r#"{"data":{"message":"Person not found"}}"#).as_deref(), Some("Person not found"));
        assert_eq!(m(r#"{"message":"Unauthorized"}"#).as_deref(), Some("Unauthorized"));
        assert_eq!(m(r#"{"error":{"message":"Invalid API key"}}"#).as_deref(), Some("Invalid API key"));
        assert_eq!(
            m(r#"{"message":"Validation failed","errors":{"name":["can't be blank"]}}"#).as_deref(),
            Some("Validation failed: name: can't be blank")
        );
        assert_eq!(m(r#"{"errors":["a","b"]}"#).as_deref(), Some("a; b"));
        assert_eq!(m("<html>"), None);
        assert_eq!(m(r#"{"data":null}"#), None);
    }
}
