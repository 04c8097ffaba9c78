//! What one request may cost: a body limit per route, checked against
//! `Content-Length` before reading and counted while reading; a time limit;
//! and a cap on requests served at once, so one caller's flood queues behind
//! the cap instead of taking every database connection.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// A batch of 1000 events with long message bodies.
pub const EVENTS_BODY: usize = 16 * 1024 * 1024;
/// Every other body: a contact, settings, a webhook delivery.
pub const SMALL_BODY: usize = 256 * 1024;
/// Longest a request may take, interactive provider look-ups included.
pub const REQUEST_TIME: Duration = Duration::from_secs(60);
/// Requests served at once; more wait for a turn within [`REQUEST_TIME`].
pub const CONCURRENT_REQUESTS: usize = 256;

/// The body limit of a route.
pub fn body_limit(path: &str) -> usize {
    if path == "/v1/events" { EVENTS_BODY } else { SMALL_BODY }
}

/// Refuses a body over its route's limit from its `Content-Length`, and caps what is read of
/// one that did not say (a 413 either way).
pub async fn limit_body(req: Request, next: Next) -> Response {
    let limit = body_limit(req.uri().path());
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::TooLarge(limit).into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(BodyLimit(limit));
    next.run(req).await
}

/// The body limit [`limit_body`] set for this request, for the extractor's 413.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// Serves at most [`CONCURRENT_REQUESTS`] at once, each within [`REQUEST_TIME`] (a 503 with
/// `Retry-After` past it, waiting for a turn included).
pub async fn limit_time(turns: Arc<Semaphore>, req: Request, next: Next) -> Response {
    let served = async {
        let _turn = turns.acquire().await;
        next.run(req).await
    };
    match tokio::time::timeout(REQUEST_TIME, served).await {
        Ok(response) => response,
        Err(_) => ApiError::TimedOut.into_response(),
    }
}
