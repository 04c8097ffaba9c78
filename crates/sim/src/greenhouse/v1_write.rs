//! Legacy Harvest v1 writes (§1.3): every one needs `On-Behalf-Of` naming an
//! active user. Ids stay in the path; answers use the v1 renderings.

use super::GhApp;
use super::auth::v1_actor;
use super::errors::GhError;
use super::model::{Candidate, Employment, Note, now};
use super::ops::{self, V3_PERSON_KEYS, opt_id, opt_str, req_id};
use super::v1_render;
use super::v3_write::{json_object, placement, string_list};
use super::webhook;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, patch, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

/// The v1 write routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/prospects", post(create_prospect))
        .route("/v1/candidates", post(create_candidate))
        .route("/v1/candidates/{id}", patch(update_candidate))
        .route("/v1/candidates/{id}/applications", post(add_application))
        .route("/v1/applications/{id}", patch(update_application))
        .route("/v1/applications/{id}/move", post(move_application))
        .route("/v1/candidates/{id}/activity_feed/notes", post(create_note))
        .route("/v1/candidates/{id}/activity_feed/emails", post(create_email))
        .route("/v1/candidates/{id}/employments", post(create_employment))
        .route("/v1/candidates/{cid}/employments/{eid}", delete(delete_employment))
}

/// Runs a write once the key and `On-Behalf-Of` check out.
fn write(app: &GhApp, headers: &HeaderMap, f: impl FnOnce() -> Result<Response, GhError>) -> Response {
    v1_actor(app, headers, true).and_then(|_| f()).unwrap_or_else(IntoResponse::into_response)
}

async fn create_prospect(State(app): State<GhApp>, headers: HeaderMap, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let mut allowed = V3_PERSON_KEYS.to_vec();
        allowed.push("application");
        ops::reject_unknown(&body, &allowed)?;
        let mut nested: Map<String, Value> = match body.get("application") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(a)) => a.clone(),
            Some(_) => return Err(GhError::field("application", "must be an object")),
        };
        ops::reject_unknown(&nested, &["job_ids", "prospect_pool_id", "prospect_pool_stage_id", "source_id"])?;
        nested.insert("prospect".into(), Value::Bool(true));
        let placement = placement(&nested)?;
        let mut state = app.lock();
        let at = now();
        let mut c = Candidate {
            can_email: true,
            created_at: at.clone(),
            updated_at: at.clone(),
            last_activity_at: at,
            ..Candidate::default()
        };
        ops::apply_person(&state, &mut c, &body, true)?;
        c.id = state.next_id();
        state.candidates.insert(c.id, c.clone());
        let application = match ops::add_application(&mut state, c.id, &placement) {
            Ok(a) => a,
            Err(e) => {
                // Creation is all or nothing, as Greenhouse validates the whole body first.
                state.candidates.remove(&c.id);
                return Err(e);
            }
        };
        let rendered = v1_render::candidate(&state, &c);
        drop(state);
        webhook::application_created(&app, &application);
        Ok((StatusCode::CREATED, Json(rendered)).into_response())
    })
}

async fn create_candidate(State(app): State<GhApp>, headers: HeaderMap, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let mut allowed = V3_PERSON_KEYS.to_vec();
        allowed.push("applications");
        ops::reject_unknown(&body, &allowed)?;
        let applications = match body.get("applications") {
            Some(Value::Array(items)) if !items.is_empty() => items.clone(),
            _ => return Err(GhError::field("applications", "Missing required field: applications")),
        };
        let mut placements = Vec::new();
        for item in &applications {
            let a = item.as_object().ok_or_else(|| GhError::field("applications", "must be objects"))?;
            ops::reject_unknown(a, &["job_id", "initial_stage_id", "source_id", "recruiter_id", "coordinator_id"])?;
            placements.push(placement(a)?);
        }
        let mut state = app.lock();
        let at = now();
        let mut c = Candidate {
            can_email: true,
            created_at: at.clone(),
            updated_at: at.clone(),
            last_activity_at: at,
            ..Candidate::default()
        };
        ops::apply_person(&state, &mut c, &body, true)?;
        c.id = state.next_id();
        state.candidates.insert(c.id, c.clone());
        let mut created = Vec::new();
        for p in &placements {
            match ops::add_application(&mut state, c.id, p) {
                Ok(a) => created.push(a),
                Err(e) => {
                    // Creation is all or nothing, as Greenhouse validates the whole body first.
                    for a in &created {
                        state.applications.remove(&a.id);
                        state.application_stages.retain(|_, s| s.application_id != a.id);
                    }
                    state.candidates.remove(&c.id);
                    return Err(e);
                }
            }
        }
        let rendered = v1_render::candidate(&state, &c);
        drop(state);
        for a in &created {
            webhook::application_created(&app, a);
        }
        Ok((StatusCode::CREATED, Json(rendered)).into_response())
    })
}

