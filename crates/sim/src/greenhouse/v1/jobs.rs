//! v1 jobs, their stages, prospect pools (stages embedded) and custom field
//! definitions (options embedded), read-only here.

use super::auth::read;
use crate::greenhouse::GhApp;
use crate::greenhouse::errors::GhError;
use crate::greenhouse::listing::base;
use crate::greenhouse::paging::{page_v1, parse_v1};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

/// The job, pool and custom field routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/jobs", get(jobs))
        .route("/v1/jobs/{id}/stages", get(job_stages))
        .route("/v1/prospect_pools", get(pools))
        .route("/v1/custom_fields/{field_type}", get(custom_fields))
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
