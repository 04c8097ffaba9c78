//! The note ledger: which event's note was written to which connection, so a
//! repeated job (a crashed worker's, a retry) never writes a note twice. A
//! write is marked as started before it is sent; a started mark without a
//! note id means the outcome is unknown and the provider is read back first.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};

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
pub async fn mark(db: &mut Db, connection_id: &str, event_id: &str) -> Result<NoteMark> {
    let stored: Option<String> = on_backend!(db, notes::note_id(connection_id, event_id))?;
    Ok(match stored {
        None => NoteMark::Absent,
        Some(id) if id.is_empty() => NoteMark::Started,
        Some(id) => NoteMark::Written(id),
    })
}

/// The provider's id of the note already written for this event, if any.
pub async fn written(db: &mut Db, connection_id: &str, event_id: &str) -> Result<Option<String>> {
    Ok(match mark(db, connection_id, event_id).await? {
        NoteMark::Written(id) => Some(id),
        NoteMark::Absent | NoteMark::Started => None,
    })
}

/// Marks a note write as started, before it is sent; a second mark changes nothing.
pub async fn start(
    db: &mut Db,
    workspace_id: &str,
    connection_id: &str,
    contact_id: &str,
    event_id: &str,
) -> Result<()> {
    let note = Note { workspace_id, connection_id, contact_id, event_id, note_id: "" };
    on_backend!(db, notes::start(&note, now_ms()))
}

/// Records a written note; a note already recorded for the event keeps its id.
pub async fn record(
    db: &mut Db,
    workspace_id: &str,
    connection_id: &str,
    contact_id: &str,
    event_id: &str,
    note_id: &str,
) -> Result<()> {
    let note = Note { workspace_id, connection_id, contact_id, event_id, note_id };
    on_backend!(db, notes::record(&note, now_ms()))
}

/// How many notes were written for a contact through a connection.
pub async fn count_for_contact(db: &mut Db, connection_id: &str, contact_id: &str) -> Result<i64> {
    on_backend!(db, notes::count_for_contact(connection_id, contact_id))
}

/// A ledger entry to write.
pub(crate) struct Note<'a> {
    pub workspace_id: &'a str,
    pub connection_id: &'a str,
    pub contact_id: &'a str,
    pub event_id: &'a str,
    /// Empty for a started write.
    pub note_id: &'a str,
}
