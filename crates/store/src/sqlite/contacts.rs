//! Contacts on SQLite.

use super::lists;
use crate::Result;
use crate::contacts::StoredContact;
use crate::error::{json_col, json_text};
use hiresync_core::WorkspaceId;
use serde_json::Value;
use sqlx::SqliteConnection;

pub(crate) async fn upsert(
    c: &mut SqliteConnection,
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
    .bind(json_text("contacts.data", data)?)
    .bind(sync_override)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn get(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    external_id: &str,
) -> Result<Option<StoredContact>> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "select external_id, data, created_at from contacts where workspace_id = $1 and external_id = $2",
    )
    .bind(ws.as_str())
    .bind(external_id)
    .fetch_optional(c)
    .await?;
    row.map(|(external_id, data, created_at)| {
        Ok(StoredContact { external_id, data: json_col("contacts.data", &data)?, created_at })
    })
    .transpose()
}

pub(crate) async fn sync_overrides(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    external_ids: &[&str],
) -> Result<Vec<(String, Option<String>)>> {
    lists::of_workspace(c, "contacts", "external_id, sync_override", "external_id", ws.as_str(), external_ids).await
}

/// Nothing to lock: the caller's write transaction holds SQLite's one write lock.
pub(crate) async fn lock(_: &mut SqliteConnection, _: &WorkspaceId, _: &[&str]) -> Result<()> {
    Ok(())
}
