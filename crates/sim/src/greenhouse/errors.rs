//! Greenhouse's error bodies: `{"message"}`, `{"message","errors":"…"}` for
//! a missing record, and `{"message","errors":[{field,message}]}` for 422s.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A Greenhouse error response.
#[derive(Clone, Debug, PartialEq)]
pub enum GhError {
    /// 404 `{"message":"Resource not found"}`, with `errors` naming the record when the route exists.
    NotFound(Option<String>),
    /// 401 with a message.
    Unauthorized(String),
    /// 403 with a message.
    Forbidden(String),
    /// 400 with a message.
    BadRequest(String),
    /// 422 validation error with `(field, message)` pairs.
    Invalid(Vec<(String, String)>),
    /// 422 `Invalid query params: …`.
    InvalidQuery(Vec<String>),
}

impl GhError {
    /// A 422 for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![(field.to_owned(), message.into())])
    }

    /// A 404 for a missing record of `what` (`Candidate`, `Application`, ...).
    pub fn missing(what: &str) -> Self {
        Self::NotFound(Some(format!("{what} not found")))
    }
}

/// The body Greenhouse sends for a status without more detail (used for injected faults).
pub fn status_body(status: u16) -> Value {
    let message = match status {
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Resource not found",
        429 => "Too Many Requests",
        500..=599 => "Internal Server Error",
        _ => "Request failed",
    };
    json!({ "message": message })
}

impl IntoResponse for GhError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            GhError::NotFound(None) => (StatusCode::NOT_FOUND, json!({"message": "Resource not found"})),
            GhError::NotFound(Some(what)) => {
                (StatusCode::NOT_FOUND, json!({"message": "Resource not found", "errors": what}))
            }
            GhError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, json!({ "message": m })),
            GhError::Forbidden(m) => (StatusCode::FORBIDDEN, json!({ "message": m })),
            GhError::BadRequest(m) => (StatusCode::BAD_REQUEST, json!({ "message": m })),
            GhError::Invalid(errors) => {
                let errors: Vec<Value> =
                    errors.into_iter().map(|(field, message)| json!({"field": field, "message": message})).collect();
                (StatusCode::UNPROCESSABLE_ENTITY, json!({"message": "Validation error", "errors": errors}))
            }
            GhError::InvalidQuery(params) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "message": format!("Invalid query params: {}", params.join(", ")) }),
            ),
        };
        (status, Json(body)).into_response()
    }
}
