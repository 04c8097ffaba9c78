//! Connections: one user's (or the workspace's) sealed credentials for one
//! provider, their status and their own settings keys.

use crate::{Conn, Result, StoreError, error::json_col, now_ms};
use hiresync_core::{ConnectionId, ProviderKind, RateLimit, UserId, WorkspaceId};
use serde_json::{Map, Value};

/// A stored connection. Credentials stay sealed here; only the API's crypto opens them.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    /// The connection's id.
    pub id: ConnectionId,
    /// Its workspace.
    pub workspace_id: WorkspaceId,
    /// The user it belongs to; none for a workspace-wide connection.
    pub user_id: Option<UserId>,
    /// Which provider.
    pub provider: ProviderKind,
    /// API root override.
    pub base_url: Option<String>,
    /// Greenhouse token host override.
    pub auth_base_url: Option<String>,
    /// The connection's own request allowance, replacing the provider's published one.
    pub rate_limit: Option<RateLimit>,
    /// Credentials sealed with the master key (base64 of nonce and ciphertext).
    pub sealed_credentials: String,
    /// Which master key sealed them.
    pub key_id: String,
    /// `connected` or `failing`.
    pub status: String,
    /// The last error when failing.
    pub last_error: Option<String>,
    /// The keys the owner set; resolved over workspace defaults when read.
    pub settings: Map<String, Value>,
    /// When it was created (epoch ms).
    pub created_at: i64,
}

impl Connection {
    /// `user` or `workspace`.
    pub fn scope(&self) -> &'static str {
        if self.user_id.is_some() { "user" } else { "workspace" }
    }
}

#[derive(sqlx::FromRow)]
struct ConnectionRow {
    id: String,
    workspace_id: String,
    user_id: Option<String>,
    provider: String,
    base_url: Option<String>,
    auth_base_url: Option<String>,
    rate_limit: Option<String>,
    sealed_credentials: String,
    key_id: String,
    status: String,
    last_error: Option<String>,
    settings: String,
    created_at: i64,
}

impl TryFrom<ConnectionRow> for Connection {
    type Error = StoreError;
    fn try_from(r: ConnectionRow) -> Result<Self> {
        Ok(Connection {
            id: ConnectionId::from_stored(r.id),
            workspace_id: WorkspaceId::from_stored(r.workspace_id),
            user_id: r.user_id.map(UserId::from_stored),
            provider: ProviderKind::parse(&r.provider)
                .ok_or(StoreError::Corrupt { column: "connections.provider", message: r.provider.clone() })?,
            base_url: r.base_url,
            auth_base_url: r.auth_base_url,
            rate_limit: r
                .rate_limit
                .map(|raw| {
                    serde_json::from_str(&raw)
                        .map_err(|e| StoreError::Corrupt { column: "connections.rate_limit", message: e.to_string() })
                })
                .transpose()?,
            sealed_credentials: r.sealed_credentials,
            key_id: r.key_id,
            status: r.status,
            last_error: r.last_error,
            settings: json_col("connections.settings", &r.settings)?,
            created_at: r.created_at,
        })
    }
}

const COLUMNS: &str = "id, workspace_id, user_id, provider, base_url, auth_base_url, rate_limit, sealed_credentials, \
                       key_id, status, last_error, settings, created_at";

/// Stores a new connection.
pub async fn insert(c: &mut Conn, conn: &Connection) -> Result<()> {
    sqlx::query(&format!(
        "insert into connections ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(conn.id.as_str())
    .bind(conn.workspace_id.as_str())
    .bind(conn.user_id.as_ref().map(UserId::as_str))
    .bind(conn.provider.as_str())
    .bind(conn.base_url.as_deref())
    .bind(conn.auth_base_url.as_deref())
    .bind(conn.rate_limit.map(|l| serde_json::json!(l).to_string()))
    .bind(&conn.sealed_credentials)
    .bind(&conn.key_id)
    .bind(&conn.status)
    .bind(conn.last_error.as_deref())
    .bind(Value::Object(conn.settings.clone()).to_string())
    .bind(conn.created_at)
    .execute(c)
    .await?;
    Ok(())
}

/// A live connection of this workspace.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<Connection> {
    let row: Option<ConnectionRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from connections where workspace_id = $1 and id = $2 and deleted_at is null"
    ))
    .bind(workspace.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// A live connection by id alone, for webhook receivers: the path names the connection,
/// and its own secret, not a bearer token, authenticates the request.
pub async fn find(c: &mut Conn, id: &str) -> Result<Connection> {
    let row: Option<ConnectionRow> =
        sqlx::query_as(&format!("select {COLUMNS} from connections where id = $1 and deleted_at is null"))
            .bind(id)
            .fetch_optional(c)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The workspace's live connections, oldest first.
pub async fn list(c: &mut Conn, workspace: &WorkspaceId) -> Result<Vec<Connection>> {
    let rows: Vec<ConnectionRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from connections where workspace_id = $1 and deleted_at is null order by created_at, id"
    ))
    .bind(workspace.as_str())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

/// Every connection the workspace had, deleted ones included (the sync log still names them).
pub async fn list_all(c: &mut Conn, workspace: &WorkspaceId) -> Result<Vec<Connection>> {
    let rows: Vec<ConnectionRow> =
        sqlx::query_as(&format!("select {COLUMNS} from connections where workspace_id = $1 order by created_at, id"))
            .bind(workspace.as_str())
            .fetch_all(c)
            .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

/// The connections a user's sequences sync to: the user's own and the workspace's shared ones.
pub async fn for_owner(c: &mut Conn, workspace: &WorkspaceId, user: &UserId) -> Result<Vec<Connection>> {
    let rows: Vec<ConnectionRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from connections
         where workspace_id = $1 and (user_id = $2 or user_id is null) and deleted_at is null order by created_at, id"
    ))
    .bind(workspace.as_str())
    .bind(user.as_str())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

/// Disconnects: the row stays for the sync log, credentials are wiped.
pub async fn delete(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<()> {
    let done = sqlx::query(
        "update connections set deleted_at = $3, sealed_credentials = '', status = 'disconnected'
         where workspace_id = $1 and id = $2 and deleted_at is null",
    )
    .bind(workspace.as_str())
    .bind(id)
    .bind(now_ms())
    .execute(c)
    .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Records whether the provider accepts the connection, with the last error when not.
pub async fn set_status(c: &mut Conn, id: &ConnectionId, status: &str, last_error: Option<&str>) -> Result<()> {
    sqlx::query("update connections set status = $2, last_error = $3 where id = $1 and deleted_at is null")
        .bind(id.as_str())
        .bind(status)
        .bind(last_error)
        .execute(c)
        .await?;
    Ok(())
}

/// Replaces the connection's own settings keys.
pub async fn set_settings(
    c: &mut Conn,
    workspace: &WorkspaceId,
    id: &ConnectionId,
    settings: &Map<String, Value>,
) -> Result<()> {
    let done =
        sqlx::query("update connections set settings = $3 where workspace_id = $1 and id = $2 and deleted_at is null")
            .bind(workspace.as_str())
            .bind(id.as_str())
            .bind(Value::Object(settings.clone()).to_string())
            .execute(c)
            .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Whether a live connection of this id exists in any workspace: only so that
/// naming another workspace's connection answers 404 rather than "unknown".
pub async fn exists_anywhere(c: &mut Conn, id: &str) -> Result<bool> {
    let row: Option<(String,)> = sqlx::query_as("select id from connections where id = $1 and deleted_at is null")
        .bind(id)
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}
