//! Connections on PostgreSQL.

use super::types::{from_json, ms, ts};
use crate::connections::{Connection, SealedCredentials, provider};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use hiresync_core::{ConnectionId, UserId, WorkspaceId};
use serde_json::{Map, Value};
use sqlx::PgConnection;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct ConnectionRow {
    id: String,
    workspace_id: String,
    user_id: Option<String>,
    provider: String,
    base_url: Option<String>,
    auth_base_url: Option<String>,
    rate_limit: Option<Value>,
    sealed_credentials: String,
    key_id: String,
    status: String,
    last_error: Option<String>,
    settings: Value,
    created_at: DateTime<Utc>,
    failing_since: Option<DateTime<Utc>>,
}

impl TryFrom<ConnectionRow> for Connection {
    type Error = StoreError;
    fn try_from(r: ConnectionRow) -> Result<Self> {
        Ok(Connection {
            id: ConnectionId::from_stored(r.id),
            workspace_id: WorkspaceId::from_stored(r.workspace_id),
            user_id: r.user_id.map(UserId::from_stored),
            provider: provider(&r.provider)?,
            base_url: r.base_url,
            auth_base_url: r.auth_base_url,
            rate_limit: r.rate_limit.map(|raw| from_json("connections.rate_limit", raw)).transpose()?,
            sealed_credentials: r.sealed_credentials,
            key_id: r.key_id,
            status: r.status,
            last_error: r.last_error,
            settings: from_json("connections.settings", r.settings)?,
            created_at: ms(r.created_at),
            failing_since: r.failing_since.map(ms),
        })
    }
}

const COLUMNS: &str = "id, workspace_id, user_id, provider, base_url, auth_base_url, rate_limit, sealed_credentials, \
                       key_id, status, last_error, settings, created_at";

/// What a read returns: the stored columns and the failure's start.
const SELECTED: &str = "id, workspace_id, user_id, provider, base_url, auth_base_url, rate_limit, \
                        sealed_credentials, key_id, status, last_error, settings, created_at, failing_since";

