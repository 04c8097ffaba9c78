//! Legacy Harvest v1 (reads with `Link` page pagination; writes need
//! `On-Behalf-Of`): the subset hiresync's legacy path uses, rendered in v1
//! shapes (`is_private`, embedded applications, `keyed_custom_fields`).

use super::GhApp;
use super::auth::v1_actor;
use super::errors::GhError;
use super::model::{Candidate, GreenhouseState, Note, now};
use super::paging::{page_v1, parse_v1};
use super::v3_read::base;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// The v1 routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/candidates", get(candidates))
        .route("/v1/jobs", get(jobs))
        .route("/v1/candidates/{id}/activity_feed/notes", post(create_note))
}

fn render(s: &GreenhouseState, c: &Candidate) -> Value {
    let applications: Vec<Value> = s
        .applications
        .values()
        .filter(|a| a.candidate_id == c.id)
        .map(|a| {
            let stage = s.current_stage(a.id).and_then(|r| s.job_stages.get(&r.job_interview_stage_id));
            let jobs: Vec<Value> = a
                .job_id
                .and_then(|j| s.jobs.get(&j))
                .map(|j| json!({"id": j.id, "name": j.name}))
                .into_iter()
                .collect();
            let status = if a.status == "in_process" { "active" } else { a.status.as_str() };
            json!({"id": a.id, "candidate_id": a.candidate_id, "prospect": a.prospect, "status": status, "jobs": jobs,
                   "current_stage": stage.map(|st| json!({"id": st.id, "name": st.name}))})
        })
        .collect();
    let plain: serde_json::Map<String, Value> =
        c.custom_fields.iter().map(|(k, v)| (k.clone(), v.get("value").cloned().unwrap_or(Value::Null))).collect();
    json!({
        "id": c.id, "first_name": c.first_name, "last_name": c.last_name, "company": c.company, "title": c.title,
        "is_private": c.private, "can_email": c.can_email, "tags": c.tags, "photo_url": null, "attachments": [],
        "email_addresses": c.email_addresses, "phone_numbers": c.phone_numbers, "addresses": c.addresses,
        "website_addresses": c.website_addresses, "social_media_addresses": c.social_media_addresses,
        "application_ids": applications.iter().filter_map(|a| a.get("id").cloned()).collect::<Vec<_>>(),
        "applications": applications, "recruiter": null, "coordinator": null,
        "custom_fields": plain, "keyed_custom_fields": c.custom_fields,
        "created_at": c.created_at, "updated_at": c.updated_at, "last_activity": c.last_activity_at,
    })
}

async fn candidates(State(app): State<GhApp>, headers: HeaderMap, uri: Uri) -> Response {
    let run = || -> Result<Response, GhError> {
        v1_actor(&app, &headers, false)?;
        let q = parse_v1(uri.query(), &["email", "job_id", "candidate_ids", "updated_after", "created_after"])?;
        let s = app.lock();
        let ids = q.ids("candidate_ids")?;
        let rows = s
            .candidates
            .values()
            .filter(|c| {
                q.get("email").is_none_or(|e| c.email_addresses.iter().any(|a| a.value.eq_ignore_ascii_case(e.trim())))
            })
            .filter(|c| q.get("email").is_some() || ids.as_ref().is_none_or(|ids| ids.contains(&c.id)))
            .map(|c| (c.id, render(&s, c)))
            .collect();
        Ok(page_v1(rows, &q, &base(&headers), uri.path()))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

async fn jobs(State(app): State<GhApp>, headers: HeaderMap, uri: Uri) -> Response {
    let run = || -> Result<Response, GhError> {
        v1_actor(&app, &headers, false)?;
        let q = parse_v1(uri.query(), &["status", "department_id", "office_id"])?;
        let s = app.lock();
        let rows = s
            .jobs
            .values()
            .filter(|j| q.get("status").is_none_or(|st| st == j.status))
            .map(|j| {
                (j.id, json!({"id": j.id, "name": j.name, "status": j.status, "requisition_id": j.requisition_id}))
            })
            .collect();
        Ok(page_v1(rows, &q, &base(&headers), uri.path()))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

async fn create_note(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    let run = || -> Result<Response, GhError> {
        v1_actor(&app, &headers, true)?;
        let text = body
            .get("body")
            .and_then(Value::as_str)
            .filter(|b| !b.trim().is_empty())
            .ok_or_else(|| GhError::field("body", "Missing required field: body"))?;
        let user_id = body
            .get("user_id")
            .and_then(Value::as_i64)
            .ok_or_else(|| GhError::field("user_id", "Missing required field: user_id"))?;
        let visibility = body
            .get("visibility")
            .and_then(Value::as_str)
            .filter(|v| ["admin_only", "private", "public"].contains(v))
            .ok_or_else(|| GhError::field("visibility", "Missing required field: visibility"))?;
        let mut s = app.lock();
        if !s.candidates.contains_key(&id) || !s.users.contains_key(&user_id) {
            return Err(GhError::NotFound(None));
        }
        let note_id = s.next_id();
        let created_at = now();
        s.notes.insert(
            note_id,
            Note {
                id: note_id,
                candidate_id: Some(id),
                body: text.into(),
                kind: "NOTE".into(),
                user_id: Some(user_id),
                visibility: format!("{visibility}_visible"),
                created_at: created_at.clone(),
                ..Note::default()
            },
        );
        let user = s.users.get(&user_id).map(|u| json!({"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "name": format!("{} {}", u.first_name, u.last_name), "employee_id": null}));
        // `visiblity` is Greenhouse's kept legacy typo.
        Ok((StatusCode::CREATED, Json(json!({"id": note_id, "created_at": created_at, "body": text, "user": user, "private": visibility != "public", "visiblity": visibility, "visibility": visibility}))).into_response())
    };
    run().unwrap_or_else(IntoResponse::into_response)
}
