//! Legacy v1 candidates (§1.3): the list (by email, job or ids) rendered with
//! embedded applications and employments, prospects and candidates created
//! with their applications, updates, and employments.

use super::auth::{read, write};
use super::render::{self, candidate};
use crate::greenhouse::GhApp;
use crate::greenhouse::body::{json_object, opt_str, reject_unknown, required};
use crate::greenhouse::errors::GhError;
use crate::greenhouse::listing::base;
use crate::greenhouse::model::{Candidate, Employment, now};
use crate::greenhouse::paging::{page_v1, parse_v1};
use crate::greenhouse::person::{self, V3_PERSON_KEYS};
use crate::greenhouse::placements::{self, placement};
use crate::greenhouse::webhook;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

/// The candidate, prospect and employment routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/candidates", get(candidates).post(create_candidate))
        .route("/v1/prospects", axum::routing::post(create_prospect))
        .route("/v1/candidates/{id}", patch(update_candidate))
        .route("/v1/candidates/{id}/employments", axum::routing::post(create_employment))
        .route("/v1/candidates/{cid}/employments/{eid}", delete(delete_employment))
}

async fn candidates(State(app): State<GhApp>, headers: HeaderMap, uri: Uri) -> Response {
    read(&app, &headers, || {
        let q = parse_v1(uri.query(), &["email", "job_id", "candidate_ids", "updated_after", "created_after"])?;
        let s = app.lock();
        let ids = q.ids("candidate_ids")?;
        let job = q.ids("job_id")?.and_then(|j| j.first().copied());
        let on_job = |id: i64| {
            job.is_none_or(|j| {
                s.applications.values().any(|a| a.candidate_id == id && a.job_id == Some(j) && !a.prospect)
            })
        };
        let rows = s
            .candidates
            .values()
            .filter(|c| {
                q.get("email").is_none_or(|e| c.email_addresses.iter().any(|a| a.value.eq_ignore_ascii_case(e.trim())))
            })
            .filter(|c| q.get("email").is_some() || ids.as_ref().is_none_or(|ids| ids.contains(&c.id)))
            .filter(|c| on_job(c.id))
            .map(|c| (c.id, candidate(&s, c)))
            .collect();
        Ok(page_v1(rows, &q, &base(&headers), uri.path()))
    })
}

async fn create_prospect(State(app): State<GhApp>, headers: HeaderMap, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let mut allowed = V3_PERSON_KEYS.to_vec();
        allowed.push("application");
        reject_unknown(&body, &allowed)?;
        let mut nested: Map<String, Value> = match body.get("application") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(a)) => a.clone(),
            Some(_) => return Err(GhError::field("application", "must be an object")),
        };
        reject_unknown(&nested, &["job_ids", "prospect_pool_id", "prospect_pool_stage_id", "source_id"])?;
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
        person::apply_person(&state, &mut c, &body, true)?;
        c.id = state.next_id();
        state.candidates.insert(c.id, c.clone());
        let application = match placements::add_application(&mut state, c.id, &placement) {
            Ok(a) => a,
            Err(e) => {
                // Creation is all or nothing, as Greenhouse validates the whole body first.
                state.candidates.remove(&c.id);
                return Err(e);
            }
        };
        let rendered = render::candidate(&state, &c);
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
        reject_unknown(&body, &allowed)?;
        let applications = match body.get("applications") {
            Some(Value::Array(items)) if !items.is_empty() => items.clone(),
            _ => return Err(GhError::field("applications", "Missing required field: applications")),
        };
        let mut placements = Vec::new();
        for item in &applications {
            let a = item.as_object().ok_or_else(|| GhError::field("applications", "must be objects"))?;
            reject_unknown(a, &["job_id", "initial_stage_id", "source_id", "recruiter_id", "coordinator_id"])?;
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
        person::apply_person(&state, &mut c, &body, true)?;
        c.id = state.next_id();
        state.candidates.insert(c.id, c.clone());
        let mut created = Vec::new();
        for p in &placements {
            match placements::add_application(&mut state, c.id, p) {
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
        let rendered = render::candidate(&state, &c);
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
        reject_unknown(&body, V3_PERSON_KEYS)?;
        let mut state = app.lock();
        let mut c = state.candidates.get(&id).cloned().ok_or(GhError::NotFound(None))?;
        person::apply_person(&state, &mut c, &body, false)?;
        state.candidates.insert(id, c.clone());
        let rendered = render::candidate(&state, &c);
        drop(state);
        webhook::candidate_updated(&app, &c);
        Ok(Json(rendered).into_response())
    })
}

async fn create_employment(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let (company_name, title, start_date) =
            (required(&body, "company_name")?, required(&body, "title")?, required(&body, "start_date")?);
        person::check_date(&start_date, "start_date")?;
        let end_date = opt_str(&body, "end_date")?;
        if let Some(end) = &end_date {
            person::check_date(end, "end_date")?;
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
