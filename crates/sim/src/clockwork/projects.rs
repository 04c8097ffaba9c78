//! Projects, candidate statuses, candidacies (a person on a project with a
//! status) and webhook registration. A status change emits
//! `candidacy_updated` to every registered hook.

use super::auth::check;
use super::body::{opt_str, req_str, respond, wrapped};
use super::errors::CwError;
use super::model::{Candidacy, ClockworkState, Hook, now};
use super::paging::{page, parse};
use super::{CwApp, render, webhook};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde_json::json;

/// The project, status, candidacy and webhook routes.
pub fn routes() -> Router<CwApp> {
    Router::new()
        .route("/v3.0/{firm}/projects", get(projects))
        .route("/v3.0/{firm}/statuses", get(statuses))
        .route("/v3.0/{firm}/projects/{id}/candidacies", get(candidacies).post(create_candidacy))
        .route("/v3.0/{firm}/candidacies/{id}", patch(update_candidacy))
        .route("/v3.0/{firm}/webhooks", post(register))
        .route("/v3.0/{firm}/webhooks/{id}", delete(unregister))
}

/// The status a new candidacy gets without one: Research, else the first in order.
pub fn default_status(s: &ClockworkState) -> Option<String> {
    let mut statuses: Vec<_> = s.statuses.values().collect();
    statuses.sort_by_key(|st| st.sort_order);
    statuses.iter().find(|st| st.name.eq_ignore_ascii_case("Research")).or(statuses.first()).map(|st| st.id.clone())
}

/// Validates and adds a candidacy.
pub fn add_candidacy(
    s: &mut ClockworkState,
    project_id: &str,
    person_id: &str,
    status_id: Option<String>,
) -> Result<Candidacy, CwError> {
    if !s.projects.contains_key(project_id) {
        return Err(CwError::missing("Project"));
    }
    if !s.people.contains_key(person_id) {
        return Err(CwError::BadRequest(format!("Person {person_id} not found")));
    }
    if s.candidacies.values().any(|c| c.project_id == project_id && c.person_id == person_id) {
        return Err(CwError::BadRequest("Person is already a candidate on this project".into()));
    }
    if let Some(status) = &status_id
        && !s.statuses.contains_key(status)
    {
        return Err(CwError::BadRequest(format!("Status {status} not found")));
    }
    let at = now();
    let rank = s.candidacies.values().filter(|c| c.project_id == project_id).count() as i64 + 1;
    let c = Candidacy {
        id: s.next_id(),
        project_id: project_id.to_owned(),
        person_id: person_id.to_owned(),
        status_id: status_id.or_else(|| default_status(s)),
        rank,
        stoplight_status: None,
        created_at: at.clone(),
        updated_at: at,
    };
    s.candidacies.insert(c.id.clone(), c.clone());
    Ok(c)
}

async fn projects(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, uri: Uri) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        Ok(page("projects", app.lock().projects.values().cloned().collect(), &q))
    })())
}

async fn statuses(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, uri: Uri) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        let mut rows: Vec<_> = app.lock().statuses.values().cloned().collect();
        rows.sort_by_key(|st| st.sort_order);
        Ok(page("statuses", rows, &q))
    })())
}

async fn candidacies(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        let include = q.get("include").is_some_and(|i| i.split(',').any(|x| x.trim() == "person"));
        let s = app.lock();
        if !s.projects.contains_key(&id) {
            return Err(CwError::missing("Project"));
        }
        let rows = s.candidacies.values().filter(|c| c.project_id == id).map(|c| render::candidacy(&s, c, include));
        Ok(page("candidacies", rows.collect(), &q))
    })())
}

async fn create_candidacy(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let f = wrapped(&body, "candidacy")?;
        let person = req_str(&f, "personId")?;
        let created = add_candidacy(&mut app.lock(), &id, &person, opt_str(&f, "statusId")?)?;
        Ok((StatusCode::CREATED, Json(json!({"candidacy": created}))).into_response())
    })())
}

async fn update_candidacy(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let status = req_str(&wrapped(&body, "candidacy")?, "statusId")?;
        let mut s = app.lock();
        if !s.statuses.contains_key(&status) {
            return Err(CwError::BadRequest(format!("Status {status} not found")));
        }
        let c = s.candidacies.get_mut(&id).ok_or_else(|| CwError::missing("Candidacy"))?;
        let changed = c.status_id.as_deref() != Some(status.as_str());
        if changed {
            c.status_id = Some(status);
            c.updated_at = now();
        }
        let c = c.clone();
        drop(s);
        if changed {
            webhook::candidacy_updated(&app, &c);
        }
        Ok(Json(json!({"candidacy": c})).into_response())
    })())
}

async fn register(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, body: Bytes) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let url = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("hook_url").and_then(|u| u.as_str()).map(str::to_owned))
            .filter(|u| u.starts_with("http"))
            .ok_or_else(|| CwError::BadRequest("hook_url must be an http(s) URL".into()))?;
        let mut s = app.lock();
        let hook = Hook { id: s.next_id(), hook_url: url };
        s.hooks.insert(hook.id.clone(), hook.clone());
        Ok((StatusCode::CREATED, Json(json!({"id": hook.id}))).into_response())
    })())
}

async fn unregister(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id)): Path<(String, String)>,
) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        app.lock().hooks.remove(&id).ok_or_else(|| CwError::missing("Webhook"))?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}
