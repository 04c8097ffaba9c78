//! Resyncs (SPEC R1): a set of contacts to sync to one connection, and each
//! contact's outcome. Counts are read from the items, which the completing
//! job (or the dead-letter path) writes in its own transaction.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};
use hiresync_core::{ConnectionId, ResyncId, UserId, WorkspaceId};

/// An item whose job has not finished yet.
pub const QUEUED: &str = "queued";
/// The contact's job has begun linking it: a retry carries on rather than calling it already synced.
pub const RUNNING: &str = "running";
/// The contact was synced and its activity backfilled.
pub const SYNCED: &str = "synced";
/// The contact was not synced (already synced, overridden, ...); see the reason.
pub const SKIPPED: &str = "skipped";
/// The contact's job died; see the reason.
pub const FAILED: &str = "failed";

/// A resync to create.
#[derive(Clone, Debug)]
pub struct NewResync<'a> {
    /// Its id.
    pub id: &'a ResyncId,
    /// Its workspace.
    pub workspace_id: &'a WorkspaceId,
    /// The connection contacts are synced to.
    pub connection_id: &'a ConnectionId,
    /// The sequence it was asked for, if it was.
    pub sequence: Option<&'a str>,
    /// Who asked.
    pub created_by: &'a UserId,
    /// Every contact is among its items from the start; otherwise slices are listed by jobs
    /// until [`mark_listed`].
    pub listed: bool,
}

/// A resync with its counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Resync {
    /// Its id.
    pub id: String,
    /// The connection contacts are synced to.
    pub connection_id: String,
    /// The sequence it was asked for, if it was.
    pub sequence: Option<String>,
    /// When it was asked for (epoch ms).
    pub created_at: i64,
    /// Contacts in it.
    pub total: i64,
    /// Contacts synced.
    pub synced: i64,
    /// Contacts skipped.
    pub skipped: i64,
    /// Contacts whose job died.
    pub failed: i64,
    /// All its contacts are among its items (a sequence's are listed a slice at a time).
    pub listed: bool,
}

impl Resync {
    /// A resync as stored, its counts not read yet.
    pub(crate) fn new(
        id: String,
        connection_id: String,
        sequence: Option<String>,
        created_at: i64,
        listed: bool,
    ) -> Self {
        Self { id, connection_id, sequence, created_at, total: 0, synced: 0, skipped: 0, failed: 0, listed }
    }

    /// Contacts finished either way.
    pub fn done(&self) -> i64 {
        self.synced + self.skipped + self.failed
    }
}

/// One contact of a resync.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ResyncItem {
    /// The contact's id.
    pub contact_id: String,
    /// queued / running / synced / skipped / failed.
    pub outcome: String,
    /// Why skipped or failed.
    pub reason: Option<String>,
}

/// Stores a resync and its items (each `(contact_id, outcome, reason)`).
pub async fn insert(db: &mut Db, r: &NewResync<'_>, items: &[(String, &str, Option<String>)]) -> Result<()> {
    on_backend!(db, resyncs::insert(r, now_ms()))?;
    insert_items(db, r.id, items).await
}

/// Adds items (each `(contact_id, outcome, reason)`) to a stored resync.
pub async fn insert_items(db: &mut Db, resync: &ResyncId, items: &[(String, &str, Option<String>)]) -> Result<()> {
    on_backend!(db, resyncs::insert_items(resync, items, now_ms()))
}

/// Records a contact's outcome; a later outcome (a retried dead job) replaces an earlier one.
pub async fn finish_item(
    db: &mut Db,
    resync: &str,
    contact_id: &str,
    outcome: &str,
    reason: Option<&str>,
) -> Result<()> {
    let reason = reason.map(|r| r.chars().take(2000).collect::<String>());
    on_backend!(db, resyncs::finish_item(resync, contact_id, outcome, reason.as_deref(), now_ms()))
}

/// Which of a workspace's contacts a resync takes, by how they stand with its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactFilter {
    /// Never linked to a person on the connection.
    NeverSynced,
    /// Their sync failed and no person is linked.
    Failed,
    /// First linked to a person before this time (epoch ms).
    SyncedBefore(i64),
}

/// The workspace's contacts `filter` takes for `connection`, by contact id.
pub async fn contacts_matching(
    db: &mut Db,
    workspace: &WorkspaceId,
    connection: &ConnectionId,
    filter: ContactFilter,
) -> Result<Vec<String>> {
    on_backend!(db, resyncs::contacts_matching(workspace, connection, filter))
}

/// A contact's outcome in a resync, if the contact is in it.
pub async fn item_outcome(db: &mut Db, resync: &str, contact_id: &str) -> Result<Option<String>> {
    on_backend!(db, resyncs::item_outcome(resync, contact_id))
}

/// A resync of this workspace with its counts.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<Option<Resync>> {
    let Some(mut resync) = on_backend!(db, resyncs::get(workspace, id))? else { return Ok(None) };
    let counts: Vec<(String, i64)> = on_backend!(db, resyncs::counts(id))?;
    let n = |o: &str| counts.iter().find(|(k, _)| k == o).map_or(0, |(_, n)| *n);
    resync.total = counts.iter().map(|(_, n)| n).sum();
    (resync.synced, resync.skipped, resync.failed) = (n(SYNCED), n(SKIPPED), n(FAILED));
    Ok(Some(resync))
}

/// The contacts of a resync of this workspace, in contact order.
pub async fn items(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<Vec<ResyncItem>> {
    items_page(db, workspace, id, "", i64::MAX).await
}

/// Up to `limit` of a resync's contacts whose ids sort after `after` ("" from the start), by id.
pub async fn items_page(
    db: &mut Db,
    workspace: &WorkspaceId,
    id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<ResyncItem>> {
    on_backend!(db, resyncs::items(workspace, id, after, limit))
}

/// Marks the resync finished when none of its items is still queued or running; true only for
/// the one call that finds it so, which announces it. On PostgreSQL the resync's row is locked
/// first, so of two transactions recording its last items the later one sees the earlier's.
pub async fn finish_if_done(db: &mut Db, id: &str) -> Result<bool> {
    on_backend!(db, resyncs::finish_if_done(id, now_ms()))
}

/// Records that every contact of a resync is among its items, so it may finish.
pub async fn mark_listed(db: &mut Db, id: &str) -> Result<()> {
    on_backend!(db, resyncs::mark_listed(id))
}

/// Resyncs of a workspace not finished yet.
pub async fn in_flight(db: &mut Db, workspace: &WorkspaceId) -> Result<i64> {
    on_backend!(db, resyncs::in_flight(workspace))
}
