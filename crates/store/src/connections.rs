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
    /// `connected`, `failing` (the provider refuses its credentials) or `disabled` (its owner was removed).
    pub status: String,
    /// The last error when failing.
    pub last_error: Option<String>,
    /// Since when it fails (epoch ms).
    pub failing_since: Option<i64>,
    /// The keys the owner set; resolved over workspace defaults when read.
    pub settings: Map<String, Value>,
    /// When it was created (epoch ms).
    pub created_at: i64,
}

/// A live connection's sealed credentials and the key that sealed them, as `hiresync rekey` reads them.
#[derive(Clone, Debug, PartialEq)]
pub struct SealedCredentials {
    /// The connection's id.
    pub id: ConnectionId,
    /// Which master key sealed them.
    pub key_id: String,
    /// The sealed blob (base64 of nonce and ciphertext).
    pub sealed: String,
}

impl From<&Connection> for SealedCredentials {
    fn from(conn: &Connection) -> Self {
        Self { id: conn.id.clone(), key_id: conn.key_id.clone(), sealed: conn.sealed_credentials.clone() }
    }
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

/// Marks the connection failing with `error` (the provider refused its credentials), to be
/// probed again after `probe_after_ms`; true when it was connected until now.
pub async fn mark_failing(db: &mut Db, id: &ConnectionId, error: &str, probe_after_ms: i64) -> Result<bool> {
    let now = now_ms();
    on_backend!(db, connections::mark_failing(id, error, now, now + probe_after_ms))
}

/// Marks a failing connection connected again (a provider call succeeded); true when it was failing.
pub async fn mark_connected(db: &mut Db, id: &str) -> Result<bool> {
    on_backend!(db, connections::mark_connected(id))
}

/// The status and last error of a live connection that does not work (failing or disabled).
pub async fn down(db: &mut Db, id: &str) -> Result<Option<(String, String)>> {
    on_backend!(db, connections::down(id))
}

/// Failing connections whose next probe is due, across workspaces, soonest first.
pub async fn due_probes(db: &mut Db, limit: i64) -> Result<Vec<Connection>> {
    on_backend!(db, connections::due_probes(now_ms(), limit))
}

/// Takes the due probe of a failing connection, setting the one after `every_ms` from now;
/// false when another process took it first or it no longer fails.
pub async fn claim_probe(db: &mut Db, id: &str, every_ms: i64) -> Result<bool> {
    let now = now_ms();
    on_backend!(db, connections::claim_probe(id, now, now + every_ms))
}

/// Replaces a connection's sealed credentials, base URLs and owner (checked live by the
/// caller): it is connected again, its links, settings and history stay.
pub async fn update_access(db: &mut Db, conn: &Connection) -> Result<()> {
    let found = on_backend!(db, connections::update_access(&conn.workspace_id, conn))?;
    if found { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Live connections' sealed credentials with ids after `after`, in id order, at most `limit`:
/// a rekey walks them in batches.
pub async fn sealed_after(db: &mut Db, after: &str, limit: i64) -> Result<Vec<SealedCredentials>> {
    on_backend!(db, connections::sealed_after(after, limit))
}

/// Replaces a live connection's sealed credentials with `sealed` under `key_id`, only while they
/// are still `was`: a change of access made meanwhile wins. True when replaced.
pub async fn replace_sealed(db: &mut Db, was: &SealedCredentials, key_id: &str, sealed: &str) -> Result<bool> {
    on_backend!(db, connections::replace_sealed(was, key_id, sealed))
}

/// Disables a removed user's personal connections (their jobs are kept, not run); returns their ids.
pub async fn disable_for_user(db: &mut Db, workspace: &WorkspaceId, user: &UserId) -> Result<Vec<String>> {
    on_backend!(db, connections::disable_for_user(workspace, user))
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

/// What registering the connection's webhook at its provider gave, if it was tried (deleted
/// connections too: removing the webhook needs it after the connection is gone).
pub async fn webhook(db: &mut Db, id: &ConnectionId) -> Result<Option<Value>> {
    on_backend!(db, connections::webhook(id))
}

/// Records what registering (or removing) the connection's webhook gave.
pub async fn set_webhook(db: &mut Db, id: &ConnectionId, webhook: &Value) -> Result<()> {
    on_backend!(db, connections::set_webhook(id, webhook))
}

/// Whether a live connection of this id exists in any workspace: only so that
/// naming another workspace's connection answers 404 rather than "unknown".
pub async fn exists_anywhere(db: &mut Db, id: &str) -> Result<bool> {
    on_backend!(db, connections::exists_anywhere(id))
}