async fn update_candidate(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        ops::reject_unknown(&body, V3_PERSON_KEYS)?;
        let mut state = app.lock();
        let mut c = state.candidates.get(&id).cloned().ok_or(GhError::NotFound(None))?;
        ops::apply_person(&state, &mut c, &body, false)?;
        state.candidates.insert(id, c.clone());
        let rendered = v1_render::candidate(&state, &c);
        drop(state);
        webhook::candidate_updated(&app, &c);
        Ok(Json(rendered).into_response())
    })
}

async fn add_application(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let placement = placement(&body)?;
        let mut state = app.lock();
        let created = ops::add_application(&mut state, id, &placement)?;
        let rendered = v1_render::application(&state, &created);
        drop(state);
        webhook::application_created(&app, &created);
        Ok((StatusCode::CREATED, Json(rendered)).into_response())
    })
}

async fn update_application(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let mut state = app.lock();
        if !state.applications.contains_key(&id) {
            return Err(GhError::NotFound(None));
        }
        if body.contains_key("prospect_pool_id") || body.contains_key("prospect_stage_id") {
            let (pool, stage) = (opt_id(&body, "prospect_pool_id")?, opt_id(&body, "prospect_stage_id")?);
            ops::move_prospect(&mut state, id, pool, stage, "prospect_stage_id")?;
        }
        let a = state.applications.get(&id).cloned().ok_or(GhError::NotFound(None))?;
        Ok(Json(v1_render::application(&state, &a)).into_response())
    })
}

async fn move_application(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let to = Some(req_id(&body, "to_stage_id")?);
        let mut state = app.lock();
        let moved = ops::move_application(&mut state, id, req_id(&body, "from_stage_id")?, to)?;
        let rendered = v1_render::application(&state, &moved);
        drop(state);
        webhook::stage_changed(&app, &moved);
        Ok(Json(rendered).into_response())
    })
}

fn required(body: &Map<String, Value>, field: &str) -> Result<String, GhError> {
    opt_str(body, field)?
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| GhError::field(field, format!("Missing required field: {field}")))
}

/// Checks the author and candidate, then stores `note`; answers its v1 rendering.
fn store_note(
    app: &GhApp,
    id: i64,
    body: &Map<String, Value>,
    mut note: Note,
    email: bool,
) -> Result<Response, GhError> {
    let user_id =
        opt_id(body, "user_id")?.ok_or_else(|| GhError::field("user_id", "Missing required field: user_id"))?;
    let mut s = app.lock();
    if !s.candidates.contains_key(&id) || !s.users.contains_key(&user_id) {
        return Err(GhError::NotFound(None));
    }
    note.id = s.next_id();
    note.candidate_id = Some(id);
    note.user_id = Some(user_id);
    note.created_at = now();
    s.notes.insert(note.id, note.clone());
    let rendered = if email { v1_render::email(&s, &note, true) } else { v1_render::note(&s, &note) };
    Ok((StatusCode::CREATED, Json(rendered)).into_response())
}

async fn create_note(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let text = required(&body, "body")?;
        let visibility = match opt_str(&body, "visibility")?.as_deref() {
            Some("admin_only") => "admin_only_visible",
            Some("private") => "privately_visible",
            Some("public") => "publicly_visible",
            _ => return Err(GhError::field("visibility", "Missing required field: visibility")),
        };
        let note = Note { body: text, kind: "NOTE".into(), visibility: visibility.into(), ..Note::default() };
        store_note(&app, id, &body, note, false)
    })
}

async fn create_email(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let note = Note {
            body: required(&body, "body")?,
            subject: Some(required(&body, "subject")?),
            kind: "EMAIL".into(),
            email_to: vec![required(&body, "to")?],
            email_from: vec![required(&body, "from")?],
            email_cc: string_list(&body, "cc")?,
            visibility: "publicly_visible".into(),
            ..Note::default()
        };
        store_note(&app, id, &body, note, true)
    })
}

async fn create_employment(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let (company_name, title, start_date) =
            (required(&body, "company_name")?, required(&body, "title")?, required(&body, "start_date")?);
        ops::check_date(&start_date, "start_date")?;
        let end_date = opt_str(&body, "end_date")?;
        if let Some(end) = &end_date {
            ops::check_date(end, "end_date")?;
        }
        let mut s = app.lock();
        if !s.candidates.contains_key(&id) {
            return Err(GhError::NotFound(None));
        }
        let eid = s.next_id();
        let e = Employment {
            id: eid,
            candidate_id: id,
            company_name,
            title,
            latest: end_date.is_none(),
            start_date,
            end_date,
        };
        s.employments.insert(eid, e.clone());
        let row = json!({"id": e.id, "company_name": e.company_name, "title": e.title, "start_date": e.start_date, "end_date": e.end_date});
        Ok((StatusCode::CREATED, Json(row)).into_response())
    })
}

async fn delete_employment(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path((cid, eid)): Path<(i64, i64)>,
) -> Response {
    write(&app, &headers, || {
        let mut s = app.lock();
        if s.employments.get(&eid).is_none_or(|e| e.candidate_id != cid) {
            return Err(GhError::NotFound(None));
        }
        s.employments.remove(&eid);
        Ok(Json(json!({"success": true, "message": format!("Employment {eid} has been deleted.")})).into_response())
    })
}
