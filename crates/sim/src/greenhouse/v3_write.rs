//! Harvest v3 writes (§7.7–7.10): candidates with an optional nested
//! application, applications, moves, prospect pool moves, notes and
//! employments. Ids stay in the path; bodies are JSON objects.

use super::GhApp;
use super::auth::v3_actor;
use super::errors::GhError;
use super::model::{Candidate, Employment, Note, now};
use super::ops::{self, Placement, V3_PERSON_KEYS, opt_id, opt_str, req_id};
use super::webhook;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, patch, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

type Body = Map<String, Value>;

/// The v3 write routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v3/candidates", post(create_candidate))
        .route("/v3/candidates/{id}", patch(update_candidate))
        .route("/v3/applications", post(create_application))
        .route("/v3/applications/{id}", patch(update_application))
        .route("/v3/applications/{id}/move", post(move_application))
        .route("/v3/applications/{id}/convert_to_candidate", post(convert_to_candidate))
        .route("/v3/notes", post(create_note))
        .route("/v3/candidate_employments", post(create_employment))
        .route("/v3/candidate_employments/{id}", delete(delete_employment))
}

pub(super) fn json_object(body: &[u8]) -> Result<Body, GhError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GhError::BadRequest("Request body must be a JSON object".into())),
    }
}

fn respond(result: Result<Response, GhError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

pub(super) fn placement(body: &Body) -> Result<Placement, GhError> {
    let prospect = matches!(body.get("prospect"), Some(Value::Bool(true)))
        || body.get("prospect").and_then(Value::as_str) == Some("true");
    if prospect {
        let job_ids = match body.get("job_ids") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|v| v.as_i64().ok_or_else(|| GhError::field("job_ids", "must be integers")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(GhError::field("job_ids", "must be an array")),
        };
        Ok(Placement::Prospect {
            pool_id: opt_id(body, "prospect_pool_id")?,
            pool_stage_id: opt_id(body, "prospect_pool_stage_id")?,
            job_ids,
        })
    } else {
        Ok(Placement::Job { job_id: req_id(body, "job_id")?, stage_id: opt_id(body, "initial_stage_id")? })
    }
}

const APPLICATION_KEYS: &[&str] = &[
    "candidate_id",
    "job_id",
    "initial_stage_id",
    "source_id",
    "referrer_id",
    "recruiter_id",
    "coordinator_id",
    "prospect",
    "prospect_pool_id",
    "prospect_pool_stage_id",
    "prospect_owner_id",
    "job_ids",
];

async fn create_candidate(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        let mut allowed = V3_PERSON_KEYS.to_vec();
        allowed.push("application");
        ops::reject_unknown(&body, &allowed)?;
        let nested = match body.get("application") {
            None | Some(Value::Null) => None,
            Some(Value::Object(a)) => {
                ops::reject_unknown(a, APPLICATION_KEYS)?;
                Some(placement(a)?)
            }
            Some(_) => return Err(GhError::field("application", "must be an object")),
        };
        let mut state = app.lock();
        let at = now();
        let mut candidate = Candidate {
            can_email: true,
            created_at: at.clone(),
            updated_at: at.clone(),
            last_activity_at: at,
            ..Candidate::default()
        };
        ops::apply_person(&state, &mut candidate, &body, true)?;
        candidate.id = state.next_id();
        state.candidates.insert(candidate.id, candidate.clone());
        let application = match nested.map(|p| ops::add_application(&mut state, candidate.id, &p)).transpose() {
            Ok(a) => a,
            Err(e) => {
                // Creation is all or nothing, as Greenhouse validates the whole body first.
                state.candidates.remove(&candidate.id);
                return Err(e);
            }
        };
        drop(state);
        if let Some(a) = &application {
            webhook::application_created(&app, a);
        }
        Ok((StatusCode::CREATED, Json(json!({"candidate": candidate, "application": application}))).into_response())
    })())
}

async fn update_candidate(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(&body, V3_PERSON_KEYS)?;
        let mut state = app.lock();
        let mut candidate = state.candidates.get(&id).cloned().ok_or_else(|| GhError::missing("Candidate"))?;
        ops::apply_person(&state, &mut candidate, &body, false)?;
        state.candidates.insert(id, candidate.clone());
        drop(state);
        webhook::candidate_updated(&app, &candidate);
        Ok(Json(candidate).into_response())
    })())
}

async fn create_application(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(&body, APPLICATION_KEYS)?;
        let candidate_id = req_id(&body, "candidate_id")?;
        let placement = placement(&body)?;
        let created = ops::add_application(&mut app.lock(), candidate_id, &placement)?;
        webhook::application_created(&app, &created);
        Ok((StatusCode::CREATED, Json(created)).into_response())
    })())
}

async fn update_application(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(
            &body,
            &[
                "source_id",
                "referrer_id",
                "recruiter_id",
                "coordinator_id",
                "prospect_pool_id",
                "prospect_stage_id",
                "custom_fields",
                "rejected_at",
            ],
        )?;
        let mut state = app.lock();
        if !state.applications.contains_key(&id) {
            return Err(GhError::missing("Application"));
        }
        if body.contains_key("prospect_pool_id") || body.contains_key("prospect_stage_id") {
            ops::move_prospect(
                &mut state,
                id,
                opt_id(&body, "prospect_pool_id")?,
                opt_id(&body, "prospect_stage_id")?,
                "prospect_stage_id",
            )?;
        }
        let a = state.applications.get_mut(&id).ok_or_else(|| GhError::missing("Application"))?;
        for (field, slot) in [
            ("source_id", &mut a.source_id),
            ("referrer_id", &mut a.referrer_id),
            ("recruiter_id", &mut a.recruiter_id),
            ("coordinator_id", &mut a.coordinator_id),
        ] {
            if body.contains_key(field) {
                *slot = opt_id(&body, field)?;
            }
        }
        a.updated_at = now();
        Ok(Json(a.clone()).into_response())
    })())
}

