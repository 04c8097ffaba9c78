//! Operations endpoints: liveness, readiness and metrics.

use crate::body::operations::HealthOut;
use crate::extract::Json;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", security(()),
    responses((status = 200, description = "Alive", body = HealthOut)))]
pub async fn healthz() -> Json<HealthOut> {
    Json(HealthOut { status: "ok".into() })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(()), responses(
    (status = 200, description = "Ready", body = HealthOut),
    (status = 503, description = "Database unreachable", body = HealthOut)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<HealthOut>) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(HealthOut { status: "ready".into() })),
        Err(e) => {
            tracing::warn!(error = %e, "Readiness check failed.");
            (StatusCode::SERVICE_UNAVAILABLE, Json(HealthOut { status: "database unreachable".into() }))
        }
    }
}

/// Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(()), responses(
    (status = 200, description = "Metrics", body = String, content_type = "application/openmetrics-text")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let counts = state.store.job_counts().await.unwrap_or_default();
    let oldest_due_ms = state.store.oldest_due_age_ms().await.unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(&counts, oldest_due_ms),
    )
}
