//! The queue as users see it: jobs of the workspace (the dead-letter list
//! above all) and a manual retry of a dead job.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

/// Filters for the job list.
#[derive(Deserialize)]
pub struct JobFilter {
    /// `queued`, `running`, `done` or `dead`.
    state: Option<String>,
}

/// The workspace's most recent jobs, optionally in one state.
#[utoipa::path(get, path = "/v1/jobs", tag = "jobs", params(("state" = Option<String>, Query,
    description = "queued | running | done | dead")),
    responses((status = 200, description = "[{id, kind, state, attempts, last_error, connection_id, contact}]")))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(filter): Query<JobFilter>,
) -> ApiResult<axum::Json<Value>> {
    if let Some(s) = &filter.state
        && !["queued", "running", "done", "dead"].contains(&s.as_str())
    {
        return Err(ApiError::field("state", "must be queued, running, done or dead"));
    }
    let jobs = state.store.list_jobs(caller.workspace_id.as_str(), filter.state.as_deref(), 500).await?;
    Ok(axum::Json(
        jobs.into_iter()
            .map(|j| {
                json!({"id": j.id, "kind": j.kind, "state": j.state, "attempts": j.attempts,
                    "last_error": j.last_error, "connection_id": j.connection_id, "contact": j.contact_id})
            })
            .collect(),
    ))
}

/// Puts a dead job back in the queue with fresh attempts.
#[utoipa::path(post, path = "/v1/jobs/{id}/retry", tag = "jobs", responses(
    (status = 202, description = "Queued again"), (status = 403, description = "Owners and managers only"),
    (status = 404, description = "No dead job with that id in this workspace")))]
pub async fn retry(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers retry jobs"));
    }
    state.store.retry_job(caller.workspace_id.as_str(), id).await.map_err(|e| match e {
        hiresync_store::StoreError::NotFound => ApiError::NotFound("dead job"),
        other => other.into(),
    })?;
    state.wake.notify_one();
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"id": id, "state": "queued"}))))
}