async fn move_application(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(&body, &["from_stage_id", "to_stage_id", "to_job_id"])?;
        if opt_id(&body, "to_job_id")?.is_some() {
            return Err(GhError::field("to_job_id", "Moving to another job is not simulated"));
        }
        let moved =
            ops::move_application(&mut app.lock(), id, req_id(&body, "from_stage_id")?, opt_id(&body, "to_stage_id")?)?;
        webhook::stage_changed(&app, &moved);
        Ok(Json(moved).into_response())
    })())
}

async fn convert_to_candidate(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(&body, &["job_id", "to_job_interview_stage_id"])?;
        let job = req_id(&body, "job_id")?;
        let created = ops::convert_prospect(&mut app.lock(), id, job, opt_id(&body, "to_job_interview_stage_id")?)?;
        webhook::application_created(&app, &created);
        Ok((StatusCode::CREATED, Json(created)).into_response())
    })())
}

pub(super) fn string_list(body: &Body, field: &str) -> Result<Vec<String>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| GhError::field(field, "must be an array of strings")))
            .collect(),
        Some(_) => Err(GhError::field(field, "must be an array of strings")),
    }
}

async fn create_note(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        let sub = v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(
            &body,
            &[
                "candidate_id",
                "application_id",
                "user_id",
                "body",
                "visibility",
                "note_type",
                "subject",
                "email_from",
                "email_to",
                "email_cc",
            ],
        )?;
        let candidate_id = req_id(&body, "candidate_id")?;
        let text = opt_str(&body, "body")?
            .filter(|b| !b.trim().is_empty())
            .ok_or_else(|| GhError::field("body", "Missing required field: body"))?;
        let visibility = match opt_str(&body, "visibility")?.as_deref() {
            Some("admin_only") => "admin_only_visible",
            Some("private") => "privately_visible",
            Some("public") => "publicly_visible",
            _ => {
                return Err(GhError::field(
                    "visibility",
                    "visibility must be one of [\"admin_only\",\"private\",\"public\"]",
                ));
            }
        };
        // Live tenants reject lower case although the message lists lower-case values.
        let kind = match opt_str(&body, "note_type")?.as_deref() {
            Some(k @ ("NOTE" | "ACTIVITY" | "EMAIL")) => k.to_owned(),
            _ => {
                return Err(GhError::field("note_type", "note_type must be one of [\"email\",\"activity\",\"note\"]"));
            }
        };
        let subject = opt_str(&body, "subject")?;
        let (from, to, cc) =
            (string_list(&body, "email_from")?, string_list(&body, "email_to")?, string_list(&body, "email_cc")?);
        if kind == "EMAIL"
            && (subject.as_deref().is_none_or(|s| s.trim().is_empty()) || from.is_empty() || to.is_empty())
        {
            return Err(GhError::Invalid(vec![(
                "subject".into(),
                "EMAIL notes need subject, email_from and email_to".into(),
            )]));
        }
        let mut state = app.lock();
        let id = state.next_id();
        let note = Note {
            id,
            candidate_id: Some(candidate_id),
            application_id: opt_id(&body, "application_id")?,
            body: text,
            subject,
            kind,
            user_id: opt_id(&body, "user_id")?.or(sub),
            email_from: from,
            email_to: to,
            email_cc: cc,
            visibility: visibility.into(),
            import_hash: None,
            created_at: now(),
        };
        state.notes.insert(id, note.clone());
        Ok((StatusCode::CREATED, Json(note)).into_response())
    })())
}

async fn create_employment(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        let body = json_object(&body)?;
        ops::reject_unknown(&body, &["candidate_id", "company_name", "title", "start_date", "end_date"])?;
        let candidate_id = req_id(&body, "candidate_id")?;
        let mut errors = Vec::new();
        let mut required = |f: &str| match opt_str(&body, f) {
            Ok(Some(v)) if !v.trim().is_empty() => v,
            _ => {
                errors.push((f.to_owned(), format!("Missing required field: {f}")));
                String::new()
            }
        };
        let (company_name, title, start_date) = (required("company_name"), required("title"), required("start_date"));
        if !errors.is_empty() {
            return Err(GhError::Invalid(errors));
        }
        ops::check_date(&start_date, "start_date")?;
        let end_date = opt_str(&body, "end_date")?;
        if let Some(end) = &end_date {
            ops::check_date(end, "end_date")?;
        }
        let mut state = app.lock();
        if !state.candidates.contains_key(&candidate_id) {
            return Err(GhError::missing("Candidate"));
        }
        let id = state.next_id();
        let employment =
            Employment { id, candidate_id, company_name, title, latest: end_date.is_none(), start_date, end_date };
        state.employments.insert(id, employment.clone());
        Ok((StatusCode::CREATED, Json(employment)).into_response())
    })())
}

async fn delete_employment(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    respond((|| {
        v3_actor(&app, &headers)?;
        app.lock().employments.remove(&id).ok_or_else(|| GhError::missing("Candidate employment"))?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}
