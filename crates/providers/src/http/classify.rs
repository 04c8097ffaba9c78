//! A received response and the generic status → [`ErrorKind`] mapping that
//! each provider's classifier builds on.

use super::parse_retry_after;
use crate::ErrorKind;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::time::SystemTime;

/// A fully read response: status, headers and body bytes.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Raw body.
    pub body: Bytes,
}

impl HttpResponse {
    /// Deserialises the body as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_slice(&self.body)
    }

    /// A header's value as text, when present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as lossy text, cut to `max` bytes, for error messages.
    pub fn body_excerpt(&self, max: usize) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut end = text.len().min(max);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].trim().to_owned()
    }
}

/// A classified failure: what to do, and the provider's own words.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// What the engine should do.
    pub kind: ErrorKind,
    /// The provider's message.
    pub message: String,
}

/// A provider's classifier: `None` when the response is a success, even a non-2xx
/// one the provider documents as fine; `Some` when it is a failure (including "200 with errors").
pub type Classify<'a> = &'a (dyn Fn(&HttpResponse) -> Option<Failure> + Send + Sync);

/// The shared mapping: 2xx → success; 429 → RateLimited (with Retry-After);
/// 401/403 → Auth; 408 and 5xx → Transient; other 4xx → Permanent. `message`
/// is the provider's message extracted from the body, if any.
pub fn classify_status(response: &HttpResponse, message: Option<String>) -> Option<Failure> {
    let status = response.status;
    if status.is_success() {
        return None;
    }
    let kind = match status.as_u16() {
        429 => ErrorKind::RateLimited {
            retry_after: response.header("retry-after").and_then(|v| parse_retry_after(v, SystemTime::now())),
        },
        401 | 403 => ErrorKind::Auth,
        408 | 500..=599 => ErrorKind::Transient,
        _ => ErrorKind::Permanent,
    };
    let message = message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| {
        let excerpt = response.body_excerpt(200);
        if excerpt.is_empty() || excerpt.starts_with('<') {
            status.canonical_reason().unwrap_or("unexpected status").to_owned()
        } else {
            excerpt
        }
    });
    Some(Failure { kind, message })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn statuses_map_to_the_documented_kinds() {
        let kind = |s| classify_status(&response(s, ""), None).map(|f| f.kind);
        assert_eq!(kind(200), None);
        assert_eq!(kind(204), None);
        assert_eq!(kind(401), Some(ErrorKind::Auth));
        assert_eq!(kind(403), Some(ErrorKind::Auth));
        assert_eq!(kind(404), Some(ErrorKind::Permanent));
        assert_eq!(kind(422), Some(ErrorKind::Permanent));
        assert_eq!(kind(408), Some(ErrorKind::Transient));
        assert_eq!(kind(503), Some(ErrorKind::Transient));
        assert_eq!(kind(429), Some(ErrorKind::RateLimited { retry_after: None }));
    }

    #[test]
    fn rate_limited_carries_retry_after_and_message_falls_back_to_body() {
        let mut r = response(429, "slow down");
        r.headers.insert("retry-after", http::HeaderValue::from_static("7"));
        let failure = classify_status(&r, None).unwrap();
        assert_eq!(failure.kind, ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(7)) });
        assert_eq!(failure.message, "slow down");
        let html = classify_status(&response(502, "<html>bad gateway</html>"), None).unwrap();
        assert_eq!(html.message, "Bad Gateway");
    }

    #[test]
    fn body_excerpt_never_splits_a_character() {
        assert_eq!(response(500, "ééé").body_excerpt(3), "é");
    }
}
