//! Contacts as the outreach app last described them.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};
use hiresync_core::WorkspaceId;
use serde_json::Value;

/// A stored contact: the app's id and its last validated description.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredContact {
    /// The app's id for it.
    pub external_id: String,
    /// The contact as `PUT /v1/contacts/{id}` last gave it.
    pub data: Value,
    /// When it was first stored (epoch ms).
    pub created_at: i64,
}

/// Inserts or replaces a contact; true when it was new.
pub async fn upsert(db: &mut Db, workspace: &WorkspaceId, external_id: &str, data: &Value) -> Result<bool> {
    let existed = get(db, workspace, external_id).await?.is_some();
    let sync_override = data.get("sync_override").and_then(Value::as_str);
    on_backend!(db, contacts::upsert(workspace, external_id, data, sync_override, now_ms()))?;
    Ok(!existed)
}

/// A contact of this workspace.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, external_id: &str) -> Result<Option<StoredContact>> {
    on_backend!(db, contacts::get(workspace, external_id))
}

/// Which of these contacts are stored, each with its own `sync_override` (SPEC S3) as
/// stored, or none. A batch of events needs only that much of each contact, so it is kept in
/// a column of its own: carrying every contact's whole description out to parse it, or
/// parsing it inside the database, cost ingest more than the rest of the read.
pub async fn sync_overrides(
    db: &mut Db,
    workspace: &WorkspaceId,
    external_ids: &[&str],
) -> Result<Vec<(String, Option<String>)>> {
    on_backend!(db, contacts::sync_overrides(workspace, external_ids))
}

/// Makes every other transaction that locks any of these contacts wait until the caller's
/// ends, so two ingest batches naming one contact take turns: each reads the contact's
/// enrollments and sync states as the other left them, as if the batches had been posted one
/// after the other. Without it, concurrent replies on PostgreSQL each read "no reply yet" and
/// each wrote its note. SQLite needs nothing here: a write transaction holds the database's
/// one write lock from its start.
///
/// PostgreSQL locks one of [`LOCK_SLOTS`] advisory locks of the workspace per contact, by the
/// server's hash of the contact's id, in slot order, so two batches cannot deadlock. Locking the
/// contacts' rows instead wrote every row and its WAL record, all of it while other batches on
/// those contacts waited, where the slots cost a fraction of that. Two contacts sharing a slot
/// only make their batches take turns needlessly.
pub async fn lock(db: &mut Db, workspace: &WorkspaceId, external_ids: &[&str]) -> Result<()> {
    on_backend!(db, contacts::lock(workspace, external_ids))
}

/// Advisory locks per workspace that [`lock`] spreads contacts over, a power of two. A batch
/// holds at most this many, so even every connection of a default server (100, each with room
/// for 64 locks) locking at once stays within PostgreSQL's shared lock table.
pub const LOCK_SLOTS: i32 = 64;
