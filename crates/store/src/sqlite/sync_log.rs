//! The sync log on SQLite.

use super::lists::{self, CHUNK};
use crate::Result;
use crate::sync_log::{LogEntry, NewLogEntry};
use sqlx::SqliteConnection;

#[derive(sqlx::FromRow)]
struct LogRow {
    id: i64,
    connection_id: Option<String>,
    job_id: Option<i64>,
    operation: String,
    outcome: String,
    detail: Option<String>,
    at: i64,
}

impl From<LogRow> for LogEntry {
    fn from(r: LogRow) -> Self {
        let LogRow { id, connection_id, job_id, operation, outcome, detail, at } = r;
        LogEntry { id, connection_id, job_id, operation, outcome, detail, at }
    }
}

pub(crate) async fn append_at(c: &mut SqliteConnection, entries: &[(NewLogEntry<'_>, i64)]) -> Result<()> {
    for chunk in entries.chunks(CHUNK) {
        let sql = format!(
            "insert into sync_log (workspace_id, connection_id, contact_id, job_id, operation, outcome, detail, at)
             values {}",
            lists::values(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (e, at) in chunk {
            q = q
                .bind(e.workspace_id)
                .bind(e.connection_id)
                .bind(e.contact_id)
                .bind(e.job_id)
                .bind(e.operation)
                .bind(e.outcome)
                .bind(e.detail)
                .bind(*at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

pub(crate) async fn for_contact(c: &mut SqliteConnection, workspace: &str, contact_id: &str) -> Result<Vec<LogEntry>> {
    let rows: Vec<LogRow> = sqlx::query_as(
        "select id, connection_id, job_id, operation, outcome, detail, at from sync_log
         where workspace_id = $1 and contact_id = $2 order by id",
    )
    .bind(workspace)
    .bind(contact_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(LogEntry::from).collect())
}

pub(crate) async fn recent_for_contact(
    c: &mut SqliteConnection,
    workspace: &str,
    contact_id: &str,
    limit: i64,
) -> Result<Vec<LogEntry>> {
    let rows: Vec<LogRow> = sqlx::query_as(
        "select id, connection_id, job_id, operation, outcome, detail, at from sync_log
         where workspace_id = $1 and contact_id = $2 order by at desc, id desc limit $3",
    )
    .bind(workspace)
    .bind(contact_id)
    .bind(limit)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(LogEntry::from).collect())
}
