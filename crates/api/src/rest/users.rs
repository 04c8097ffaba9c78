//! Users: owners and managers add teammates (each with one token) and remove them; a token is
//! rotated by its user or an administrator.

use crate::body::users::{TokenOut, UserIn, UserOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, new_token, token_hash};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::Role;
use hiresync_core::validation::{is_email, normalise_email};
use hiresync_store::workspaces::{self, User};
use hiresync_store::{StoreError, connections};

/// Adds a user to the caller's workspace and returns their token (shown once).
#[utoipa::path(post, path = "/v1/users", tag = "users", request_body = UserIn, responses(
    (status = 201, description = "Created, with the user's token", body = UserOut),
    (status = 403, description = "Only owners and managers add users"),
    (status = 409, description = "The email is taken"),
    (status = 422, description = "Invalid fields")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<UserIn>,
) -> ApiResult<(StatusCode, Json<UserOut>)> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers add users"));
    }
    let email = normalise_email(&body.email);
    if !is_email(&email) {
        return Err(ApiError::field("email", "required: an email address"));
    }
    let role = body.role.map_or(Role::Member, Role::from);
    let groups = body.groups.unwrap_or_default();
    if role == Role::Owner && caller.role != Role::Owner {
        return Err(ApiError::Forbidden("only owners add owners"));
    }
    let token = new_token();
    let mut db = state.store.db().await?;
    let user = workspaces::create_user(&mut db, &caller.workspace_id, &email, role, &groups, &token_hash(&token))
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => ApiError::Conflict(format!("{email} is already a user of this workspace")),
            other => other.into(),
        })?;
    let out =
        UserOut { id: user.id.as_str().to_owned(), email: user.email, role: role.into(), groups: user.groups, token };
    Ok((StatusCode::CREATED, Json(out)))
}

/// Gives a user a new token; the old one stops working at once.
#[utoipa::path(post, path = "/v1/users/{id}/token", tag = "users",
    params(("id" = String, Path, description = "The user's id or email")), responses(
    (status = 201, description = "The new token, shown once", body = TokenOut),
    (status = 403, description = "Only the user or an owner or manager"),
    (status = 404, description = "No such user")))]
pub async fn rotate_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<TokenOut>)> {
    let mut db = state.store.db().await?;
    let user = find(&mut db, &caller, &id).await?;
    if user.id != caller.id && !caller.role.administers() {
        return Err(ApiError::Forbidden("only the user or an owner or manager rotates a token"));
    }
    if user.role == Role::Owner && caller.role != Role::Owner {
        return Err(ApiError::Forbidden("only owners rotate an owner's token"));
    }
    let token = new_token();
    workspaces::set_token_hash(&mut db, &caller.workspace_id, &user.id, &token_hash(&token)).await?;
    // A token is rotated when it may have leaked: whoever signed in to the console with it (or
    // with a link) signs in again.
    hiresync_store::console::end_sessions(&mut db, &user.id).await?;
    Ok((StatusCode::CREATED, Json(TokenOut { token })))
}

/// Removes a user: their token stops working and their personal connections are disabled,
/// their jobs kept, for an administrator to hand over or delete.
#[utoipa::path(delete, path = "/v1/users/{id}", tag = "users",
    params(("id" = String, Path, description = "The user's id or email")), responses(
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
