//! Connections: one user's (or the workspace's) sealed credentials for one
//! provider, their status and their own settings keys.

use crate::db::on_backend;
use crate::{Db, Result, StoreError, now_ms};
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

/// A stored provider name, parsed.
pub(crate) fn provider(stored: &str) -> Result<ProviderKind> {
    ProviderKind::parse(stored)
        .ok_or_else(|| StoreError::Corrupt { column: "connections.provider", message: stored.to_owned() })
}

/// Stores a new connection.
pub async fn insert(db: &mut Db, conn: &Connection) -> Result<()> {
    on_backend!(db, connections::insert(conn))
}

/// A live connection of this workspace.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<Connection> {
    on_backend!(db, connections::get(workspace, id))?.ok_or(StoreError::NotFound)
}

/// A live connection by id alone, for webhook receivers: the path names the connection,
/// and its own secret, not a bearer token, authenticates the request.
pub async fn find(db: &mut Db, id: &str) -> Result<Connection> {
    on_backend!(db, connections::find(id))?.ok_or(StoreError::NotFound)
}

/// The workspace's live connections, oldest first.
pub async fn list(db: &mut Db, workspace: &WorkspaceId) -> Result<Vec<Connection>> {
    on_backend!(db, connections::list(workspace, true))
}

/// Every connection the workspace had, deleted ones included (the sync log still names them).
pub async fn list_all(db: &mut Db, workspace: &WorkspaceId) -> Result<Vec<Connection>> {
    on_backend!(db, connections::list(workspace, false))
}

/// The connections a user's sequences sync to: the user's own and the workspace's shared ones.
pub async fn for_owner(db: &mut Db, workspace: &WorkspaceId, user: &UserId) -> Result<Vec<Connection>> {
    on_backend!(db, connections::for_owner(workspace, user))
}

/// Disconnects: the row stays for the sync log, credentials are wiped.
pub async fn delete(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<()> {
    let found = on_backend!(db, connections::delete(workspace, id, now_ms()))?;
    if found { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Records whether the provider accepts the connection, with the last error when not.
pub async fn set_status(db: &mut Db, id: &ConnectionId, status: &str, last_error: Option<&str>) -> Result<()> {
    on_backend!(db, connections::set_status(id, status, last_error))
}

/// Replaces the connection's own settings keys.
pub async fn set_settings(
    db: &mut Db,
    workspace: &WorkspaceId,
    id: &ConnectionId,
    settings: &Map<String, Value>,
) -> Result<()> {
    let found = on_backend!(db, connections::set_settings(workspace, id, settings))?;
    if found { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Whether a live connection of this id exists in any workspace: only so that
/// naming another workspace's connection answers 404 rather than "unknown".
pub async fn exists_anywhere(db: &mut Db, id: &str) -> Result<bool> {
    on_backend!(db, connections::exists_anywhere(id))
}
