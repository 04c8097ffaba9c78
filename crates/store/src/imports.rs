//! Imports (SPEC R2, R3): a provider target's people brought into a sequence,
//! once or every hour, and every person each import has seen, so a re-run
//! imports nobody twice and the counts are of distinct people.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};
use hiresync_core::{ConnectionId, ImportId, UserId, WorkspaceId};
use serde_json::Value;

/// A run is queued or in progress.
pub const RUNNING: &str = "running";
/// A recurring import waiting for its next run.
pub const SCHEDULED: &str = "scheduled";
/// A one-off import that has run.
pub const DONE: &str = "done";
/// Stopped by the user; a pending run does nothing.
pub const STOPPED: &str = "stopped";
/// A run failed for good; see `last_error`.
pub const FAILED: &str = "failed";

/// A person made into a new contact by this import.
pub const IMPORTED: &str = "imported";
/// A person already linked to a contact on this connection; enrolled, not created.
pub const ALREADY_PRESENT: &str = "already_present";
/// A person without an email address; skipped until they have one.
pub const NO_EMAIL: &str = "no_email";

/// An import to create.
#[derive(Clone, Debug)]
pub struct NewImport<'a> {
    /// Its id.
    pub id: &'a ImportId,
    /// Its workspace.
    pub workspace_id: &'a WorkspaceId,
    /// The connection whose target is read.
    pub connection_id: &'a ConnectionId,
    /// The provider target (job, project), already checked against the provider's shape.
    pub target: &'a Value,
    /// The sequence people are enrolled in.
    pub sequence: &'a str,
    /// Runs again every hour.
    pub recurring: bool,
    /// Who asked.
    pub created_by: &'a UserId,
}

/// A stored import with its counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// Its id.
    pub id: String,
    /// The connection whose target is read.
    pub connection_id: String,
    /// The provider target.
    pub target: Value,
    /// The sequence people are enrolled in.
    pub sequence: String,
    /// Runs again every hour.
    pub recurring: bool,
    /// running / scheduled / done / stopped / failed.
    pub state: String,
    /// Runs completed.
    pub runs: i64,
    /// When the last run completed (epoch ms).
    pub last_run_at: Option<i64>,
    /// When the next run is due (epoch ms).
    pub next_run_at: Option<i64>,
    /// Why the last run failed.
    pub last_error: Option<String>,
    /// Who asked for it.
    pub created_by: String,
    /// When it was created (epoch ms).
    pub created_at: i64,
    /// People made into new contacts.
    pub imported: i64,
    /// People skipped for having no email.
    pub skipped_no_email: i64,
    /// People already linked to a contact, enrolled without creating one.
    pub already_present: i64,
}

/// Stores a new import in the running state.
pub async fn insert(db: &mut Db, i: &NewImport<'_>) -> Result<()> {
    on_backend!(db, imports::insert(i, now_ms()))
}

/// An import of this workspace.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<Option<Import>> {
    on_backend!(db, imports::get(workspace, id))
}

/// The workspace's imports that are not stopped, newest first.
pub async fn list(db: &mut Db, workspace: &WorkspaceId) -> Result<Vec<Import>> {
    on_backend!(db, imports::list(workspace))
}

/// Stops an import; false when there is none of that id in the workspace.
pub async fn stop(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<bool> {
    on_backend!(db, imports::stop(workspace, id, now_ms()))
}

/// Marks a run as under way (its first page is being read).
pub async fn start_run(db: &mut Db, id: &str) -> Result<()> {
    on_backend!(db, imports::start_run(id))
}

/// Records a run finished at `at`: scheduled again at `next_run_at`, or done when that is none.
pub async fn finish_run(db: &mut Db, id: &str, at: i64, next_run_at: Option<i64>) -> Result<()> {
    let state = if next_run_at.is_some() { SCHEDULED } else { DONE };
    on_backend!(db, imports::finish_run(id, state, at, next_run_at))
}

/// Records a run that failed for good.
pub async fn fail(db: &mut Db, id: &str, error: &str) -> Result<()> {
    on_backend!(db, imports::fail(id, &error.chars().take(2000).collect::<String>()))
}

/// What this import made of a person before, if it has seen them.
pub async fn person_outcome(db: &mut Db, import: &str, person_id: &str) -> Result<Option<String>> {
    on_backend!(db, imports::person_outcome(import, person_id))
}

/// Records what this import made of a person; a later outcome replaces an earlier one.
pub async fn record_person(
    db: &mut Db,
    import: &str,
    person_id: &str,
    outcome: &str,
    contact_id: Option<&str>,
) -> Result<()> {
    on_backend!(db, imports::record_person(import, person_id, outcome, contact_id, now_ms()))
}

/// A contact an import brought into its sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedContact {
    /// The contact's id.
    pub contact_id: String,
    /// The person's id in the provider.
    pub person_id: String,
    /// `imported` or `already_present`.
    pub outcome: String,
    /// The contact as stored.
    pub data: Value,
}

/// The contacts an import brought into its sequence, in the order it first saw them.
pub async fn contacts(
    db: &mut Db,
    workspace: &WorkspaceId,
    id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ImportedContact>> {
    on_backend!(db, imports::contacts(workspace, id, limit, offset))
}
