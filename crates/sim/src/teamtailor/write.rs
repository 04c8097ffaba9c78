//! Teamtailor writes: candidates (create with `merge`, update), job
//! applications (create in the job's Inbox, move by `stage` relationship),
//! notes and uploads, with Teamtailor's validation and webhook emission.

use super::TtApp;
use super::auth::check;
use super::body::{WriteDoc, parse};
use super::errors::TtError;
use super::model::{Candidate, JobApplication, Note, TeamtailorState, Upload, now};
use super::read::{base, ok};
use super::render::{Ctx, Kind, resource};
use super::webhook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use serde_json::{Value, json};

const CANDIDATE_ATTRIBUTES: &[&str] = &[
    "email",
    "first-name",
    "last-name",
    "phone",
    "pitch",
    "linkedin-url",
    "tags",
    "unsubscribed",
    "internal",
    "referring-site",
    "referring-url",
    "sourced",
    "merge",
    "send-welcome-message",
    "set-consent-expiration",
];
const APPLICATION_ATTRIBUTES: &[&str] =
    &["cover-letter", "sourced", "send-user-notifications", "send-default-reply", "referring-site", "referring-url"];

/// The write routes.
pub fn routes() -> Router<TtApp> {
    Router::new()
        .route("/v1/candidates", post(create_candidate))
        .route("/v1/candidates/{id}", patch(update_candidate))
        .route("/v1/job-applications", post(create_application))
        .route("/v1/job-applications/{id}", patch(update_application))
        .route("/v1/notes", post(create_note))
        .route("/v1/uploads", post(create_upload))
        .merge(super::values::routes())
}

/// Runs a write and renders its error, if any.
pub fn respond(result: Result<Response, TtError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The created or updated resource, rendered for the caller.
pub fn created(app: &TtApp, headers: &HeaderMap, version: &str, status: StatusCode, kind: Kind, id: i64) -> Response {
    let ctx = Ctx { base: base(headers), include: Vec::new() };
    let data = resource(&app.lock(), &ctx, kind, id).unwrap_or(Value::Null);
    ok(status, version, &json!({ "data": data }))
}

fn apply_candidate(state: &TeamtailorState, c: &mut Candidate, doc: &WriteDoc) -> Result<(), TtError> {
    if let Some(email) = doc.text("email")? {
        let email = email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
        if let Some(e) = &email
            && state.candidate_by_email(e).is_some_and(|other| other.id != c.id)
        {
            return Err(TtError::field("email", "has already been taken"));
        }
        c.email = email;
    }
    for (name, slot) in [
        ("first-name", &mut c.first_name),
        ("last-name", &mut c.last_name),
        ("phone", &mut c.phone),
        ("pitch", &mut c.pitch),
        ("linkedin-url", &mut c.linkedin_url),
        ("referring-site", &mut c.referring_site),
        ("referring-url", &mut c.referring_url),
    ] {
        if let Some(v) = doc.text(name)? {
            *slot = v;
        }
    }
    if c.pitch.as_deref().is_some_and(|p| p.chars().count() > 140) {
        return Err(TtError::field("pitch", "is too long (maximum is 140 characters)"));
    }
    if let Some(tags) = doc.attributes.get("tags") {
        let tags = tags.as_array().ok_or_else(|| TtError::field("tags", "must be an array"))?;
        c.tags = tags
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| TtError::field("tags", "must be strings")))
            .collect::<Result<_, _>>()?;
    }
    for (name, slot) in [("unsubscribed", &mut c.unsubscribed), ("internal", &mut c.internal)] {
        if let Some(b) = doc.flag(name)? {
            *slot = b;
        }
    }
    c.updated_at = now();
    Ok(())
}

