//! The events the outreach app posted, each stored once by its id.

use crate::db::on_backend;
use crate::{Db, Result, StoreError, now_ms};
use hiresync_core::{EventIn, EventType, WorkspaceId};
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
pub async fn insert_new(db: &mut Db, workspace: &WorkspaceId, events: &[&EventIn]) -> Result<HashSet<String>> {
    if events.is_empty() {
        return Ok(HashSet::new());
    }
    on_backend!(db, events::insert_new(workspace, events, now_ms()))
}

/// One stored event.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<EventIn> {
    on_backend!(db, events::get(workspace, id))?.ok_or(StoreError::NotFound)
}

/// A contact's events in the order they happened (for backfills).
pub async fn for_contact(db: &mut Db, workspace: &WorkspaceId, contact_id: &str) -> Result<Vec<EventIn>> {
    on_backend!(db, events::for_contact(workspace, contact_id))
}

/// A stored event kind, parsed.
pub(crate) fn kind(stored: &str) -> Result<EventType> {
    EventType::parse(stored).ok_or_else(|| StoreError::Corrupt { column: "events.kind", message: stored.to_owned() })
}
