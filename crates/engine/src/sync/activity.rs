//! Outreach activity on the person (SPEC A1-A5): the event's note, written at
//! most once through the note ledger (a write whose outcome is unknown is read
//! back before it is repeated), the progress tag its outreach stage maps to,
//! and notes for contacts not synced on a record the provider already holds.

use super::note;
use super::{Carried, Syncing, skipped};
use crate::job::JobError;
use hiresync_core::PersonDraft;
use hiresync_store::notes::{self, NoteMark};

impl Syncing<'_> {
    /// Writes the event's note on `person` unless the ledger has it; false when none is due.
    async fn note_on(&mut self, person: &str) -> Result<bool, JobError> {
        let Some(draft) = note::for_event(&self.event, &self.settings) else { return Ok(false) };
        if !self.provider.capabilities().notes {
            return Ok(false);
        }
        let (ws, conn, contact, event) =
            (self.workspace.as_str(), self.conn.id.as_str(), self.event.contact.as_str(), self.event.id.as_str());
        let mut c = self.store.db().await?;
        match notes::mark(&mut c, conn, event).await? {
            NoteMark::Written(_) => return Ok(false),
            NoteMark::Started => {
                drop(c);
                // An earlier attempt sent it and lost the answer; notes cannot be deleted, so look first.
                if let Some(id) = self.provider.find_note(person, &draft).await? {
                    if let Some(mut tx) = self.writes.begin(self.store).await? {
                        notes::record(&mut tx, ws, conn, contact, event, &id).await?;
                        tx.commit().await?;
                    }
                    return Ok(true);
                }
            }
            NoteMark::Absent => {
                drop(c);
                if let Some(mut tx) = self.writes.begin(self.store).await? {
                    notes::start(&mut tx, ws, conn, contact, event).await?;
                    tx.commit().await?;
                }
            }
        }
        let id = self.provider.write_note(person, &draft).await?;
        if let Some(mut tx) = self.writes.begin(self.store).await? {
            notes::record(&mut tx, ws, conn, contact, event, &id).await?;
            tx.commit().await?;
        }
        Ok(true)
    }

    /// Writes the event's note on the linked person.
    pub(crate) async fn write_note(&mut self) -> Result<(), JobError> {
        let person = self.sync.person_id.clone().unwrap_or_default();
        if self.note_on(&person).await? {
            self.done.push("wrote note");
        }
        Ok(())
    }

    /// Adds the tag this event's outreach stage maps to, merged with the person's own tags.
    pub(crate) async fn add_progress_tag(&mut self) -> Result<(), JobError> {
        let (Some(tag), Some(person)) = (self.progress_tag(), self.sync.person_id.clone()) else { return Ok(()) };
        if self.progress_written {
            return Ok(());
        }
        let draft = PersonDraft { tags: vec![tag], ..PersonDraft::default() };
        self.provider.update_person(&person, &draft).await?;
        self.done.push("tagged progress");
        Ok(())
    }

    /// A contact not synced: its note goes on the record the provider holds for its email, if any
    /// (A4, unless notes are only for synced people); nothing is created or linked.
    pub(crate) async fn note_on_existing_record(mut self) -> Result<Carried, JobError> {
        if note::for_event(&self.event, &self.settings).is_none() {
            return Ok(skipped("no note for this event"));
        }
        let mut found = None;
        for email in &self.contact.emails {
            if let Some(p) = self.provider.find_person_by_email(email).await? {
                found = Some(p);
                break;
            }
        }
        let Some(person) = found else {
            return Ok(skipped(&format!("not synced, and not in {}", self.conn.provider.display_name())));
        };
        let wrote = self.note_on(&person.id).await?;
        Ok(skipped(if wrote { "wrote note on the existing record" } else { "note already written" }))
    }
}