async fn create_candidate(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc =
            parse(&headers, &body, "candidates", None, CANDIDATE_ATTRIBUTES, &["locations", "department", "role"])?;
        let merge = doc.flag("merge")?.unwrap_or(false);
        let sourced = doc.flag("sourced")?.unwrap_or(false);
        let email = doc.text("email")?.flatten().map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
        let mut state = app.lock();
        let existing = email.as_deref().and_then(|e| state.candidate_by_email(e)).cloned();
        let (id, event, status) = match existing {
            Some(mut c) if merge => {
                apply_candidate(&state, &mut c, &doc)?;
                state.candidates.insert(c.id, c.clone());
                (c.id, "candidate.update", StatusCode::CREATED)
            }
            Some(_) => return Err(TtError::field("email", "has already been taken")),
            None if email.is_none() && !sourced => return Err(TtError::field("email", "can't be blank")),
            None => {
                let at = now();
                let mut c = Candidate { sourced, created_at: at.clone(), updated_at: at, ..Candidate::default() };
                apply_candidate(&state, &mut c, &doc)?;
                c.id = state.next_id();
                state.candidates.insert(c.id, c.clone());
                (c.id, "candidate.create", StatusCode::CREATED)
            }
        };
        drop(state);
        webhook::candidate(&app, event, id);
        Ok(created(&app, &headers, &version, status, Kind::Candidates, id))
    })())
}

async fn update_candidate(
    State(app): State<TtApp>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let id = raw.parse::<i64>().map_err(|_| TtError::missing("candidates", &raw))?;
        let allowed: Vec<&str> = CANDIDATE_ATTRIBUTES.iter().copied().filter(|a| *a != "merge").collect();
        let doc = parse(&headers, &body, "candidates", Some(id), &allowed, &["locations", "department", "role"])?;
        let mut state = app.lock();
        let mut c = state.candidates.get(&id).cloned().ok_or_else(|| TtError::missing("candidates", &raw))?;
        let before = c.clone();
        apply_candidate(&state, &mut c, &doc)?;
        let changed =
            Candidate { updated_at: String::new(), ..c.clone() } != Candidate { updated_at: String::new(), ..before };
        state.candidates.insert(id, c);
        drop(state);
        if changed {
            webhook::candidate(&app, "candidate.update", id);
        }
        Ok(created(&app, &headers, &version, StatusCode::OK, Kind::Candidates, id))
    })())
}

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

async fn create_note(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc = parse(&headers, &body, "notes", None, &["note"], &["candidate", "user"])?;
        let note = doc
            .text("note")?
            .flatten()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| TtError::field("note", "can't be blank"))?;
        let mut state = app.lock();
        let candidate_id = doc
            .related("candidate")
            .filter(|c| state.candidates.contains_key(c))
            .ok_or_else(|| TtError::field("candidate", "must exist"))?;
        let user_id = doc.related("user");
        if user_id.is_some_and(|u| !state.users.contains_key(&u)) {
            return Err(TtError::field("user", "must exist"));
        }
        let id = state.next_id();
        state.notes.insert(id, Note { id, candidate_id, user_id, note, created_at: now() });
        drop(state);
        Ok(created(&app, &headers, &version, StatusCode::CREATED, Kind::Notes, id))
    })())
}

async fn create_upload(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc = parse(&headers, &body, "uploads", None, &["url", "file-name", "internal"], &["candidate", "job"])?;
        let url = doc
            .text("url")?
            .flatten()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| TtError::field("url", "can't be blank"))?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(TtError::field("url", "is not a valid URL"));
        }
        let mut state = app.lock();
        let candidate_id = doc
            .related("candidate")
            .filter(|c| state.candidates.contains_key(c))
            .ok_or_else(|| TtError::field("candidate", "must exist"))?;
        let file_name =
            doc.text("file-name")?.flatten().unwrap_or_else(|| url.rsplit('/').next().unwrap_or("file").to_owned());
        let internal = doc.flag("internal")?.unwrap_or(false);
        let id = state.next_id();
        state.uploads.insert(id, Upload { id, candidate_id, url, file_name, internal });
        drop(state);
        Ok(created(&app, &headers, &version, StatusCode::CREATED, Kind::Uploads, id))
    })())
}
