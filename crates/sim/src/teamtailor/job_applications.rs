//! Job application writes: a new application lands in the job's Inbox (a
//! second one to the same job is a 422), and a move is a `stage`
//! relationship; both fire webhooks as Teamtailor would.

use super::TtApp;
use super::auth::check;
use super::body::parse;
use super::errors::TtError;
use super::model::{JobApplication, TeamtailorState, now};
use super::render::{Kind, created, respond};
use super::webhook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{patch, post};

/// The job application write routes.
pub fn routes() -> Router<TtApp> {
    Router::new()
        .route("/v1/job-applications", post(create_application))
        .route("/v1/job-applications/{id}", patch(update_application))
}

const APPLICATION_ATTRIBUTES: &[&str] =
    &["cover-letter", "sourced", "send-user-notifications", "send-default-reply", "referring-site", "referring-url"];

async fn create_application(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc = parse(&headers, &body, "job-applications", None, APPLICATION_ATTRIBUTES, &["candidate", "job"])?;
        let candidate = doc.related("candidate").ok_or_else(|| TtError::field("candidate", "can't be blank"))?;
        let job = doc.related("job").ok_or_else(|| TtError::field("job", "can't be blank"))?;
        let id = app.add_application(candidate, job)?;
        let mut state = app.lock();
        if let Some(a) = state.job_applications.get_mut(&id) {
            a.sourced = doc.flag("sourced")?.unwrap_or(false);
            a.cover_letter = doc.text("cover-letter")?.flatten();
        }
        drop(state);
        webhook::application(&app, "job_application.create", id);
        Ok(created(&app, &headers, &version, StatusCode::CREATED, Kind::JobApplications, id))
    })())
}

/// Validates and stores a new application of `candidate` to `job`, in the job's Inbox.
pub fn insert_application(state: &mut TeamtailorState, candidate: i64, job: i64) -> Result<i64, TtError> {
    if !state.candidates.contains_key(&candidate) {
        return Err(TtError::field("candidate", "must exist"));
    }
    if !state.jobs.contains_key(&job) {
        return Err(TtError::field("job", "must exist"));
    }
    if state.job_applications.values().any(|a| a.candidate_id == candidate && a.job_id == job) {
        return Err(TtError::field("candidate", "has already applied to this job"));
    }
    let stages = state.job_stages(job);
    let inbox = stages.iter().find(|s| s.stage_type == "Inbox").or(stages.first()).map(|s| s.id);
    let stage_id = inbox.ok_or_else(|| TtError::field("job", "has no stages"))?;
    let at = now();
    let id = state.next_id();
    state.job_applications.insert(
        id,
        JobApplication {
            id,
            candidate_id: candidate,
            job_id: job,
            stage_id,
            changed_stage_at: at.clone(),
            created_at: at.clone(),
            updated_at: at,
            ..JobApplication::default()
        },
    );
    Ok(id)
}

async fn update_application(
    State(app): State<TtApp>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let id = raw.parse::<i64>().map_err(|_| TtError::missing("job-applications", &raw))?;
        let doc = parse(
            &headers,
            &body,
            "job-applications",
            Some(id),
            &["cover-letter", "rejected-at"],
            &["stage", "reject-reason"],
        )?;
        let mut state = app.lock();
        let mut a =
            state.job_applications.get(&id).cloned().ok_or_else(|| TtError::missing("job-applications", &raw))?;
        let before = a.clone();
        if let Some(stage) = doc.related("stage") {
            if state.stages.get(&stage).is_none_or(|s| s.job_id != a.job_id) {
                return Err(TtError::field("stage", "must belong to the job of the application"));
            }
            if stage != a.stage_id {
                a.stage_id = stage;
                a.changed_stage_at = now();
            }
        }
        if let Some(letter) = doc.text("cover-letter")? {
            a.cover_letter = letter;
        }
        if let Some(rejected) = doc.text("rejected-at")? {
            a.rejected_at = rejected;
        }
        let changed = a != before;
        if changed {
            a.updated_at = now();
        }
        state.job_applications.insert(id, a);
        drop(state);
        if changed {
            webhook::application(&app, "job_application.update", id);
        }
        Ok(created(&app, &headers, &version, StatusCode::OK, Kind::JobApplications, id))
    })())
}
