//! Workspace defaults (SPEC S13): settings an owner or manager sets once per
//! provider for the whole workspace. Every connection resolves its settings as
//! built-in defaults, then these, then its own keys, so they reach everyone
//! who has not set a key themselves.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::state::AppState;
use axum::extract::State;
use hiresync_core::{ConnectionSettings, ProviderKind};
use hiresync_store::workspaces;
use serde_json::Value;

fn provider(name: &str) -> ApiResult<ProviderKind> {
    ProviderKind::parse(name)
        .filter(|p| p.syncs_people())
        .ok_or_else(|| ApiError::field("provider", "must be greenhouse, clockwork or teamtailor"))
}

/// The workspace's default settings for a provider, as set (keys not set are absent).
#[utoipa::path(get, path = "/v1/workspace/defaults/{provider}", tag = "connections", responses(
    (status = 200, description = "The defaults object"), (status = 422, description = "Unknown provider")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(name): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let provider = provider(&name)?;
    let mut c = state.store.db().await?;
    Ok(axum::Json(Value::Object(workspaces::defaults(&mut c, &caller.workspace_id, provider.as_str()).await?)))
}

/// Replaces the workspace's default settings for a provider; validated like a connection's own.
#[utoipa::path(put, path = "/v1/workspace/defaults/{provider}", tag = "connections", responses(
    (status = 200, description = "The defaults object"), (status = 403, description = "Owners and managers only"),
    (status = 422, description = "Invalid settings")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(name): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<axum::Json<Value>> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers set workspace defaults"));
    }
    let provider = provider(&name)?;
    let Value::Object(defaults) = body else { return Err(ApiError::field("", "must be an object")) };
    ConnectionSettings::parse(provider, &Value::Object(defaults.clone()))?;
    let mut c = state.store.db().await?;
    workspaces::set_defaults(&mut c, &caller.workspace_id, provider.as_str(), &defaults).await?;
    Ok(axum::Json(Value::Object(defaults)))
}
