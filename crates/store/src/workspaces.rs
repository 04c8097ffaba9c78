//! Workspaces, their users, bearer-token hashes and workspace-wide defaults.

use crate::{Conn, Result, StoreError, error::json_col, now_ms};
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

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    workspace_id: String,
    email: String,
    role: String,
    groups: String,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self> {
        Ok(User {
            id: UserId::from_stored(r.id),
            workspace_id: WorkspaceId::from_stored(r.workspace_id),
            role: Role::parse(&r.role).ok_or(StoreError::Corrupt { column: "users.role", message: r.role.clone() })?,
            groups: json_col("users.groups", &r.groups)?,
            email: r.email,
        })
    }
}

const USER_COLUMNS: &str = "id, workspace_id, email, role, groups";

/// Creates a workspace.
pub async fn create_workspace(c: &mut Conn, name: &str) -> Result<WorkspaceId> {
    let id = WorkspaceId::generate();
    sqlx::query("insert into workspaces (id, name, created_at) values ($1, $2, $3)")
        .bind(id.as_str())
        .bind(name)
        .bind(now_ms())
        .execute(c)
        .await?;
    Ok(id)
}

/// Adds a user holding a token whose hash is given; a taken email is a conflict.
pub async fn create_user(
    c: &mut Conn,
    workspace: &WorkspaceId,
    email: &str,
    role: Role,
    groups: &[String],
    token_hash: &str,
) -> Result<User> {
    let id = UserId::generate();
    let groups_json = serde_json::to_string(groups)
        .map_err(|e| StoreError::Corrupt { column: "users.groups", message: e.to_string() })?;
    sqlx::query(
        "insert into users (id, workspace_id, email, role, groups, token_hash, created_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.as_str())
    .bind(workspace.as_str())
    .bind(email)
    .bind(role.as_str())
    .bind(&groups_json)
    .bind(token_hash)
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(User { id, workspace_id: workspace.clone(), email: email.to_owned(), role, groups: groups.to_vec() })
}

/// The user holding the token with this hash.
pub async fn user_by_token_hash(c: &mut Conn, token_hash: &str) -> Result<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(&format!("select {USER_COLUMNS} from users where token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(c)
        .await?;
    row.map(User::try_from).transpose()
}

/// A user of this workspace named by id or by email.
pub async fn find_user(c: &mut Conn, workspace: &WorkspaceId, id_or_email: &str) -> Result<User> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "select {USER_COLUMNS} from users where workspace_id = $1 and (id = $2 or email = $2)"
    ))
    .bind(workspace.as_str())
    .bind(id_or_email)
    .fetch_optional(c)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// Every user of the workspace.
pub async fn list_users(c: &mut Conn, workspace: &WorkspaceId) -> Result<Vec<User>> {
    let rows: Vec<UserRow> =
        sqlx::query_as(&format!("select {USER_COLUMNS} from users where workspace_id = $1 order by id"))
            .bind(workspace.as_str())
            .fetch_all(c)
            .await?;
    rows.into_iter().map(User::try_from).collect()
}

/// The workspace's default settings for one provider (SPEC S13); empty when unset.
pub async fn defaults(c: &mut Conn, workspace: &WorkspaceId, provider: &str) -> Result<Map<String, Value>> {
    let row: Option<(String,)> =
        sqlx::query_as("select settings from workspace_defaults where workspace_id = $1 and provider = $2")
            .bind(workspace.as_str())
            .bind(provider)
            .fetch_optional(c)
            .await?;
    row.map(|(s,)| json_col("workspace_defaults.settings", &s)).transpose().map(Option::unwrap_or_default)
}

/// Replaces the workspace's default settings for one provider.
pub async fn set_defaults(
    c: &mut Conn,
    workspace: &WorkspaceId,
    provider: &str,
    settings: &Map<String, Value>,
) -> Result<()> {
    sqlx::query(
        "insert into workspace_defaults (workspace_id, provider, settings) values ($1, $2, $3)
         on conflict (workspace_id, provider) do update set settings = excluded.settings",
    )
    .bind(workspace.as_str())
    .bind(provider)
    .bind(Value::Object(settings.clone()).to_string())
    .execute(c)
    .await?;
    Ok(())
}
