//! The note ledger on PostgreSQL.

use super::types::ts;
use crate::Result;
use crate::notes::Note;
use sqlx::PgConnection;

pub(crate) async fn note_id(c: &mut PgConnection, connection_id: &str, event_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("select note_id from notes where connection_id = $1 and event_id = $2")
        .bind(connection_id)
        .bind(event_id)
        .fetch_optional(c)
        .await?)
}

pub(crate) async fn start(c: &mut PgConnection, n: &Note<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into notes (connection_id, event_id, workspace_id, contact_id, note_id, written_at)
         values ($1, $2, $3, $4, $5, $6) on conflict (connection_id, event_id) do nothing",
    )
    .bind(n.connection_id)
    .bind(n.event_id)
    .bind(n.workspace_id)
    .bind(n.contact_id)
    .bind(n.note_id)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn record(c: &mut PgConnection, n: &Note<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into notes (connection_id, event_id, workspace_id, contact_id, note_id, written_at)
         values ($1, $2, $3, $4, $5, $6) on conflict (connection_id, event_id)
         do update set note_id = excluded.note_id, written_at = excluded.written_at where notes.note_id = ''",
    )
    .bind(n.connection_id)
    .bind(n.event_id)
    .bind(n.workspace_id)
    .bind(n.contact_id)
    .bind(n.note_id)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn count_for_contact(c: &mut PgConnection, connection_id: &str, contact_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from notes where connection_id = $1 and contact_id = $2 and note_id <> ''")
        .bind(connection_id)
        .bind(contact_id)
        .fetch_one(c)
        .await?)
}
