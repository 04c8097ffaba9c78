//! v1 request checks: the Basic key on every request, and `On-Behalf-Of`
//! naming an active user on every write, before the handler runs.

use crate::greenhouse::GhApp;
use crate::greenhouse::auth::v1_actor;
use crate::greenhouse::errors::GhError;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// Runs a read once the key checks out.
pub(super) fn read(app: &GhApp, headers: &HeaderMap, f: impl FnOnce() -> Result<Response, GhError>) -> Response {
    v1_actor(app, headers, false).and_then(|_| f()).unwrap_or_else(IntoResponse::into_response)
}

/// Runs a write once the key and `On-Behalf-Of` check out.
pub(super) fn write(app: &GhApp, headers: &HeaderMap, f: impl FnOnce() -> Result<Response, GhError>) -> Response {
    v1_actor(app, headers, true).and_then(|_| f()).unwrap_or_else(IntoResponse::into_response)
}
