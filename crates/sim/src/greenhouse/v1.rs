//! Legacy Harvest v1 reads (Basic key; `Link` page pagination): the subset
//! hiresync's legacy path uses, rendered in v1 shapes (`is_private`,
//! embedded applications and employments, `keyed_custom_fields`). Writes
//! live in `v1_write.rs`.

use super::GhApp;
use super::auth::v1_actor;
use super::errors::GhError;
use super::paging::{page_v1, parse_v1};
use super::v1_render::{self, candidate};
use super::v3_read::base;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

/// The v1 routes, reads and writes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/candidates", get(candidates))
        .route("/v1/candidates/{id}/activity_feed", get(activity_feed))
        .route("/v1/jobs", get(jobs))
        .route("/v1/jobs/{id}/stages", get(job_stages))
        .route("/v1/prospect_pools", get(pools))
        .route("/v1/custom_fields/{field_type}", get(custom_fields))
        .merge(super::v1_write::routes())
}

fn read(app: &GhApp, headers: &HeaderMap, f: impl FnOnce() -> Result<Response, GhError>) -> Response {
    v1_actor(app, headers, false).and_then(|_| f()).unwrap_or_else(IntoResponse::into_response)
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

async fn activity_feed(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    read(&app, &headers, || {
        let s = app.lock();
        if !s.candidates.contains_key(&id) {
            return Err(GhError::NotFound(None));
        }
        let mine: Vec<_> = s.notes.values().filter(|n| n.candidate_id == Some(id)).collect();
        let notes: Vec<Value> = mine.iter().filter(|n| n.kind != "EMAIL").map(|n| v1_render::note(&s, n)).collect();
        let emails: Vec<Value> =
            mine.iter().filter(|n| n.kind == "EMAIL").map(|n| v1_render::email(&s, n, false)).collect();
        Ok(Json(json!({"notes": notes, "emails": emails, "activities": []})).into_response())
    })
}

async fn jobs(State(app): State<GhApp>, headers: HeaderMap, uri: Uri) -> Response {
    read(&app, &headers, || {
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
    })
}

async fn job_stages(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, uri: Uri) -> Response {
    read(&app, &headers, || {
        let q = parse_v1(uri.query(), &[])?;
        let s = app.lock();
        if !s.jobs.contains_key(&id) {
            return Err(GhError::NotFound(None));
        }
        let rows = s
            .job_stages
            .values()
            .filter(|st| st.job_id == id)
            .map(|st| {
                let row = json!({"id": st.id, "name": st.name, "job_id": st.job_id, "priority": st.sort_order,
                                 "active": st.active, "interviews": []});
                (st.id, row)
            })
            .collect();
        Ok(page_v1(rows, &q, &base(&headers), uri.path()))
    })
}

async fn pools(State(app): State<GhApp>, headers: HeaderMap, uri: Uri) -> Response {
    read(&app, &headers, || {
        let q = parse_v1(uri.query(), &[])?;
        let s = app.lock();
        let rows = s
            .prospect_pools
            .values()
            .map(|p| {
                let mut stages: Vec<_> =
                    s.prospect_pool_stages.values().filter(|st| st.prospect_pool_id == p.id).collect();
                stages.sort_by_key(|st| (st.sort_order, st.id));
                let stages: Vec<Value> = stages.iter().map(|st| json!({"id": st.id, "name": st.name})).collect();
                (p.id, json!({"id": p.id, "name": p.name, "active": p.active, "prospect_stages": stages}))
            })
            .collect();
        Ok(page_v1(rows, &q, &base(&headers), uri.path()))
    })
}

async fn custom_fields(
    State(app): State<GhApp>,
    headers: HeaderMap,
    Path(field_type): Path<String>,
    uri: Uri,
) -> Response {
    read(&app, &headers, || {
        let q = parse_v1(uri.query(), &["include_inactive"])?;
        let inactive = q.get("include_inactive") == Some("true");
        let s = app.lock();
        let rows = s
            .custom_fields
            .values()
            .filter(|f| f.field_type == field_type && (inactive || f.active))
            .map(|f| {
                let mut options: Vec<_> =
                    s.custom_field_options.values().filter(|o| o.custom_field_id == f.id).collect();
                options.sort_by_key(|o| (o.sort_order, o.id));
                let options: Vec<Value> = options
                    .iter()
                    .map(
                        |o| json!({"id": o.id, "name": o.name, "priority": o.sort_order, "external_id": o.external_id}),
                    )
                    .collect();
                let row = json!({"id": f.id, "name": f.name, "active": f.active, "field_type": f.field_type,
                    "value_type": f.value_type, "private": f.private, "required": f.required, "name_key": f.name_key,
                    "custom_field_options": options});
                (f.id, row)
            })
            .collect();
        Ok(page_v1(rows, &q, &base(&headers), uri.path()))
    })
}
