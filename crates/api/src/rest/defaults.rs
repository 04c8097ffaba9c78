//! Workspace defaults (SPEC S13): settings an owner or manager sets once per
//! provider for the whole workspace. Every connection resolves its settings as
//! built-in defaults, then these, then its own keys, so they reach everyone
//! who has not set a key themselves.

use crate::body::connections::Settings;
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
#[utoipa::path(get, path = "/v1/workspace/defaults/{provider}", operation_id = "workspace_get_defaults", tag = "connections", params(ProviderPath), responses(
    (status = 200, description = "The defaults as set", body = Settings),
    (status = 422, description = "Unknown provider")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Settings>> {
    let provider = provider(&name)?;
    let mut c = state.store.db().await?;
    let defaults = workspaces::defaults(&mut c, &caller.workspace_id, provider.as_str()).await?;
    Ok(Json(Settings(defaults)))
}

/// The path of one provider's defaults.
#[derive(utoipa::IntoParams)]
#[into_params(names("provider"), parameter_in = Path)]
pub struct ProviderPath(
    /// `greenhouse`, `clockwork` or `teamtailor`.
    pub String,
);

/// Replaces the workspace's default settings for a provider; validated like a connection's own.
#[utoipa::path(put, path = "/v1/workspace/defaults/{provider}", operation_id = "workspace_put_defaults", tag = "connections", params(ProviderPath),
    request_body = Settings, responses(
    (status = 200, description = "The defaults as set", body = Settings),
    (status = 403, description = "Owners and managers only"),
    (status = 422, description = "Unknown provider or invalid settings")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(name): Path<String>,
    Json(Settings(defaults)): Json<Settings>,
) -> ApiResult<Json<Settings>> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers set workspace defaults"));
    }
    let provider = provider(&name)?;
    ConnectionSettings::parse(provider, &Value::Object(defaults.clone()))?;
    let mut c = state.store.db().await?;
    workspaces::set_defaults(&mut c, &caller.workspace_id, provider.as_str(), &defaults).await?;
    Ok(Json(Settings(defaults)))
}
