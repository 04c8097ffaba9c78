//! Failures: the dead jobs the user may see, with the reason each died, and retrying one or all.

use super::page::{Chrome, Flash, after, error_page, html};
use super::session::{Change, Session};
use crate::body::jobs::{JobFilter, JobOut, JobState};
use crate::extract::{Caller, Json, Path, Query};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// The failures page.
#[derive(Template)]
#[template(path = "failures.html")]
pub struct FailuresPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// Dead jobs, newest first.
    pub jobs: Vec<JobOut>,
}

async fn dead(state: &AppState, session: &Session) -> Result<Vec<JobOut>, crate::ApiError> {
    let filter = JobFilter { state: Some(JobState::Dead) };
    let Json(jobs) = rest::jobs::list(State(state.clone()), Caller(session.user.clone()), Query(filter)).await?;
    Ok(jobs)
}

/// `GET /console/failures`.
pub async fn page(State(state): State<AppState>, session: Session, Query(flash): Query<Flash>) -> Response {
    match dead(&state, &session).await {
        Ok(jobs) => html(StatusCode::OK, &FailuresPage { chrome: Chrome::new(&session, "failures", &flash), jobs }),
        Err(e) => error_page(&session, &e),
    }
}

/// `POST /console/failures/{id}/retry`.
pub async fn retry(State(state): State<AppState>, Path(id): Path<i64>, change: Change) -> Response {
    let done = rest::jobs::retry(State(state), Caller(change.session.user.clone()), Path(id)).await;
    after("/console/failures", done, &format!("Job {id} is queued again."))
}

/// `POST /console/failures/retry-all`: retries every dead job shown that the user may retry.
pub async fn retry_all(State(state): State<AppState>, change: Change) -> Response {
    let jobs = match dead(&state, &change.session).await {
        Ok(jobs) => jobs,
        Err(e) => return after("/console/failures", Err::<(), _>(e), ""),
    };
    let (mut queued, mut refused) = (0, 0);
    for job in jobs {
        match rest::jobs::retry(State(state.clone()), Caller(change.session.user.clone()), Path(job.id)).await {
            Ok(_) => queued += 1,
            Err(_) => refused += 1,
        }
    }
    let note = if refused == 0 {
        format!("{queued} job(s) queued again.")
    } else {
        format!("{queued} job(s) queued again; {refused} not yours to retry.")
    };
    after("/console/failures", Ok(()), &note)
}
