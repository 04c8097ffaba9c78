//! Workspaces, their users, bearer-token hashes and workspace-wide defaults.

use crate::db::on_backend;
use crate::{Db, Result, StoreError, now_ms};
use hiresync_core::{Role, UserId, WorkspaceId};
use serde_json::{Map, Value};

/// A user of a workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The workspace the user belongs to.
    pub workspace_id: WorkspaceId,
    /// Login email, unique in the workspace.
    pub email: String,
    /// What the user may do.
    pub role: Role,
    /// Groups inside the workspace (for cloning settings to one group).
    pub groups: Vec<String>,
}

/// A stored role, parsed.
pub(crate) fn role(stored: &str) -> Result<Role> {
    Role::parse(stored).ok_or_else(|| StoreError::Corrupt { column: "users.role", message: stored.to_owned() })
}

/// Creates a workspace.
pub async fn create_workspace(db: &mut Db, name: &str) -> Result<WorkspaceId> {
    let id = WorkspaceId::generate();
    on_backend!(db, workspaces::insert_workspace(&id, name, now_ms()))?;
    Ok(id)
}

/// Adds a user holding a token whose hash is given; a taken email is a conflict.
pub async fn create_user(
    db: &mut Db,
    workspace: &WorkspaceId,
    email: &str,
    role: Role,
    groups: &[String],
    token_hash: &str,
) -> Result<User> {
    let user = User {
        id: UserId::generate(),
        workspace_id: workspace.clone(),
        email: email.to_owned(),
        role,
        groups: groups.to_vec(),
    };
    on_backend!(db, workspaces::insert_user(&user, token_hash, now_ms()))?;
    Ok(user)
}

/// The user holding the token with this hash.
pub async fn user_by_token_hash(db: &mut Db, token_hash: &str) -> Result<Option<User>> {
    on_backend!(db, workspaces::user_by_token_hash(token_hash))
}

/// Replaces a user's token (the old one stops working at once).
pub async fn set_token_hash(db: &mut Db, workspace: &WorkspaceId, user: &UserId, token_hash: &str) -> Result<()> {
    let found = on_backend!(db, workspaces::set_token_hash(workspace, user, token_hash))?;
    if found { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Removes a user: their token stops working and they are no longer found or listed.
pub async fn remove_user(db: &mut Db, workspace: &WorkspaceId, user: &UserId) -> Result<()> {
    let found = on_backend!(db, workspaces::remove_user(workspace, user, now_ms()))?;
    if found { Ok(()) } else { Err(StoreError::NotFound) }
}

/// A user of this workspace named by id or by email.
pub async fn find_user(db: &mut Db, workspace: &WorkspaceId, id_or_email: &str) -> Result<User> {
    on_backend!(db, workspaces::find_user(workspace, id_or_email))?.ok_or(StoreError::NotFound)
}

/// Every user of the workspace.
pub async fn list_users(db: &mut Db, workspace: &WorkspaceId) -> Result<Vec<User>> {
    on_backend!(db, workspaces::list_users(workspace))
}

/// The workspace's default settings for one provider (SPEC S13); empty when unset.
pub async fn defaults(db: &mut Db, workspace: &WorkspaceId, provider: &str) -> Result<Map<String, Value>> {
    Ok(on_backend!(db, workspaces::defaults(workspace, provider))?.unwrap_or_default())
}

/// Replaces the workspace's default settings for one provider.
pub async fn set_defaults(
    db: &mut Db,
    workspace: &WorkspaceId,
    provider: &str,
    settings: &Map<String, Value>,
) -> Result<()> {
    on_backend!(db, workspaces::set_defaults(workspace, provider, settings))
}
