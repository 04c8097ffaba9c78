//! Events on PostgreSQL.

use crate::error::json_text;
use crate::events::kind;
use crate::postgres::types::{from_json, ts};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use hiresync_core::{EventIn, WorkspaceId};
use serde_json::Value;
use sqlx::PgConnection;
use std::collections::HashSet;

/// See [`crate::events::insert_new`]: one statement of a column array each.
///
/// A batch is nearly always all new, so it is first inserted plainly, within a savepoint:
/// `on conflict do nothing` makes a speculative insertion of every row, which costs more than a
/// plain one. Only when an id is stored already (or by a concurrent batch that commits first)
/// does that insert fail; then it is undone to the savepoint and the batch goes in again,
/// skipping the ids stored.
pub(crate) async fn insert_new(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    events: &[&EventIn],
    now: i64,
) -> Result<HashSet<String>> {
    let columns = Columns {
        ids: events.iter().map(|e| e.id.as_str()).collect(),
        kinds: events.iter().map(|e| e.kind.as_str()).collect(),
        contact_ids: events.iter().map(|e| e.contact.as_str()).collect(),
        sequences: events.iter().map(|e| e.sequence.as_deref()).collect(),
        occurred_at: events.iter().map(|e| ts(e.occurred_at.timestamp_millis())).collect(),
        data: events.iter().map(|e| json_text("events.data", &e.data)).collect::<Result<_>>()?,
    };
    let mut savepoint = sqlx::Connection::begin(&mut *c).await?;
    match insert(&mut savepoint, ws, now, &columns, "").await {
        Ok(_) => {
            savepoint.commit().await?;
            return Ok(events.iter().map(|e| e.id.clone()).collect());
        }
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => savepoint.rollback().await?,
        Err(e) => return Err(e.into()),
    }
    let skipping = "on conflict (workspace_id, id) do nothing returning id";
    Ok(insert(c, ws, now, &columns, skipping).await?.into_iter().collect())
}

/// The events' columns as arrays.
struct Columns<'a> {
    ids: Vec<&'a str>,
    kinds: Vec<&'a str>,
    contact_ids: Vec<&'a str>,
    sequences: Vec<Option<&'a str>>,
    occurred_at: Vec<DateTime<Utc>>,
    /// JSON text, which the `json` column keeps as it is.
    data: Vec<String>,
}

/// Inserts events given as column arrays, `tail` ending the statement; returns what it returns.
async fn insert(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    now: i64,
    columns: &Columns<'_>,
    tail: &str,
) -> std::result::Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "insert into events (workspace_id, received_at, id, kind, contact_id, sequence, occurred_at, data)
         select $1, $2, t.id, t.kind, t.contact_id, t.sequence, t.occurred_at, t.data::json
         from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
           as t(id, kind, contact_id, sequence, occurred_at, data)
         {tail}"
    );
    sqlx::query_scalar::<_, String>(&sql)
        .bind(ws.as_str())
        .bind(ts(now))
        .bind(&columns.ids)
        .bind(&columns.kinds)
        .bind(&columns.contact_ids)
        .bind(&columns.sequences)
        .bind(&columns.occurred_at)
        .bind(&columns.data)
        .fetch_all(c)
        .await
}

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, id: &str) -> Result<Option<EventIn>> {
    let row: Option<EventRow> = sqlx::query_as(
        "select id, kind, contact_id, sequence, occurred_at, data from events where workspace_id = $1 and id = $2",
    )
    .bind(ws.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.map(EventIn::try_from).transpose()
}

/// The index of a contact's events is a hash of this expression (migration 0015), so the read
/// spells it beside the columns it compares.
pub(crate) async fn for_contact(c: &mut PgConnection, ws: &WorkspaceId, contact_id: &str) -> Result<Vec<EventIn>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select id, kind, contact_id, sequence, occurred_at, data from events
         where (workspace_id || '/' || contact_id) = ($1 || '/' || $2) and workspace_id = $1 and contact_id = $2
         order by occurred_at, received_at, id",
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
    occurred_at: DateTime<Utc>,
    data: Value,
}

impl TryFrom<EventRow> for EventIn {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(EventIn {
            kind: kind(&r.kind)?,
            occurred_at: r.occurred_at,
            data: from_json("events.data", r.data)?,
            id: r.id,
            contact: r.contact_id,
            sequence: r.sequence,
        })
    }
}
