//! Harvest v3 applications (§7.8): the lists of applications, their stage
//! history and prospect details; creating one, moving a prospect's pool
//! stage, moving a candidate between job stages, and converting a prospect.

use super::GhApp;
use super::auth::v3_writer;
use super::body::{json_object, opt_id, reject_unknown, req_id, respond};
use super::errors::GhError;
use super::listing::{Ids, flag, list_handler};
use super::model::now;
use super::placements::{self, APPLICATION_KEYS, placement};
use super::webhook;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};

/// The application routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v3/applications", get(applications).post(create_application))
        .route("/v3/applications/{id}", patch(update_application))
        .route("/v3/applications/{id}/move", post(move_application))
        .route("/v3/applications/{id}/convert_to_candidate", post(convert_to_candidate))
        .route("/v3/application_stages", get(application_stages))
        .route("/v3/prospect_details", get(prospect_details))
}

list_handler!(
    applications,
    &["ids", "candidate_ids", "job_ids", "status", "created_at", "updated_at", "last_activity_at"],
    |s, q| {
        let ids = Ids::of(q, "ids")?;
        let candidate_ids = Ids::of(q, "candidate_ids")?;
        let job_ids = Ids::of(q, "job_ids")?;
        let status = match q.get("status") {
            None => None,
            Some("active") => Some("in_process"),
            Some(st @ ("rejected" | "hired" | "converted")) => Some(st),
            Some(_) => return Err(GhError::InvalidQuery(vec!["status".into()])),
        };
        let mut out = Vec::new();
        for a in s.applications.values() {
            if ids.keep(Some(a.id))
                && candidate_ids.keep(Some(a.candidate_id))
                && job_ids.keep(a.job_id)
                && status.is_none_or(|st| a.status == st)
            {
                out.push((a.id, a.clone()));
            }
        }
        Ok(out)
    }
);

list_handler!(application_stages, &["ids", "application_ids", "current"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let application_ids = Ids::of(q, "application_ids")?;
    let mut out = Vec::new();
    for st in s.application_stages.values() {
        if ids.keep(Some(st.id)) && application_ids.keep(Some(st.application_id)) && flag(q, "current", st.current)? {
            out.push((st.id, st.clone()));
        }
    }
    Ok(out)
});

list_handler!(prospect_details, &["ids", "application_ids"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let application_ids = Ids::of(q, "application_ids")?;
    let mut out = Vec::new();
    for d in s.prospect_details.values() {
        if ids.keep(Some(d.id)) && application_ids.keep(Some(d.application_id)) {
            out.push((d.id, d.clone()));
        }
    }
    Ok(out)
});

async fn create_application(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        v3_writer(&app, &headers, "create application")?;
        let body = json_object(&body)?;
        reject_unknown(&body, APPLICATION_KEYS)?;
        let candidate_id = req_id(&body, "candidate_id")?;
        let placement = placement(&body)?;
        let created = placements::add_application(&mut app.lock(), candidate_id, &placement)?;
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
        v3_writer(&app, &headers, "update application")?;
        let body = json_object(&body)?;
        reject_unknown(
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
            placements::move_prospect(
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
        v3_writer(&app, &headers, "move application")?;
        let body = json_object(&body)?;
        reject_unknown(&body, &["from_stage_id", "to_stage_id", "to_job_id"])?;
        if opt_id(&body, "to_job_id")?.is_some() {
            return Err(GhError::field("to_job_id", "Moving to another job is not simulated"));
        }
        let moved = placements::move_application(
            &mut app.lock(),
            id,
            req_id(&body, "from_stage_id")?,
            opt_id(&body, "to_stage_id")?,
        )?;
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
        v3_writer(&app, &headers, "convert to candidate")?;
        let body = json_object(&body)?;
        reject_unknown(&body, &["job_id", "to_job_interview_stage_id"])?;
        let job = req_id(&body, "job_id")?;
        let created =
            placements::convert_prospect(&mut app.lock(), id, job, opt_id(&body, "to_job_interview_stage_id")?)?;
        webhook::application_created(&app, &created);
        Ok((StatusCode::CREATED, Json(created)).into_response())
    })())
}
