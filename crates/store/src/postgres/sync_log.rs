//! The sync log on PostgreSQL.

use super::types::{ms, ts};
use crate::Result;
use crate::sync_log::{LogEntry, NewLogEntry};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

#[derive(sqlx::FromRow)]
struct LogRow {
    id: i64,
    connection_id: Option<String>,
    job_id: Option<i64>,
    operation: String,
    outcome: String,
    detail: Option<String>,
    at: DateTime<Utc>,
}

impl From<LogRow> for LogEntry {
    fn from(r: LogRow) -> Self {
        let LogRow { id, connection_id, job_id, operation, outcome, detail, at } = r;
        LogEntry { id, connection_id, job_id, operation, outcome, detail, at: ms(at) }
    }
}

/// One statement of a column array each, whose text is the same for any number of entries.
pub(crate) async fn append_at<'a>(c: &mut PgConnection, entries: &[(NewLogEntry<'a>, i64)]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&NewLogEntry<'a>) -> Option<&'a str>| entries.iter().map(|(e, _)| f(e)).collect::<Vec<_>>();
    sqlx::query(
        "insert into sync_log (workspace_id, connection_id, contact_id, job_id, operation, outcome, detail, at)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                              $8::timestamptz[])",
    )
    .bind(column(|e| Some(e.workspace_id)))
    .bind(column(|e| e.connection_id))
    .bind(column(|e| e.contact_id))
    .bind(entries.iter().map(|(e, _)| e.job_id).collect::<Vec<_>>())
    .bind(column(|e| Some(e.operation)))
    .bind(column(|e| Some(e.outcome)))
    .bind(column(|e| e.detail))
    .bind(entries.iter().map(|(_, at)| ts(*at)).collect::<Vec<_>>())
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn for_contact(c: &mut PgConnection, workspace: &str, contact_id: &str) -> Result<Vec<LogEntry>> {
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
    c: &mut PgConnection,
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
