//! Users: owners and managers add teammates (each with one token) and remove them; a token is
//! rotated by its user or an administrator.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, new_token, token_hash};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::Role;
use hiresync_core::validation::{Checker, is_email, normalise_email};
use hiresync_store::workspaces::{self, User};
use hiresync_store::{StoreError, connections};
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
    Json(body): Json<Value>,
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

/// Gives a user a new token; the old one stops working at once.
#[utoipa::path(post, path = "/v1/users/{id}/token", tag = "users", responses(
    (status = 201, description = "{token}: the new token, shown once"),
    (status = 403, description = "Only the user or an owner or manager"),
    (status = 404, description = "No such user")))]
pub async fn rotate_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    let mut conn = state.store.db().await?;
    let user = find(&mut conn, &caller, &id).await?;
    if user.id != caller.id && !caller.role.administers() {
        return Err(ApiError::Forbidden("only the user or an owner or manager rotates a token"));
    }
    if user.role == Role::Owner && caller.role != Role::Owner {
        return Err(ApiError::Forbidden("only owners rotate an owner's token"));
    }
    let token = new_token();
    workspaces::set_token_hash(&mut conn, &caller.workspace_id, &user.id, &token_hash(&token)).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({"token": token}))))
}

/// Removes a user: their token stops working and their personal connections are disabled,
/// their jobs kept, for an administrator to hand over or delete.
#[utoipa::path(delete, path = "/v1/users/{id}", tag = "users", responses(
    (status = 204, description = "Removed"), (status = 403, description = "Owners and managers only"),
    (status = 404, description = "No such user"), (status = 409, description = "The workspace's last owner")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers remove users"));
    }
    let mut tx = state.store.begin().await?;
    let user = find(&mut tx, &caller, &id).await?;
    if user.role == Role::Owner {
        if caller.role != Role::Owner {
            return Err(ApiError::Forbidden("only owners remove owners"));
        }
        let owners = workspaces::list_users(&mut tx, &caller.workspace_id).await?;
        if owners.iter().filter(|u| u.role == Role::Owner).count() <= 1 {
            return Err(ApiError::Conflict("the workspace's last owner cannot be removed".into()));
        }
    }
    workspaces::remove_user(&mut tx, &caller.workspace_id, &user.id).await?;
    let disabled = connections::disable_for_user(&mut tx, &caller.workspace_id, &user.id).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id.as_str(), connections = disabled.len(), "User removed.");
    Ok(StatusCode::NO_CONTENT)
}

async fn find(db: &mut hiresync_store::Db, caller: &User, id: &str) -> ApiResult<User> {
    match workspaces::find_user(db, &caller.workspace_id, id).await {
        Ok(u) => Ok(u),
        Err(StoreError::NotFound) => Err(ApiError::NotFound("user")),
        Err(e) => Err(e.into()),
    }
}
