//! Imports and the people they have seen, on PostgreSQL.

use super::types::{ms, ms_opt, ts, ts_opt};
use crate::Result;
use crate::imports::{Import, ImportedContact, NewImport, RUNNING};
use chrono::{DateTime, Utc};
use hiresync_core::WorkspaceId;
use serde_json::Value;
use sqlx::PgConnection;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: String,
    connection_id: String,
    target: Value,
    sequence: String,
    recurring: bool,
    state: String,
    runs: i64,
    last_run_at: Option<DateTime<Utc>>,
    next_run_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    created_by: String,
    created_at: DateTime<Utc>,
    imported: i64,
    skipped_no_email: i64,
    already_present: i64,
}

impl From<ImportRow> for Import {
    fn from(r: ImportRow) -> Self {
        Import {
            target: r.target,
            id: r.id,
            connection_id: r.connection_id,
            sequence: r.sequence,
            recurring: r.recurring,
            state: r.state,
            runs: r.runs,
            last_run_at: ms_opt(r.last_run_at),
            next_run_at: ms_opt(r.next_run_at),
            last_error: r.last_error,
            created_by: r.created_by,
            created_at: ms(r.created_at),
            imported: r.imported,
            skipped_no_email: r.skipped_no_email,
            already_present: r.already_present,
        }
    }
}

const SELECT: &str = "select i.id, i.connection_id, i.target, i.sequence, i.recurring, i.state, i.runs, i.last_run_at,
      i.next_run_at, i.last_error, i.created_by, i.created_at,
      (select count(*) from import_people p where p.import_id = i.id and p.outcome = 'imported') as imported,
      (select count(*) from import_people p where p.import_id = i.id and p.outcome = 'no_email') as skipped_no_email,
      (select count(*) from import_people p where p.import_id = i.id and p.outcome = 'already_present')
        as already_present
    from imports i";

pub(crate) async fn insert(c: &mut PgConnection, i: &NewImport<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into imports (id, workspace_id, connection_id, target, sequence, recurring, state, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(i.id.as_str())
    .bind(i.workspace_id.as_str())
    .bind(i.connection_id.as_str())
    .bind(Json(i.target))
    .bind(i.sequence)
    .bind(i.recurring)
    .bind(RUNNING)
    .bind(i.created_by.as_str())
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, id: &str) -> Result<Option<Import>> {
    let row: Option<ImportRow> = sqlx::query_as(&format!("{SELECT} where i.workspace_id = $1 and i.id = $2"))
        .bind(ws.as_str())
        .bind(id)
        .fetch_optional(c)
        .await?;
    Ok(row.map(Import::from))
}

pub(crate) async fn list(c: &mut PgConnection, ws: &WorkspaceId) -> Result<Vec<Import>> {
    let rows: Vec<ImportRow> = sqlx::query_as(&format!(
        "{SELECT} where i.workspace_id = $1 and i.state <> 'stopped' order by i.created_at desc, i.id desc"
    ))
    .bind(ws.as_str())
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(Import::from).collect())
}

pub(crate) async fn stop(c: &mut PgConnection, ws: &WorkspaceId, id: &str, now: i64) -> Result<bool> {
    let found = sqlx::query(
        "update imports set state = 'stopped', next_run_at = null, stopped_at = coalesce(stopped_at, $3)
         where workspace_id = $1 and id = $2",
    )
    .bind(ws.as_str())
    .bind(id)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(found.rows_affected() == 1)
}

pub(crate) async fn start_run(c: &mut PgConnection, id: &str) -> Result<()> {
    sqlx::query("update imports set state = 'running', next_run_at = null where id = $1 and state <> 'stopped'")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn finish_run(
    c: &mut PgConnection,
    id: &str,
    state: &str,
    at: i64,
    next_run_at: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "update imports set state = $2, runs = runs + 1, last_run_at = $3, next_run_at = $4, last_error = null
         where id = $1 and state <> 'stopped'",
    )
    .bind(id)
    .bind(state)
    .bind(ts(at))
    .bind(ts_opt(next_run_at))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn fail(c: &mut PgConnection, id: &str, error: &str) -> Result<()> {
    sqlx::query(
        "update imports set state = 'failed', next_run_at = null, last_error = $2 where id = $1 and state <> 'stopped'",
    )
    .bind(id)
    .bind(error)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn person_outcome(c: &mut PgConnection, import: &str, person_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("select outcome from import_people where import_id = $1 and person_id = $2")
        .bind(import)
        .bind(person_id)
        .fetch_optional(c)
        .await?)
}

pub(crate) async fn record_person(
    c: &mut PgConnection,
    import: &str,
    person_id: &str,
    outcome: &str,
    contact_id: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "insert into import_people (import_id, person_id, outcome, contact_id, first_seen_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (import_id, person_id) do update set outcome = excluded.outcome,
           contact_id = excluded.contact_id, updated_at = excluded.updated_at",
    )
    .bind(import)
    .bind(person_id)
    .bind(outcome)
    .bind(contact_id)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn contacts(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ImportedContact>> {
    let rows: Vec<(String, String, String, Value)> = sqlx::query_as(
        "select p.contact_id, p.person_id, p.outcome, k.data from import_people p
           join imports i on i.id = p.import_id
           join contacts k on k.workspace_id = i.workspace_id and k.external_id = p.contact_id
         where i.workspace_id = $1 and i.id = $2 and p.outcome in ('imported', 'already_present')
         order by p.first_seen_at, p.person_id limit $3 offset $4",
    )
    .bind(ws.as_str())
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(contact_id, person_id, outcome, data)| ImportedContact { contact_id, person_id, outcome, data })
        .collect())
}
