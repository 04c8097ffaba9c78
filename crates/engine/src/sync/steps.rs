//! One decision's working set and the order of its steps: a sync links or
//! creates the person and places them (one request where the provider
//! allows), then any event writes its note, moves the stage and adds the
//! progress tag the settings map it to. The steps live in `person`,
//! `placement` and `activity`; each stores what it learnt as soon as it
//! learns it, so a repeated job picks up where the last one stopped.

use super::Writes;
use crate::job::JobError;
use crate::outbox;
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionSettings, ContactIn, Decision, EventIn, PersonDraft, WorkspaceId};
use hiresync_providers::People;
use hiresync_store::Store;
use hiresync_store::connections::Connection;
use hiresync_store::events::ContactSync;
use std::sync::Arc;

/// What carrying out one decision found and did, recorded when its job completes.
pub struct Carried {
    /// The contact's sync state to store, if the job touched it.
    pub sync: Option<ContactSync>,
    /// The sync log line.
    pub detail: String,
    /// A note went to the provider (counted by resyncs' backfill).
    pub wrote_note: bool,
}

/// A decision carried out that changes no state.
pub fn skipped(why: &str) -> Carried {
    Carried { sync: None, detail: why.to_owned(), wrote_note: false }
}

/// What carrying out one decision for a contact on a connection reads, and what it learns.
pub struct Syncing<'a> {
    /// The store, for writes that must land before the next provider call.
    pub store: &'a Store,
    /// Where writes go: the job's, each proving its lease first, or a rehearsal's, kept nowhere.
    pub writes: Writes<'a>,
    /// The job's workspace.
    pub workspace: &'a WorkspaceId,
    /// The connection written to.
    pub conn: &'a Connection,
    /// Its live client.
    pub provider: Arc<dyn People>,
    /// Its resolved settings, read when the job runs (a changed mapping applies from then on, M2).
    pub settings: ConnectionSettings,
    /// The contact as last stored.
    pub contact: ContactIn,
    /// When the contact was first stored (epoch ms): records the provider made earlier pre-exist (S5).
    pub contact_added_at: i64,
    /// The event carried out.
    pub event: EventIn,
    /// The contact's sync state with the connection.
    pub sync: ContactSync,
    /// Tags of the event's sequence.
    pub sequence_tags: Vec<String>,
    /// The event's progress tag went out with a create or update already.
    pub progress_written: bool,
    /// What was done, for the sync log.
    pub done: Vec<&'static str>,
}

impl Syncing<'_> {
    /// Carries out the decision taken at ingest.
    pub async fn carry_out(mut self, decision: &Decision) -> Result<Carried, JobError> {
        match decision {
            Decision::Skip { reason } => return Ok(skipped(reason)),
            Decision::Sync { target } => {
                let missing = self.contact.missing(&self.settings.mandatory_fields, &self.draft());
                if !missing.is_empty() {
                    let noun = if missing.len() == 1 { "field" } else { "fields" };
                    return Ok(
                        self.stop(SyncState::Skipped, format!("missing mandatory {noun}: {}", missing.join(", ")))
                    );
                }
                if self.sync.person_id.is_none() && !self.link_person(target.as_ref()).await? {
                    return Ok(self.stop(SyncState::Skipped, "the contact has no email address".into()));
                }
                if let Some(t) = target {
                    self.place(t).await?;
                }
                self.sync.state = SyncState::Synced;
                self.sync.reason = None;
            }
            Decision::Activity if self.sync.person_id.is_none() => return self.note_on_existing_record().await,
            Decision::Activity => {}
            Decision::UpdatePerson => self.update_person().await?,
        }
        if self.sync.person_id.is_none() {
            return Ok(skipped("the person is not linked"));
        }
        self.write_note().await?;
        self.move_stage().await?;
        self.add_progress_tag().await?;
        let detail = if self.done.is_empty() { "nothing to write".to_owned() } else { self.done.join(", ") };
        let wrote_note = self.done.contains(&"wrote note");
        Ok(Carried { detail, sync: Some(self.sync), wrote_note })
    }

    /// Ends the job with the contact in `state` for `reason`.
    fn stop(mut self, state: SyncState, reason: String) -> Carried {
        self.sync.state = state;
        self.sync.reason = Some(reason.clone());
        Carried { detail: reason, sync: Some(self.sync), wrote_note: false }
    }

    /// The person the provider should hold for this contact under the current settings.
    pub fn draft(&self) -> PersonDraft {
        self.contact.draft(&self.settings, &self.sequence_tags)
    }

    /// The tag this event's outreach stage maps to (A5), if any.
    pub fn progress_tag(&self) -> Option<String> {
        self.event.kind.stage().and_then(|s| self.settings.progress_tags.get(s)).map(|t| t.trim().to_owned())
    }

    /// Stores the sync state now, before the next provider call.
    pub async fn save(&self) -> Result<(), JobError> {
        let Some(mut tx) = self.writes.begin(self.store).await? else { return Ok(()) };
        outbox::put_sync_state(&mut tx, self.workspace, &self.event.contact, &self.sync).await?;
        tx.commit().await?;
        Ok(())
    }
}
