//! The note ledger: which event's note was written to which connection, so a
//! repeated job (a crashed worker's, a retry) never writes a note twice.

use crate::{Conn, Result, now_ms};

/// The provider's id of the note already written for this event, if any.
pub async fn written(c: &mut Conn, connection_id: &str, event_id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("select note_id from notes where connection_id = $1 and event_id = $2")
        .bind(connection_id)
        .bind(event_id)
        .fetch_optional(c)
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Records a written note; recording the same event twice keeps the first.
pub async fn record(
    c: &mut Conn,
    workspace_id: &str,
    connection_id: &str,
    contact: &str,
    event_id: &str,
    note_id: &str,
) -> Result<()> {
    sqlx::query(
        "insert into notes (connection_id, event_id, workspace_id, contact, note_id, written_at)
         values ($1, $2, $3, $4, $5, $6) on conflict (connection_id, event_id) do nothing",
    )
    .bind(connection_id)
    .bind(event_id)
    .bind(workspace_id)
    .bind(contact)
    .bind(note_id)
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(())
}

/// How many notes were written for a contact through a connection.
pub async fn count_for_contact(c: &mut Conn, connection_id: &str, contact: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from notes where connection_id = $1 and contact = $2")
        .bind(connection_id)
        .bind(contact)
        .fetch_one(c)
        .await?;
    Ok(n)
}
