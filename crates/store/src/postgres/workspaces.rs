//! Workspaces, users and workspace defaults on PostgreSQL.

use super::types::{from_json, ts};
use crate::workspaces::{User, role};
use crate::{Result, StoreError};
use hiresync_core::{UserId, WorkspaceId};
use serde_json::{Map, Value};
use sqlx::PgConnection;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    workspace_id: String,
    email: String,
    role: String,
    groups: Value,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self> {
        Ok(User {
            id: UserId::from_stored(r.id),
            workspace_id: WorkspaceId::from_stored(r.workspace_id),
            role: role(&r.role)?,
            groups: from_json("users.groups", r.groups)?,
            email: r.email,
        })
    }
}

const USER_COLUMNS: &str = "id, workspace_id, email, role, groups";

pub(crate) async fn insert_workspace(c: &mut PgConnection, id: &WorkspaceId, name: &str, now: i64) -> Result<()> {
    sqlx::query("insert into workspaces (id, name, created_at) values ($1, $2, $3)")
        .bind(id.as_str())
        .bind(name)
        .bind(ts(now))
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn insert_user(c: &mut PgConnection, u: &User, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "insert into users (id, workspace_id, email, role, groups, token_hash, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(u.id.as_str())
    .bind(u.workspace_id.as_str())
    .bind(&u.email)
    .bind(u.role.as_str())
    .bind(Json(&u.groups))
    .bind(token_hash)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn user_by_token_hash(c: &mut PgConnection, token_hash: &str) -> Result<Option<User>> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("select {USER_COLUMNS} from users where token_hash = $1 and deleted_at is null"))
            .bind(token_hash)
            .fetch_optional(c)
            .await?;
    row.map(User::try_from).transpose()
}

pub(crate) async fn find_user(c: &mut PgConnection, ws: &WorkspaceId, id_or_email: &str) -> Result<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "select {USER_COLUMNS} from users
         where workspace_id = $1 and (id = $2 or email = $2) and deleted_at is null"
    ))
    .bind(ws.as_str())
    .bind(id_or_email)
    .fetch_optional(c)
    .await?;
    row.map(User::try_from).transpose()
}

pub(crate) async fn list_users(c: &mut PgConnection, ws: &WorkspaceId) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "select {USER_COLUMNS} from users where workspace_id = $1 and deleted_at is null order by id"
    ))
    .bind(ws.as_str())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(User::try_from).collect()
}

pub(crate) async fn defaults(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    provider: &str,
) -> Result<Option<Map<String, Value>>> {
    let row: Option<Value> =
        sqlx::query_scalar("select settings from workspace_defaults where workspace_id = $1 and provider = $2")
            .bind(ws.as_str())
            .bind(provider)
            .fetch_optional(c)
            .await?;
    row.map(|s| from_json("workspace_defaults.settings", s)).transpose()
}

pub(crate) async fn set_defaults(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    provider: &str,
    settings: &Map<String, Value>,
) -> Result<()> {
    sqlx::query(
        "insert into workspace_defaults (workspace_id, provider, settings) values ($1, $2, $3)
         on conflict (workspace_id, provider) do update set settings = excluded.settings",
    )
    .bind(ws.as_str())
    .bind(provider)
    .bind(Json(settings))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn set_token_hash(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    user: &UserId,
    token_hash: &str,
) -> Result<bool> {
    let done =
        sqlx::query("update users set token_hash = $3 where workspace_id = $1 and id = $2 and deleted_at is null")
            .bind(ws.as_str())
            .bind(user.as_str())
            .bind(token_hash)
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// The row stays for what the user wrote; its token hash and email become ones no token
/// hashes to and no new user takes.
pub(crate) async fn remove_user(c: &mut PgConnection, ws: &WorkspaceId, user: &UserId, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update users set deleted_at = $3, token_hash = 'removed:' || id, email = email || ' (removed ' || id || ')'
         where workspace_id = $1 and id = $2 and deleted_at is null",
    )
    .bind(ws.as_str())
    .bind(user.as_str())
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}