pub(crate) async fn insert(c: &mut PgConnection, conn: &Connection) -> Result<()> {
    sqlx::query(&format!(
        "insert into connections ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(conn.id.as_str())
    .bind(conn.workspace_id.as_str())
    .bind(conn.user_id.as_ref().map(UserId::as_str))
    .bind(conn.provider.as_str())
    .bind(conn.base_url.as_deref())
    .bind(conn.auth_base_url.as_deref())
    .bind(conn.rate_limit.as_ref().map(Json))
    .bind(&conn.sealed_credentials)
    .bind(&conn.key_id)
    .bind(&conn.status)
    .bind(conn.last_error.as_deref())
    .bind(Json(&conn.settings))
    .bind(ts(conn.created_at))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, id: &str) -> Result<Option<Connection>> {
    let row: Option<ConnectionRow> = sqlx::query_as(&format!(
        "select {SELECTED} from connections where workspace_id = $1 and id = $2 and deleted_at is null"
    ))
    .bind(ws.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.map(Connection::try_from).transpose()
}

pub(crate) async fn find(c: &mut PgConnection, id: &str) -> Result<Option<Connection>> {
    let row: Option<ConnectionRow> =
        sqlx::query_as(&format!("select {SELECTED} from connections where id = $1 and deleted_at is null"))
            .bind(id)
            .fetch_optional(c)
            .await?;
    row.map(Connection::try_from).transpose()
}

pub(crate) async fn list(c: &mut PgConnection, ws: &WorkspaceId, live_only: bool) -> Result<Vec<Connection>> {
    let live = if live_only { "and deleted_at is null" } else { "" };
    let rows: Vec<ConnectionRow> = sqlx::query_as(&format!(
        "select {SELECTED} from connections where workspace_id = $1 {live} order by created_at, id"
    ))
    .bind(ws.as_str())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

pub(crate) async fn for_owner(c: &mut PgConnection, ws: &WorkspaceId, user: &UserId) -> Result<Vec<Connection>> {
    let rows: Vec<ConnectionRow> = sqlx::query_as(&format!(
        "select {SELECTED} from connections
         where workspace_id = $1 and (user_id = $2 or user_id is null) and deleted_at is null order by created_at, id"
    ))
    .bind(ws.as_str())
    .bind(user.as_str())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

pub(crate) async fn delete(c: &mut PgConnection, ws: &WorkspaceId, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update connections set deleted_at = $3, sealed_credentials = '', status = 'disconnected'
         where workspace_id = $1 and id = $2 and deleted_at is null",
    )
    .bind(ws.as_str())
    .bind(id)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn set_status(
    c: &mut PgConnection,
    id: &ConnectionId,
    status: &str,
    last_error: Option<&str>,
) -> Result<()> {
    sqlx::query("update connections set status = $2, last_error = $3 where id = $1 and deleted_at is null")
        .bind(id.as_str())
        .bind(status)
        .bind(last_error)
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn set_settings(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    id: &ConnectionId,
    settings: &Map<String, Value>,
) -> Result<bool> {
    let done =
        sqlx::query("update connections set settings = $3 where workspace_id = $1 and id = $2 and deleted_at is null")
            .bind(ws.as_str())
            .bind(id.as_str())
            .bind(Json(settings))
            .execute(c)
            .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn exists_anywhere(c: &mut PgConnection, id: &str) -> Result<bool> {
    let row: Option<String> = sqlx::query_scalar("select id from connections where id = $1 and deleted_at is null")
        .bind(id)
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}

/// True when the connection was connected until now (its failure starts here).
pub(crate) async fn mark_failing(
    c: &mut PgConnection,
    id: &ConnectionId,
    error: &str,
    now: i64,
    probe_at: i64,
) -> Result<bool> {
    let started: Option<String> = sqlx::query_scalar(
        "update connections set status = 'failing', last_error = $2, failing_since = $3, probe_at = $4
         where id = $1 and status = 'connected' and deleted_at is null returning id",
    )
    .bind(id.as_str())
    .bind(error)
    .bind(ts(now))
    .bind(ts(probe_at))
    .fetch_optional(&mut *c)
    .await?;
    if started.is_none() {
        sqlx::query("update connections set last_error = $2 where id = $1 and status = 'failing'")
            .bind(id.as_str())
            .bind(error)
            .execute(c)
            .await?;
    }
    Ok(started.is_some())
}

/// True when the connection was failing until now (it recovers here).
pub(crate) async fn mark_connected(c: &mut PgConnection, id: &str) -> Result<bool> {
    let recovered: Option<String> = sqlx::query_scalar(
        "update connections set status = 'connected', last_error = null, failing_since = null, probe_at = null
         where id = $1 and status = 'failing' and deleted_at is null returning id",
    )
    .bind(id)
    .fetch_optional(c)
    .await?;
    Ok(recovered.is_some())
}

pub(crate) async fn due_probes(c: &mut PgConnection, now: i64, limit: i64) -> Result<Vec<Connection>> {
    let rows: Vec<ConnectionRow> = sqlx::query_as(&format!(
        "select {SELECTED} from connections
         where status = 'failing' and deleted_at is null and probe_at <= $1 order by probe_at limit $2"
    ))
    .bind(ts(now))
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Connection::try_from).collect()
}

pub(crate) async fn claim_probe(c: &mut PgConnection, id: &str, now: i64, next: i64) -> Result<bool> {
    let done =
        sqlx::query("update connections set probe_at = $3 where id = $1 and status = 'failing' and probe_at <= $2")
            .bind(id)
            .bind(ts(now))
            .bind(ts(next))
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn update_access(c: &mut PgConnection, ws: &WorkspaceId, conn: &Connection) -> Result<bool> {
    let done = sqlx::query(
        "update connections set sealed_credentials = $3, key_id = $4, base_url = $5, auth_base_url = $6,
           user_id = $7, status = 'connected', last_error = null, failing_since = null, probe_at = null
         where workspace_id = $1 and id = $2 and deleted_at is null",
    )
    .bind(ws.as_str())
    .bind(conn.id.as_str())
    .bind(&conn.sealed_credentials)
    .bind(&conn.key_id)
    .bind(conn.base_url.as_deref())
    .bind(conn.auth_base_url.as_deref())
    .bind(conn.user_id.as_ref().map(UserId::as_str))
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn sealed_after(c: &mut PgConnection, after: &str, limit: i64) -> Result<Vec<SealedCredentials>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "select id, key_id, sealed_credentials from connections
         where id > $1 and deleted_at is null and sealed_credentials <> '' order by id limit $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, key_id, sealed)| SealedCredentials { id: ConnectionId::from_stored(id), key_id, sealed })
        .collect())
}

pub(crate) async fn replace_sealed(
    c: &mut PgConnection,
    was: &SealedCredentials,
    key_id: &str,
    sealed: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "update connections set sealed_credentials = $4, key_id = $5
         where id = $1 and key_id = $2 and sealed_credentials = $3 and deleted_at is null",
    )
    .bind(was.id.as_str())
    .bind(&was.key_id)
    .bind(&was.sealed)
    .bind(sealed)
    .bind(key_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn disable_for_user(c: &mut PgConnection, ws: &WorkspaceId, user: &UserId) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "update connections set status = 'disabled', last_error = 'its owner was removed', probe_at = null
         where workspace_id = $1 and user_id = $2 and deleted_at is null returning id",
    )
    .bind(ws.as_str())
    .bind(user.as_str())
    .fetch_all(c)
    .await?)
}

pub(crate) async fn down(c: &mut PgConnection, id: &str) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "select status, coalesce(last_error, '') from connections
         where id = $1 and status in ('failing', 'disabled') and deleted_at is null",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub(crate) async fn webhook(c: &mut PgConnection, id: &ConnectionId) -> Result<Option<Value>> {
    let raw: Option<Option<Value>> =
        sqlx::query_scalar("select webhook from connections where id = $1").bind(id.as_str()).fetch_optional(c).await?;
    Ok(raw.flatten())
}

pub(crate) async fn set_webhook(c: &mut PgConnection, id: &ConnectionId, webhook: &Value) -> Result<()> {
    sqlx::query("update connections set webhook = $2 where id = $1")
        .bind(id.as_str())
        .bind(Json(webhook))
        .execute(c)
        .await?;
    Ok(())
}
