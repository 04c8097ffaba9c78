//! The sync log (SPEC L4): each provider call made for a contact and its outcome.

use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, now_ms};

/// One logged provider call.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
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
    pub contact: Option<&'a str>,
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
pub async fn append_at(c: &mut Conn, entries: &[(NewLogEntry<'_>, i64)]) -> Result<()> {
    let p = Params::of(c);
    for chunk in entries.chunks(CHUNK) {
        let sql = format!(
            "insert into sync_log (workspace_id, connection_id, contact, job_id, operation, outcome, detail, at)
             values {}",
            p.values(chunk.len(), 8, 1)
        );
        let mut query = rows::listed(&sql, p);
        for (e, at) in chunk {
            query = query
                .bind(e.workspace_id)
                .bind(e.connection_id)
                .bind(e.contact)
                .bind(e.job_id)
                .bind(e.operation)
                .bind(e.outcome)
                .bind(e.detail)
                .bind(*at);
        }
        query.execute(&mut *c).await?;
    }
    Ok(())
}

/// Appends an entry.
pub async fn append(c: &mut Conn, e: &NewLogEntry<'_>) -> Result<()> {
    append_at(c, &[(e.clone(), now_ms())]).await
}

/// A contact's log, oldest first.
pub async fn for_contact(c: &mut Conn, workspace: &str, contact: &str) -> Result<Vec<LogEntry>> {
    Ok(sqlx::query_as(
        "select id, connection_id, job_id, operation, outcome, detail, at from sync_log
         where workspace_id = $1 and contact = $2 order by id",
    )
    .bind(workspace)
    .bind(contact)
    .fetch_all(c)
    .await?)
}

/// A contact's most recent `limit` entries, newest first.
pub async fn recent_for_contact(c: &mut Conn, workspace: &str, contact: &str, limit: i64) -> Result<Vec<LogEntry>> {
    Ok(sqlx::query_as(
        "select id, connection_id, job_id, operation, outcome, detail, at from sync_log
         where workspace_id = $1 and contact = $2 order by at desc, id desc limit $3",
    )
    .bind(workspace)
    .bind(contact)
    .bind(limit)
    .fetch_all(c)
    .await?)
}
