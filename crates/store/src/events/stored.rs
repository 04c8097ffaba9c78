//! The events the outreach app posted, each stored once by its id.

use crate::arrays;
use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, StoreError, error::json_col, now_ms};
use hiresync_core::{EventIn, EventType, WorkspaceId};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Stores the events whose ids were not seen before and returns those ids; the
/// others are duplicates and change nothing. An id given twice is stored once,
/// from its first row. Call it inside a [`crate::Store::begin`] transaction.
///
/// On SQLite that transaction holds the write lock from its start, so the rows
/// added by the insert are exactly those past the table's last rowid before it:
/// when the insert added every row, as it does but for a retried batch, nothing
/// more is read; otherwise the new ids are read back by rowid. (Returning a row
/// per event costs the driver's thread a copy of it and a wake-up of the
/// caller, and reading which ids were stored before repeats the look-ups the
/// insert makes anyway.) On PostgreSQL, inserting an id that another open
/// transaction is inserting waits for that one to end, so the insert itself
/// answers which rows were new and two concurrent batches never both take the
/// same event as new.
pub async fn insert_new(c: &mut Conn, workspace: &WorkspaceId, events: &[&EventIn]) -> Result<HashSet<String>> {
    if Params::of(c) == Params::Numbered {
        return insert_new_as_arrays(c, workspace, events).await;
    }
    let (now, p, last) = (now_ms(), Params::Anonymous, last_rowid(c).await?);
    let mut some_not_added = false;
    for chunk in events.chunks(CHUNK) {
        let sql = format!(
            "insert into events (workspace_id, received_at, id, kind, contact, sequence, occurred_at, data)
             values {} on conflict (workspace_id, id) do nothing",
            p.values(chunk.len(), 8, 1)
        );
        let mut q = rows::listed(&sql, p);
        for e in chunk {
            q = q
                .bind(workspace.as_str())
                .bind(now)
                .bind(&e.id)
                .bind(e.kind.as_str())
                .bind(&e.contact)
                .bind(e.sequence.as_deref())
                .bind(e.occurred_at.timestamp_millis())
                .bind(data_text(&e.data)?);
        }
        let added = q.execute(&mut *c).await?.rows_affected();
        some_not_added |= u64::try_from(chunk.len()).ok() != Some(added);
    }
    if some_not_added {
        return added_since(c, last).await;
    }
    Ok(events.iter().map(|e| e.id.clone()).collect())
}

/// [`insert_new`] on PostgreSQL: one statement of a column array each ([`arrays`]).
///
/// A batch is nearly always all new, so it is first inserted plainly, within a savepoint:
/// `on conflict do nothing` makes a speculative insertion of every row (8.4 ms per 1000
/// events in psql, against 6.4 plain). Only when an id is stored already (or by a concurrent
/// batch that commits first) does that insert fail; then it is undone to the savepoint and the
/// batch goes in again, skipping the ids stored.
async fn insert_new_as_arrays(c: &mut Conn, workspace: &WorkspaceId, events: &[&EventIn]) -> Result<HashSet<String>> {
    if events.is_empty() {
        return Ok(HashSet::new());
    }
    let data = events.iter().map(|e| data_text(&e.data)).collect::<Result<Vec<_>>>()?;
    let columns = [
        arrays::text(events.iter().map(|e| Some(e.id.as_str()))),
        arrays::text(events.iter().map(|e| Some(e.kind.as_str()))),
        arrays::text(events.iter().map(|e| Some(e.contact.as_str()))),
        arrays::text(events.iter().map(|e| e.sequence.as_deref())),
        arrays::int(events.iter().map(|e| e.occurred_at.timestamp_millis())),
        arrays::text(data.iter().map(|d| Some(d.as_str()))),
    ];
    let now = now_ms();
    let mut savepoint = sqlx::Connection::begin(&mut *c).await?;
    match insert_arrays(&mut savepoint, workspace, now, &columns, "").await {
        Ok(_) => {
            savepoint.commit().await?;
            return Ok(events.iter().map(|e| e.id.clone()).collect());
        }
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => savepoint.rollback().await?,
        Err(e) => return Err(e.into()),
    }
    let skipping = "on conflict (workspace_id, id) do nothing returning id";
    let stored = insert_arrays(&mut *c, workspace, now, &columns, skipping).await?;
    Ok(stored.into_iter().collect())
}

/// Inserts events given as column arrays (id, kind, contact, sequence, occurred_at, data),
/// `tail` ending the statement; returns what it returns.
async fn insert_arrays(
    c: &mut Conn,
    workspace: &WorkspaceId,
    now: i64,
    columns: &[String; 6],
    tail: &str,
) -> std::result::Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "insert into events (workspace_id, received_at, id, kind, contact, sequence, occurred_at, data)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])
         {tail}"
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql).bind(workspace.as_str()).bind(now);
    for column in columns {
        q = q.bind(column.as_str());
    }
    q.fetch_all(c).await
}

/// An event's data as stored, printed from the map as it is rather than from a copy of it.
fn data_text(data: &Map<String, Value>) -> Result<String> {
    serde_json::to_string(data).map_err(|e| StoreError::Corrupt { column: "events.data", message: e.to_string() })
}

/// The events table's last rowid (SQLite), before an insert.
async fn last_rowid(c: &mut Conn) -> Result<i64> {
    let (last,): (i64,) = sqlx::query_as("select coalesce(max(rowid), 0) from events").fetch_one(c).await?;
    Ok(last)
}

/// The ids of the events added past rowid `last` (SQLite), in this transaction.
async fn added_since(c: &mut Conn, last: i64) -> Result<HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("select id from events where rowid > $1").bind(last).fetch_all(c).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// One stored event.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<EventIn> {
    let row: Option<EventRow> = sqlx::query_as(
        "select id, kind, contact, sequence, occurred_at, data from events where workspace_id = $1 and id = $2",
    )
    .bind(workspace.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// A contact's events in the order they happened (for backfills).
pub async fn for_contact(c: &mut Conn, workspace: &WorkspaceId, contact: &str) -> Result<Vec<EventIn>> {
    // PostgreSQL's index of them is a hash of this expression (migration 0015).
    let by = match Params::of(c) {
        Params::Anonymous => "",
        Params::Numbered => "(workspace_id || '/' || contact) = ($1 || '/' || $2) and",
    };
    let sql = format!(
        "select id, kind, contact, sequence, occurred_at, data from events
         where {by} workspace_id = $1 and contact = $2 order by occurred_at, received_at, id"
    );
    let rows: Vec<EventRow> = sqlx::query_as(&sql).bind(workspace.as_str()).bind(contact).fetch_all(c).await?;
    rows.into_iter().map(EventIn::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    kind: String,
    contact: String,
    sequence: Option<String>,
    occurred_at: i64,
    data: String,
}

impl TryFrom<EventRow> for EventIn {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(EventIn {
            kind: EventType::parse(&r.kind)
                .ok_or(StoreError::Corrupt { column: "events.kind", message: r.kind.clone() })?,
            occurred_at: chrono::DateTime::from_timestamp_millis(r.occurred_at)
                .ok_or(StoreError::Corrupt { column: "events.occurred_at", message: r.occurred_at.to_string() })?,
            data: json_col("events.data", &r.data)?,
            id: r.id,
            contact: r.contact,
            sequence: r.sequence,
        })
    }
}
