//! Clockwork's error bodies. The v3 shape is unknown, so the simulator sends
//! v1's `{"data": {"message": "…"}}` (the one shape on record) with v1's
//! statuses: 400 for a bad request, 401 for credentials, 404 for a record.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A Clockwork error response.
#[derive(Clone, Debug, PartialEq)]
pub enum CwError {
    /// 400: the body or query is wrong.
    BadRequest(String),
    /// 401: missing or wrong API key, secret or firm service key.
    Unauthorized,
    /// 404: no such firm or record (`Person`, `Project`, ...).
    NotFound(String),
}

impl CwError {
    /// A 404 for a missing record of `what`.
    pub fn missing(what: &str) -> Self {
        Self::NotFound(format!("{what} not found"))
    }
}

/// The body for `status`, as injected faults and 429s use it.
pub fn status_body(status: u16) -> Value {
    let message = match status {
        400 => "Bad Request",
        401 => "Invalid API credentials",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500..=599 => "Internal Server Error",
        _ => "Request failed",
    };
    json!({"data": {"message": message}})
}

impl IntoResponse for CwError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            CwError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            CwError::Unauthorized => (StatusCode::UNAUTHORIZED, "Invalid API credentials".to_owned()),
            CwError::NotFound(m) => (StatusCode::NOT_FOUND, m),
        };
        (status, Json(json!({"data": {"message": message}}))).into_response()
    }
}
