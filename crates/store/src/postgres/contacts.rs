//! Contacts on PostgreSQL.

use super::types::{ms, ts};
use crate::Result;
use crate::contacts::{LOCK_SLOTS, StoredContact};
use chrono::{DateTime, Utc};
use hiresync_core::WorkspaceId;
use serde_json::Value;
use sqlx::PgConnection;
use sqlx::types::Json;

pub(crate) async fn upsert(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    external_id: &str,
    data: &Value,
    sync_override: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "insert into contacts (workspace_id, external_id, data, sync_override, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (workspace_id, external_id) do update set data = excluded.data,
           sync_override = excluded.sync_override, updated_at = excluded.updated_at",
    )
    .bind(ws.as_str())
    .bind(external_id)
    .bind(Json(data))
    .bind(sync_override)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, external_id: &str) -> Result<Option<StoredContact>> {
    let row: Option<(String, Value, DateTime<Utc>)> = sqlx::query_as(
        "select external_id, data, created_at from contacts where workspace_id = $1 and external_id = $2",
    )
    .bind(ws.as_str())
    .bind(external_id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(external_id, data, created_at)| StoredContact { external_id, data, created_at: ms(created_at) }))
}

/// The keys go as one array, so the statement's text is the same for any number of them and
/// each connection prepares it once; its generic plan looks each key up in the index.
pub(crate) async fn sync_overrides(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    external_ids: &[&str],
) -> Result<Vec<(String, Option<String>)>> {
    Ok(sqlx::query_as(
        "select external_id, sync_override from contacts
         where workspace_id = $1 and external_id in (select unnest($2::text[]))",
    )
    .bind(ws.as_str())
    .bind(external_ids)
    .fetch_all(c)
    .await?)
}

pub(crate) async fn lock(c: &mut PgConnection, ws: &WorkspaceId, external_ids: &[&str]) -> Result<()> {
    if external_ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "select pg_advisory_xact_lock(hashtext($1), slot)
         from (select distinct hashtext(id) & $2 as slot from unnest($3::text[]) as id order by slot) as slots",
    )
    .bind(ws.as_str())
    .bind(LOCK_SLOTS - 1)
    .bind(external_ids)
    .execute(c)
    .await?;
    Ok(())
}
