//! The sync log (SPEC L4): each provider call made for a contact and its outcome.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};

/// One logged provider call.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Entry id, increasing.
    pub id: i64,
    /// Connection called through.
    pub connection_id: Option<String>,
    /// The job that made the call.
    pub job_id: Option<i64>,
    /// What was done (`lookup person`, `create person`, `write note`).
    pub operation: String,
    /// `ok`, `skipped`, `retry` or `failed`.
    pub outcome: String,
    /// The provider's message or our note.
    pub detail: Option<String>,
    /// When (epoch ms).
    pub at: i64,
}

/// What to log.
#[derive(Clone, Debug)]
pub struct NewLogEntry<'a> {
    /// Workspace.
    pub workspace_id: &'a str,
    /// Connection.
    pub connection_id: Option<&'a str>,
    /// Contact.
    pub contact_id: Option<&'a str>,
    /// Job.
    pub job_id: Option<i64>,
    /// Operation.
    pub operation: &'a str,
    /// Outcome.
    pub outcome: &'a str,
    /// Detail.
    pub detail: Option<&'a str>,
}

/// Appends entries that happened at the given times (epoch ms), a few hundred per statement.
pub async fn append_at(db: &mut Db, entries: &[(NewLogEntry<'_>, i64)]) -> Result<()> {
    on_backend!(db, sync_log::append_at(entries))
}

/// Appends an entry.
pub async fn append(db: &mut Db, e: &NewLogEntry<'_>) -> Result<()> {
    append_at(db, &[(e.clone(), now_ms())]).await
}

/// A contact's log, oldest first.
pub async fn for_contact(db: &mut Db, workspace: &str, contact_id: &str) -> Result<Vec<LogEntry>> {
    on_backend!(db, sync_log::for_contact(workspace, contact_id))
}

/// A contact's most recent `limit` entries, newest first.
pub async fn recent_for_contact(db: &mut Db, workspace: &str, contact_id: &str, limit: i64) -> Result<Vec<LogEntry>> {
    on_backend!(db, sync_log::recent_for_contact(workspace, contact_id, limit))
}
