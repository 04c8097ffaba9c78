//! Events on SQLite.

use crate::error::{json_col, json_text};
use crate::events::kind;
use crate::sqlite::lists::{self, CHUNK};
use crate::{Result, StoreError};
use hiresync_core::{EventIn, WorkspaceId};
use sqlx::SqliteConnection;
use std::collections::HashSet;

/// See [`crate::events::insert_new`]: multi-row inserts, then the rowids past the table's last
/// one before them when some row was a duplicate.
pub(crate) async fn insert_new(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    events: &[&EventIn],
    now: i64,
) -> Result<HashSet<String>> {
    let last: i64 = sqlx::query_scalar("select coalesce(max(rowid), 0) from events").fetch_one(&mut *c).await?;
    let mut some_not_added = false;
    for chunk in events.chunks(CHUNK) {
        let sql = format!(
            "insert into events (workspace_id, received_at, id, kind, contact_id, sequence, occurred_at, data)
             values {} on conflict (workspace_id, id) do nothing",
            lists::values(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(ws.as_str())
                .bind(now)
                .bind(&e.id)
                .bind(e.kind.as_str())
                .bind(&e.contact)
                .bind(e.sequence.as_deref())
                .bind(e.occurred_at.timestamp_millis())
                .bind(json_text("events.data", &e.data)?);
        }
        let added = q.execute(&mut *c).await?.rows_affected();
        some_not_added |= u64::try_from(chunk.len()).ok() != Some(added);
    }
    if some_not_added {
        let ids: Vec<String> =
            sqlx::query_scalar("select id from events where rowid > $1").bind(last).fetch_all(&mut *c).await?;
        return Ok(ids.into_iter().collect());
    }
    Ok(events.iter().map(|e| e.id.clone()).collect())
}

pub(crate) async fn get(c: &mut SqliteConnection, ws: &WorkspaceId, id: &str) -> Result<Option<EventIn>> {
    let row: Option<EventRow> = sqlx::query_as(
        "select id, kind, contact_id, sequence, occurred_at, data from events where workspace_id = $1 and id = $2",
    )
    .bind(ws.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.map(EventIn::try_from).transpose()
}

pub(crate) async fn for_contact(c: &mut SqliteConnection, ws: &WorkspaceId, contact_id: &str) -> Result<Vec<EventIn>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select id, kind, contact_id, sequence, occurred_at, data from events
         where workspace_id = $1 and contact_id = $2 order by occurred_at, received_at, id",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(EventIn::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    kind: String,
    contact_id: String,
    sequence: Option<String>,
    occurred_at: i64,
    data: String,
}

impl TryFrom<EventRow> for EventIn {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(EventIn {
            kind: kind(&r.kind)?,
            occurred_at: chrono::DateTime::from_timestamp_millis(r.occurred_at)
                .ok_or(StoreError::Corrupt { column: "events.occurred_at", message: r.occurred_at.to_string() })?,
            data: json_col("events.data", &r.data)?,
            id: r.id,
            contact: r.contact_id,
            sequence: r.sequence,
        })
    }
}
