//! v1 applications (§1.3): adding one to a candidate (a job application, or
//! a prospect one with a pool), moving a prospect's pool stage, and moving a
//! candidate between job stages.

use super::auth::write;
use super::render;
use crate::greenhouse::GhApp;
use crate::greenhouse::body::{json_object, opt_id, req_id};
use crate::greenhouse::errors::GhError;
use crate::greenhouse::placements::{self, placement};
use crate::greenhouse::webhook;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use axum::{Json, Router};

/// The application routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/candidates/{id}/applications", post(add_application))
        .route("/v1/applications/{id}", patch(update_application))
        .route("/v1/applications/{id}/move", post(move_application))
}

async fn add_application(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let placement = placement(&body)?;
        let mut state = app.lock();
        let created = placements::add_application(&mut state, id, &placement)?;
        let rendered = render::application(&state, &created);
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
            placements::move_prospect(&mut state, id, pool, stage, "prospect_stage_id")?;
        }
        let a = state.applications.get(&id).cloned().ok_or(GhError::NotFound(None))?;
        Ok(Json(render::application(&state, &a)).into_response())
    })
}

async fn move_application(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let to = Some(req_id(&body, "to_stage_id")?);
        let mut state = app.lock();
        let moved = placements::move_application(&mut state, id, req_id(&body, "from_stage_id")?, to)?;
        let rendered = render::application(&state, &moved);
        drop(state);
        webhook::stage_changed(&app, &moved);
        Ok(Json(rendered).into_response())
    })
}
