//! Harvest v3 candidates (§7.7): the list with its email and tag filters,
//! create with an optional nested application, update, and a candidate's
//! employments. Ids stay in the path; bodies are JSON objects.

use super::GhApp;
use super::auth::v3_writer;
use super::body::{json_object, opt_str, reject_unknown, req_id, respond};
use super::errors::GhError;
use super::listing::{Ids, list_handler};
use super::model::{Candidate, Employment, now};
use super::person::{self, V3_PERSON_KEYS};
use super::placements::{self, APPLICATION_KEYS, placement};
use super::webhook;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch};
use axum::{Json, Router};
use serde_json::{Value, json};

/// The candidate and employment routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v3/candidates", get(candidates).post(create_candidate))
        .route("/v3/candidates/{id}", patch(update_candidate))
        .route("/v3/candidate_employments", get(employments).post(create_employment))
        .route("/v3/candidate_employments/{id}", delete(delete_employment))
}

list_handler!(
    candidates,
    &["ids", "email", "tag", "private", "created_at", "updated_at", "last_activity_at", "custom_field_option_id"],
    |s, q| {
        let ids = Ids::of(q, "ids")?;
        let (email, tag) = (q.get("email").map(str::trim), q.get("tag"));
        let mut out = Vec::new();
        let rows: Box<dyn Iterator<Item = &Candidate>> = match email {
            Some(e) => Box::new(s.candidates.with_email(e)),
            None => Box::new(s.candidates.values()),
        };
        for c in rows {
            let email = email.is_none_or(|e| c.email_addresses.iter().any(|a| a.value.eq_ignore_ascii_case(e)));
            let tag = tag.is_none_or(|t| c.tags.iter().any(|x| x == t));
            if ids.keep(Some(c.id)) && email && tag {
                out.push((c.id, c.clone()));
            }
        }
        Ok(out)
    }
);

async fn create_candidate(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        v3_writer(&app, &headers, "create candidate")?;
        let body = json_object(&body)?;
        let mut allowed = V3_PERSON_KEYS.to_vec();
        allowed.push("application");
        reject_unknown(&body, &allowed)?;
        let nested = match body.get("application") {
            None | Some(Value::Null) => None,
            Some(Value::Object(a)) => {
                reject_unknown(a, APPLICATION_KEYS)?;
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
        person::apply_person(&state, &mut candidate, &body, true)?;
        candidate.id = state.next_id();
        state.candidates.insert(candidate.id, candidate.clone());
        let application = match nested.map(|p| placements::add_application(&mut state, candidate.id, &p)).transpose() {
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
        v3_writer(&app, &headers, "update candidate")?;
        let body = json_object(&body)?;
        reject_unknown(&body, V3_PERSON_KEYS)?;
        let mut state = app.lock();
        let mut candidate = state.candidates.get(&id).cloned().ok_or_else(|| GhError::missing("Candidate"))?;
        person::apply_person(&state, &mut candidate, &body, false)?;
        state.candidates.insert(id, candidate.clone());
        drop(state);
        webhook::candidate_updated(&app, &candidate);
        Ok(Json(candidate).into_response())
    })())
}

list_handler!(employments, &["ids", "candidate_ids"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let candidate_ids = Ids::of(q, "candidate_ids")?;
    let mut out = Vec::new();
    for e in s.employments.values() {
        if ids.keep(Some(e.id)) && candidate_ids.keep(Some(e.candidate_id)) {
            out.push((e.id, e.clone()));
        }
    }
    Ok(out)
});

async fn create_employment(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        v3_writer(&app, &headers, "create employment")?;
        let body = json_object(&body)?;
        reject_unknown(&body, &["candidate_id", "company_name", "title", "start_date", "end_date"])?;
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
        person::check_date(&start_date, "start_date")?;
        let end_date = opt_str(&body, "end_date")?;
        if let Some(end) = &end_date {
            person::check_date(end, "end_date")?;
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
        v3_writer(&app, &headers, "delete employment")?;
        app.lock().employments.remove(&id).ok_or_else(|| GhError::missing("Candidate employment"))?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}
