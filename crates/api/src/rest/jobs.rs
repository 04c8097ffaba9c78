//! The queue as users see it: jobs of the workspace (the dead-letter list
//! above all) and a manual retry of a dead job.

use crate::body::jobs::{JobFilter, JobOut, JobState, RetriedOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::rest::connections;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::collections::HashSet;

/// The workspace's most recent jobs, optionally in one state.
#[utoipa::path(get, path = "/v1/jobs", tag = "jobs", params(JobFilter), responses(
    (status = 200, description = "The workspace's 500 most recent jobs", body = [JobOut]),
    (status = 422, description = "Unknown state")))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(filter): Query<JobFilter>,
) -> ApiResult<Json<Vec<JobOut>>> {
    let jobs = state.store.list_jobs(caller.workspace_id.as_str(), filter.state.map(JobState::as_str), 500).await?;
    // A private connection's jobs and errors are its owner's and the administrators' to see.
    let mut db = state.store.db().await?;
    let hidden: HashSet<String> = hiresync_store::connections::list(&mut db, &caller.workspace_id)
        .await?
        .into_iter()
        .filter(|k| !super::connections::usable_by(&caller, k))
        .map(|k| k.id.as_str().to_owned())
        .collect();
    let shown = jobs.into_iter().filter(|j| j.connection_id.as_ref().is_none_or(|c| !hidden.contains(c)));
    Ok(Json(shown.map(JobOut::from).collect()))
}

/// Puts a dead job back in the queue with fresh attempts: any of the workspace's for owners and
/// managers, a member's own (on their personal connection) for a member.
#[utoipa::path(post, path = "/v1/jobs/{id}/retry", tag = "jobs",
    params(("id" = i64, Path, description = "The job's id")), responses(
    (status = 202, description = "Queued again", body = RetriedOut), (status = 403, description = "A member retries only jobs of their own connection"),
    (status = 404, description = "No dead job with that id in this workspace"),
    (status = 422, description = "The id is not an integer")))]
pub async fn retry(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<RetriedOut>)> {
    if !caller.role.administers() {
        let job = state.store.job(caller.workspace_id.as_str(), id).await?.ok_or(ApiError::NotFound("dead job"))?;
        let Some(connection_id) = job.connection_id else {
            return Err(ApiError::Forbidden("only owners and managers retry workspace jobs"));
        };
        let conn = match connections::load(&state, &caller, &connection_id).await {
            Ok(conn) => conn,
            // Another user's private connection: its jobs are not the member's to see.
            Err(ApiError::NotFound(_)) => return Err(ApiError::NotFound("dead job")),
            Err(e) => return Err(e),
        };
        if conn.user_id.as_ref() != Some(&caller.id) {
            return Err(ApiError::Forbidden("a member retries only jobs of their own connection"));
        }
    }
    state.store.retry_job(caller.workspace_id.as_str(), id).await.map_err(|e| match e {
        hiresync_store::StoreError::NotFound => ApiError::NotFound("dead job"),
        other => other.into(),
    })?;
    state.wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(RetriedOut { id, state: JobState::Queued })))
}
