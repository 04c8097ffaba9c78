//! `POST /v1/users`: owners and managers add teammates, each with one token.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody, new_token, token_hash};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::Role;
use hiresync_core::validation::{Checker, is_email, normalise_email};
use hiresync_store::{StoreError, workspaces};
use serde_json::{Value, json};

/// Adds a user to the caller's workspace and returns their token (shown once).
#[utoipa::path(post, path = "/v1/users", tag = "users", responses(
    (status = 201, description = "Created: {id, email, role, token}"),
    (status = 403, description = "Only owners and managers add users"),
    (status = 409, description = "The email is taken"),
    (status = 422, description = "Invalid fields")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers add users"));
    }
    let mut c = Checker::default();
    let email = body.get("email").and_then(Value::as_str).map(normalise_email).unwrap_or_default();
    c.check(is_email(&email), "email", "required: an email address");
    let role = body.get("role").and_then(Value::as_str).map_or(Some(Role::Member), Role::parse);
    c.check(role.is_some(), "role", "must be owner, manager or member");
    let groups: Option<Vec<String>> = match body.get("groups") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(v) => serde_json::from_value(v.clone()).ok(),
    };
    c.check(groups.is_some(), "groups", "must be a list of strings");
    c.finish()?;
    let (Some(role), Some(groups)) = (role, groups) else { return Err(ApiError::field("role", "invalid")) };
    if role == Role::Owner && caller.role != Role::Owner {
        return Err(ApiError::Forbidden("only owners add owners"));
    }
    let token = new_token();
    let mut conn = state.store.db().await?;
    let user = workspaces::create_user(&mut conn, &caller.workspace_id, &email, role, &groups, &token_hash(&token))
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => ApiError::Conflict(format!("{email} is already a user of this workspace")),
            other => other.into(),
        })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({"id": user.id.as_str(), "email": user.email, "role": role.as_str(), "groups": user.groups,
            "token": token})),
    ))
}
