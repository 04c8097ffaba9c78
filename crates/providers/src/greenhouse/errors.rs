//! Greenhouse status and body → [`ErrorKind`]. Bodies come as
//! `{"message": "…"}`, `{"message": [..]}`, `{"message", "errors": "…"}`,
//! `{"message", "errors": [{field, message}]}` or, from the token endpoint,
//! OAuth's `{"error", "error_description"}`; the provider's words are kept.

use crate::ErrorKind;
use crate::http::{Failure, HttpResponse, classify_status};
use serde_json::Value;

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Object(o) => {
            let message = o.get("message").and_then(text);
            match (o.get("field").and_then(Value::as_str), message) {
                (Some(field), Some(m)) => Some(format!("{field}: {m}")),
                (_, m) => m,
            }
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The provider's message from an error body, details included; `None` when the body has none.
pub fn error_message(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let message = v
        .get("message")
        .and_then(text)
        .or_else(|| v.get("error_description").and_then(text))
        .or_else(|| v.get("error").and_then(text));
    let details = v.get("errors").and_then(text);
    match (message, details) {
        (Some(m), Some(d)) if m != d => Some(format!("{m}: {d}")),
        (Some(m), _) => Some(m),
        (None, d) => d,
    }
}

/// Harvest responses: the shared status mapping with Greenhouse's message.
pub fn classify(response: &HttpResponse) -> Option<Failure> {
    classify_status(response, error_message(&response.body))
}

/// Token endpoint responses: any 4xx but 429 means the client or `sub` is wrong, so Auth.
pub fn classify_token(response: &HttpResponse) -> Option<Failure> {
    let mut failure = classify(response)?;
    if failure.kind == ErrorKind::Permanent {
        failure.kind = ErrorKind::Auth;
    }
    Some(failure)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_body_shape_yields_the_message() {
        let m = |s: &str| error_message(s.as_bytes());
        assert_eq!(m(r#"{"message":"Resource not found"}"#).as_deref(), Some("Resource not found"));
        assert_eq!(
            m(r#"{"message":"Resource not found","errors":"Application not found"}"#).as_deref(),
            Some("Resource not found: Application not found")
        );
        assert_eq!(
            m(r#"{"message":"Validation error","errors":[{"message":"Missing required field: body","field":"body"}]}"#)
                .as_deref(),
            Some("Validation error: body: Missing required field: body")
        );
        assert_eq!(
            m(r#"{"errors":[{"message":"Name has already been taken"}]}"#).as_deref(),
            Some("Name has already been taken")
        );
        assert_eq!(
            m(r#"{"message":["first_name is missing","last_name is missing"]}"#).as_deref(),
            Some("first_name is missing; last_name is missing")
        );
        assert_eq!(
            m(r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#).as_deref(),
            Some("Client authentication failed")
        );
        assert_eq!(m("<html>"), None);
        assert_eq!(m("null"), None);
    }
}
