//! Imports (SPEC R2, R3): a provider target's people brought into a sequence,
//! once or every hour, and every person each import has seen, so a re-run
//! imports nobody twice and the counts are of distinct people.

use crate::{Conn, Result, StoreError, error::json_col, now_ms};
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

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: String,
    connection_id: String,
    target: String,
    sequence: String,
    recurring: i64,
    state: String,
    runs: i64,
    last_run_at: Option<i64>,
    next_run_at: Option<i64>,
    last_error: Option<String>,
    created_by: String,
    created_at: i64,
    imported: i64,
    skipped_no_email: i64,
    already_present: i64,
}

impl TryFrom<ImportRow> for Import {
    type Error = StoreError;
    fn try_from(r: ImportRow) -> Result<Self> {
        Ok(Import {
            target: json_col("imports.target", &r.target)?,
            id: r.id,
            connection_id: r.connection_id,
            sequence: r.sequence,
            recurring: r.recurring != 0,
            state: r.state,
            runs: r.runs,
            last_run_at: r.last_run_at,
            next_run_at: r.next_run_at,
            last_error: r.last_error,
            created_by: r.created_by,
            created_at: r.created_at,
            imported: r.imported,
            skipped_no_email: r.skipped_no_email,
            already_present: r.already_present,
        })
    }
}

const SELECT: &str = "select i.id, i.connection_id, i.target, i.sequence, i.recurring, i.state, i.runs, i.last_run_at,
      i.next_run_at, i.last_error, i.created_by, i.created_at,
      (select count(*) from import_people p where p.import_id = i.id and p.outcome = 'imported') as imported,
      (select count(*) from import_people p where p.import_id = i.id and p.outcome = 'no_email') as skipped_no_email,
      (select count(*) from import_people p where p.import_id = i.id and p.outcome = 'already_present')
        as already_present
    from imports i";

/// Stores a new import in the running state.
pub async fn insert(c: &mut Conn, i: &NewImport<'_>) -> Result<()> {
    sqlx::query(
        "insert into imports (id, workspace_id, connection_id, target, sequence, recurring, state, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(i.id.as_str())
    .bind(i.workspace_id.as_str())
    .bind(i.connection_id.as_str())
    .bind(i.target.to_string())
    .bind(i.sequence)
    .bind(i64::from(i.recurring))
    .bind(RUNNING)
    .bind(i.created_by.as_str())
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(())
}

/// An import of this workspace.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<Option<Import>> {
    let row: Option<ImportRow> = sqlx::query_as(&format!("{SELECT} where i.workspace_id = $1 and i.id = $2"))
        .bind(workspace.as_str())
        .bind(id)
        .fetch_optional(c)
        .await?;
    row.map(Import::try_from).transpose()
}

/// The workspace's imports that are not stopped, newest first.
pub async fn list(c: &mut Conn, workspace: &WorkspaceId) -> Result<Vec<Import>> {
    let rows: Vec<ImportRow> = sqlx::query_as(&format!(
        "{SELECT} where i.workspace_id = $1 and i.state <> 'stopped' order by i.created_at desc, i.id desc"
    ))
    .bind(workspace.as_str())
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Import::try_from).collect()
}

/// Stops an import; false when there is none of that id in the workspace.
pub async fn stop(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<bool> {
    let now = now_ms();
    let found = sqlx::query(
        "update imports set state = 'stopped', next_run_at = null, stopped_at = coalesce(stopped_at, $3)
         where workspace_id = $1 and id = $2",
    )
    .bind(workspace.as_str())
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(found.rows_affected() == 1)
}

/// Marks a run as under way (its first page is being read).
pub async fn start_run(c: &mut Conn, id: &str) -> Result<()> {
    sqlx::query("update imports set state = 'running', next_run_at = null where id = $1 and state <> 'stopped'")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Records a run finished at `at`: scheduled again at `next_run_at`, or done when that is none.
pub async fn finish_run(c: &mut Conn, id: &str, at: i64, next_run_at: Option<i64>) -> Result<()> {
    sqlx::query(
        "update imports set state = $2, runs = runs + 1, last_run_at = $3, next_run_at = $4, last_error = null
         where id = $1 and state <> 'stopped'",
    )
    .bind(id)
    .bind(if next_run_at.is_some() { SCHEDULED } else { DONE })
    .bind(at)
    .bind(next_run_at)
    .execute(c)
    .await?;
    Ok(())
}

/// Records a run that failed for good.
pub async fn fail(c: &mut Conn, id: &str, error: &str) -> Result<()> {
    sqlx::query(
        "update imports set state = 'failed', next_run_at = null, last_error = $2 where id = $1 and state <> 'stopped'",
    )
    .bind(id)
    .bind(error.chars().take(2000).collect::<String>())
    .execute(c)
    .await?;
    Ok(())
}

/// What this import made of a person before, if it has seen them.
pub async fn person_outcome(c: &mut Conn, import: &str, person_id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("select outcome from import_people where import_id = $1 and person_id = $2")
            .bind(import)
            .bind(person_id)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(o,)| o))
}

/// Records what this import made of a person; a later outcome replaces an earlier one.
pub async fn record_person(
    c: &mut Conn,
    import: &str,
    person_id: &str,
    outcome: &str,
    contact: Option<&str>,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "insert into import_people (import_id, person_id, outcome, contact, first_seen_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (import_id, person_id) do update set outcome = excluded.outcome, contact = excluded.contact,
           updated_at = excluded.updated_at",
    )
    .bind(import)
    .bind(person_id)
    .bind(outcome)
    .bind(contact)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// A contact an import brought into its sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedContact {
    /// The contact's external id.
    pub contact: String,
    /// The person's id in the provider.
    pub person_id: String,
    /// `imported` or `already_present`.
    pub outcome: String,
    /// The contact as stored.
    pub data: Value,
}

/// The contacts an import brought into its sequence, in the order it first saw them.
pub async fn contacts(
    c: &mut Conn,
    workspace: &WorkspaceId,
    id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ImportedContact>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "select p.contact, p.person_id, p.outcome, k.data from import_people p
           join imports i on i.id = p.import_id
           join contacts k on k.workspace_id = i.workspace_id and k.external_id = p.contact
         where i.workspace_id = $1 and i.id = $2 and p.outcome in ('imported', 'already_present')
         order by p.first_seen_at, p.person_id limit $3 offset $4",
    )
    .bind(workspace.as_str())
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|(contact, person_id, outcome, data)| {
            Ok(ImportedContact { contact, person_id, outcome, data: json_col("contacts.data", &data)? })
        })
        .collect()
}
