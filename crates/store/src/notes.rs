//! The note ledger: which event's note was written to which connection, so a
//! repeated job (a crashed worker's, a retry) never writes a note twice. A
//! write is marked as started before it is sent; a started mark without a
//! note id means the outcome is unknown and the provider is read back first.

use crate::{Conn, Result, now_ms};

/// Where an event's note stands with a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteMark {
    /// Never attempted.
    Absent,
    /// Sent at least once without a known outcome: read back before writing.
    Started,
    /// Written; the provider's note id.
    Written(String),
}

/// The ledger entry for this event and connection. An empty stored id marks a started write.
pub async fn mark(c: &mut Conn, connection_id: &str, event_id: &str) -> Result<NoteMark> {
    let row: Option<(String,)> = sqlx::query_as("select note_id from notes where connection_id = $1 and event_id = $2")
        .bind(connection_id)
        .bind(event_id)
        .fetch_optional(c)
        .await?;
    Ok(match row {
        None => NoteMark::Absent,
        Some((id,)) if id.is_empty() => NoteMark::Started,
        Some((id,)) => NoteMark::Written(id),
    })
}

/// The provider's id of the note already written for this event, if any.
pub async fn written(c: &mut Conn, connection_id: &str, event_id: &str) -> Result<Option<String>> {
    Ok(match mark(c, connection_id, event_id).await? {
        NoteMark::Written(id) => Some(id),
        NoteMark::Absent | NoteMark::Started => None,
    })
}

/// Marks a note write as started, before it is sent; a second mark changes nothing.
pub async fn start(c: &mut Conn, workspace_id: &str, connection_id: &str, contact: &str, event_id: &str) -> Result<()> {
    sqlx::query(
        "insert into notes (connection_id, event_id, workspace_id, contact, note_id, written_at)
         values ($1, $2, $3, $4, '', $5) on conflict (connection_id, event_id) do nothing",
    )
    .bind(connection_id)
    .bind(event_id)
    .bind(workspace_id)
    .bind(contact)
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(())
}

/// Records a written note; a note already recorded for the event keeps its id.
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
         values ($1, $2, $3, $4, $5, $6) on conflict (connection_id, event_id)
         do update set note_id = excluded.note_id, written_at = excluded.written_at where notes.note_id = ''",
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
    let (n,): (i64,) =
        sqlx::query_as("select count(*) from notes where connection_id = $1 and contact = $2 and note_id <> ''")
            .bind(connection_id)
            .bind(contact)
            .fetch_one(c)
            .await?;
    Ok(n)
}
