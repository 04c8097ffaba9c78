//! Oneflow status and body → [`ErrorKind`]. Bodies are problem-style
//! `{error_code, detail, parameter_problems, request_id, status, title, type}`
//! served as `application/json`. A 302 (file download redirect) is a success.
//! Oneflow documents no `Retry-After` on its 429s; the window is 5 minutes per
//! token, so without the header a 429 waits for the next 5-minute boundary.

use super::wire::ErrorBody;
use crate::ErrorKind;
use crate::http::{Failure, HttpResponse, classify_status};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Length of Oneflow's rate-limit window.
pub const RATE_WINDOW: Duration = Duration::from_secs(300);

fn problems(v: &Value) -> Option<String> {
    let map = v.as_object().filter(|m| !m.is_empty())?;
    let parts: Vec<String> = map
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}: {s}"),
            Value::Array(items) => {
                format!(
                    "{k}: {}",
                    items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            other => format!("{k}: {other}"),
        })
        .collect();
    Some(parts.join("; "))
}

/// The provider's message (`detail` or `title`, then parameter problems, then the error code).
pub fn error_message(body: &[u8]) -> Option<String> {
    let e: ErrorBody = serde_json::from_slice(body).ok()?;
    let head = e.detail.or(e.title).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let details = e.parameter_problems.as_ref().and_then(problems);
    let text = match (head, details) {
        (Some(h), Some(d)) => format!("{h} ({d})"),
        (Some(h), None) => h,
        (None, Some(d)) => d,
        (None, None) => return None,
    };
    Some(match e.error_code {
        Some(code) => format!("{text} [error_code {code}]"),
        None => text,
    })
}

/// Time until the next 5-minute boundary after `now`.
pub fn until_next_window(now: SystemTime) -> Duration {
    let secs = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    Duration::from_secs(RATE_WINDOW.as_secs() - secs % RATE_WINDOW.as_secs())
}

/// Oneflow responses: 302 passes, then the shared status mapping with Oneflow's message.
pub fn classify(response: &HttpResponse) -> Option<Failure> {
    if response.status.as_u16() == 302 {
        return None;
    }
    let mut failure = classify_status(response, error_message(&response.body))?;
    if let ErrorKind::RateLimited { retry_after: None } = failure.kind {
        failure.kind = ErrorKind::RateLimited { retry_after: Some(until_next_window(SystemTime::now())) };
    }
    Some(failure)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};

    #[test]
    fn documented_bodies_yield_detail_problems_and_code() {
        let rate = r#"{"detail":"You have reached the 5 minute rate limit.","error_code":4290000,"parameter_problems":{},"status":429,"title":"Too Many Requests","info":"x"}"#;
        assert_eq!(
            error_message(rate.as_bytes()).as_deref(),
            Some("You have reached the 5 minute rate limit. [error_code 4290000]")
        );
        let bad = r#"{"error_code":4000000,"detail":"Invalid parameters","parameter_problems":{"limit":["Must be between 1 and 100."]},"status":400,"title":"Bad Request"}"#;
        assert_eq!(
            error_message(bad.as_bytes()).as_deref(),
            Some("Invalid parameters (limit: Must be between 1 and 100.) [error_code 4000000]")
        );
        assert_eq!(error_message(b"{}"), None);
        assert_eq!(error_message(b"<html>"), None);
    }

    #[test]
    fn a_429_without_retry_after_waits_for_the_window_and_302_passes() {
        let response = |status: u16| HttpResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        };
        let ErrorKind::RateLimited { retry_after: Some(wait) } = classify(&response(429)).unwrap().kind else {
            panic!("expected a wait");
        };
        assert!(wait <= RATE_WINDOW && !wait.is_zero());
        assert_eq!(classify(&response(302)), None);
        assert_eq!(classify(&response(401)).unwrap().kind, ErrorKind::Auth);
        assert_eq!(until_next_window(UNIX_EPOCH + Duration::from_secs(601)), Duration::from_secs(299));
    }
}
