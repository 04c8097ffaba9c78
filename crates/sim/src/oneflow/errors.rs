//! Oneflow's problem-style errors: `{error_code, detail, parameter_problems,
//! request_id, status, title, type}` served as `application/json`, where
//! `error_code` starts with the status and `…0000` codes are generic.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// An Oneflow error response.
#[derive(Clone, Debug, PartialEq)]
pub struct OfError {
    /// HTTP status.
    pub status: u16,
    /// Stable code.
    pub error_code: i64,
    /// Explanation.
    pub detail: String,
    /// Per-parameter problems.
    pub parameter_problems: Map<String, Value>,
}

impl OfError {
    /// A generic error for `status` (`error_code` = status × 10000).
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Self { status, error_code: i64::from(status) * 10_000, detail: detail.into(), parameter_problems: Map::new() }
    }

    /// 400 with one parameter problem.
    pub fn parameter(name: &str, problem: &str) -> Self {
        let mut e = Self::new(400, "Invalid parameters");
        e.parameter_problems.insert(name.to_owned(), json!([problem]));
        e
    }

    /// 401 for a bad token or user email.
    pub fn unauthorized(detail: &str) -> Self {
        Self::new(401, detail)
    }

    /// 404 for a missing resource.
    pub fn not_found(what: &str) -> Self {
        Self::new(404, format!("{what} not found"))
    }

    /// 409 for a state conflict.
    pub fn conflict(detail: &str) -> Self {
        Self::new(409, detail)
    }
}

fn title(status: u16) -> &'static str {
    StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error")
}

fn body(status: u16, error_code: i64, detail: &str, problems: &Map<String, Value>) -> Value {
    json!({
        "error_code": error_code,
        "detail": detail,
        "parameter_problems": problems,
        "request_id": format!("{:032x}", rand::random::<u128>()),
        "status": status,
        "title": title(status),
        "type": format!("https://api.oneflow.com/v1/error_codes/{error_code}"),
    })
}

/// The body for an injected fault's status; a 429 is the documented rate-limit body.
pub fn status_body(status: u16) -> Value {
    if status == 429 {
        return json!({
            "detail": "You have reached the 5 minute rate limit. Please try again later.",
            "error_code": 4_290_000,
            "parameter_problems": {},
            "status": 429,
            "title": "Too Many Requests",
            "info": "https://developer.oneflow.com/reference/api-rate-limit"
        });
    }
    body(status, i64::from(status) * 10_000, title(status), &Map::new())
}

impl IntoResponse for OfError {
    fn into_response(self) -> Response {
        let code = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (code, Json(body(self.status, self.error_code, &self.detail, &self.parameter_problems))).into_response()
    }
}
