//! Operations endpoints: liveness, readiness, metrics and the OpenAPI document.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", security(()), responses((status = 200, description = "Alive")))]
pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({"status": "ok"}))
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(()),
    responses((status = 200, description = "Ready"), (status = 503, description = "Database unreachable")))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, axum::Json(json!({"status": "ready"}))),
        Err(e) => {
            tracing::warn!(error = %e, "Readiness check failed.");
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"status": "database unreachable"})))
        }
    }
}

/// Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(()), responses((status = 200, description = "Metrics")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let counts = state.store.job_counts().await.unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(&counts),
    )
}
