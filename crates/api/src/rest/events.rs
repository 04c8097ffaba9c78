//! `POST /v1/events`: a batch of up to 1000 outreach events, validated whole,
//! stored with their decisions and jobs all or nothing, answered after commit.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::event::MAX_BATCH;
use hiresync_core::{EventIn, ValidationError};
use serde_json::{Value, json};

/// Accepts a batch of events.
#[utoipa::path(post, path = "/v1/events", tag = "events", responses(
    (status = 202, description = "Durable: {accepted, duplicates}"),
    (status = 400, description = "Not JSON"),
    (status = 422, description = "An invalid event (named by its index) rejected the whole batch")))]
pub async fn post(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    let Value::Array(raw) = body else { return Err(ApiError::field("", "must be a JSON array of events")) };
    if raw.len() > MAX_BATCH {
        return Err(ApiError::field("", format!("at most {MAX_BATCH} events per batch; got {}", raw.len())));
    }
    let mut batch = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        match EventIn::parse(r) {
            Ok(e) => batch.push(e),
            Err(e) => errors.extend(e.within(&format!("[{i}]")).errors),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(ValidationError { errors }));
    }
    let done = state.intake.submit(&caller.workspace_id, &caller.id, batch).await?;
    state.metrics.events_accepted.inc_by(done.accepted as u64);
    state.metrics.events_duplicate.inc_by(done.duplicates as u64);
    if done.jobs > 0 {
        state.wake.notify_one();
    }
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"accepted": done.accepted, "duplicates": done.duplicates}))))
}
