//! One error type for every handler, rendered as `application/problem+json`
//! (RFC 9457) with a stable `type`, and `errors[]` naming each field at fault.
//! 5xx bodies never carry internal detail; the cause is logged once here.

pub use crate::body::problem::{Problem, ProblemField};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hiresync_core::{FieldError, ValidationError};
use hiresync_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON (400).
    #[error("{0}")]
    Malformed(String),
    /// The body is larger than the route takes (413).
    #[error("the body is larger than the {0} bytes this route takes")]
    TooLarge(usize),
    /// The request took longer than the server gives one (503).
    #[error("the request took too long; try again")]
    TimedOut,
    /// Missing or unknown bearer token (401).
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// A webhook whose signature does not verify (401); the signature is its only credential.
    #[error("{0}")]
    BadSignature(String),
    /// The caller's role may not do this (403).
    #[error("{0}")]
    Forbidden(&'static str),
    /// Nothing of that name in the caller's workspace (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write conflicts with what exists (409).
    #[error("{0}")]
    Conflict(String),
    /// Well-formed but invalid input (422).
    #[error("{}", summary(.0))]
    Invalid(ValidationError),
    /// The workspace has as much of this kind of work in flight as it may (429).
    #[error("{0}")]
    TooMany(String),
    /// A provider could not be reached to answer (502).
    #[error("{0}")]
    Upstream(String),
    /// The database is busy or unreachable (503).
    #[error("the service is busy; try again")]
    Unavailable,
    /// A bug or an unexpected failure (500); the cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

fn summary(e: &ValidationError) -> String {
    match e.errors.as_slice() {
        [one] if one.field.is_empty() => one.message.clone(),
        [one] => format!("{}: {}", one.field, one.message),
        many => format!("{} fields are invalid", many.len()),
    }
}

impl ApiError {
    /// A 422 naming one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid(ValidationError::field(field, message))
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TimedOut => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unauthorized | ApiError::BadSignature(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Upstream(_) => StatusCode::BAD_GATEWAY,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::Malformed(_) => "malformed-json",
            ApiError::TooLarge(_) => "payload-too-large",
            ApiError::TimedOut => "timed-out",
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadSignature(_) => "bad-signature",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Invalid(_) => "validation",
            ApiError::TooMany(_) => "too-many-in-flight",
            ApiError::Upstream(_) => "provider-unreachable",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::Invalid(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound("object"),
            StoreError::Conflict { constraint } => ApiError::Conflict(format!("already exists ({constraint})")),
            StoreError::Busy(_) | StoreError::Unavailable(_) => ApiError::Unavailable,
            other => ApiError::Internal(format!("{other}: {:?}", std::error::Error::source(&other))),
        }
    }
}

impl From<hiresync_engine::IngestError> for ApiError {
    fn from(e: hiresync_engine::IngestError) -> Self {
        match e {
            hiresync_engine::IngestError::Invalid(v) => ApiError::Invalid(v),
            hiresync_engine::IngestError::Store(s) => s.into(),
            e @ hiresync_engine::IngestError::Interrupted => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<hiresync_engine::contract::ContractError> for ApiError {
    fn from(e: hiresync_engine::contract::ContractError) -> Self {
        use hiresync_engine::contract::ContractError;
        match e {
            ContractError::Invalid(v) => ApiError::Invalid(v),
            ContractError::Store(s) => s.into(),
            ContractError::Provider(p) => match p.kind() {
                hiresync_providers::ErrorKind::Permanent | hiresync_providers::ErrorKind::Auth => {
                    ApiError::Upstream(format!("{} refused the request: {}", p.provider, p.message))
                }
                _ => ApiError::Upstream(format!("{} could not be reached: {}", p.provider, p.message)),
            },
            ContractError::Broken(why) => ApiError::Internal(why),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "Request failed with an internal error.");
        }
        let errors = match &self {
            ApiError::Invalid(v) => Some(
                v.errors
                    .iter()
                    .map(|FieldError { field, message }| ProblemField {
                        field: field.clone(),
                        message: message.clone(),
                    })
                    .collect(),
            ),
            _ => None,
        };
        let body = Problem {
            kind: format!("https://hiresync.dev/problems/{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            errors,
        };
        let mut response = (status, axum::Json(body)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if matches!(self, ApiError::Unavailable | ApiError::TimedOut) {
            // The database is busy or out of reach: nothing was accepted, and the caller may try again.
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if matches!(self, ApiError::TooMany(_)) {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        if matches!(self, ApiError::Unauthorized) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
