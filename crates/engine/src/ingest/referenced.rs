//! What a batch's events name, read once for the whole batch: their contacts
//! and sequences. An event naming one that does not exist refuses the batch.

use super::Batch;
use hiresync_core::decision::SyncOverride;
use hiresync_core::{EventIn, UserId, ValidationError, WorkspaceId};
use hiresync_store::contacts;
use hiresync_store::sequences::{self, Sequence};
use hiresync_store::{Db, StoreError};
use std::collections::{HashMap, HashSet};

/// The stored contacts (with their own sync override) and sequences batches name, by external id.
pub(super) struct Referenced {
    contacts: HashMap<String, Option<SyncOverride>>,
    sequences: HashMap<String, Sequence>,
}

/// An event with the contact and sequence it names, and who posted it.
pub(super) struct Named<'a> {
    pub event: &'a EventIn,
    pub caller: &'a UserId,
    pub contact_override: Option<SyncOverride>,
    pub sequence: Option<&'a Sequence>,
    /// The batch it came in, by position among those stored together.
    pub batch: usize,
}

impl Referenced {
    /// Reads the contacts and sequences the batches name, each once.
    pub async fn read(c: &mut Db, workspace: &WorkspaceId, batches: &[Batch<'_>]) -> Result<Self, StoreError> {
        let all = || batches.iter().flat_map(|b| b.events);
        let contact_ids: HashSet<&str> = all().map(|e| e.contact.as_str()).collect();
        let sequence_ids: HashSet<&str> = all().filter_map(|e| e.sequence.as_deref()).collect();
        let contact_ids: Vec<&str> = contact_ids.into_iter().collect();
        let sequence_ids: Vec<&str> = sequence_ids.into_iter().collect();
        let contacts = contacts::sync_overrides(&mut *c, workspace, &contact_ids).await?;
        let sequences = if sequence_ids.is_empty() {
            Vec::new()
        } else {
            sequences::get_many(&mut *c, workspace, &sequence_ids).await?
        };
        Ok(Self {
            contacts: contacts.into_iter().map(|(id, o)| (id, o.as_deref().and_then(SyncOverride::parse))).collect(),
            sequences: sequences.into_iter().map(|s| (s.external_id.clone(), s)).collect(),
        })
    }

    /// Each event of the `at`th batch with what it names, in batch order; else the first
    /// event (by index) naming an unknown contact, or failing that an unknown sequence.
    pub fn resolve<'a>(&'a self, batch: &Batch<'a>, at: usize) -> Result<Vec<Named<'a>>, ValidationError> {
        let caller = batch.caller;
        batch
            .events
            .iter()
            .enumerate()
            .map(|(i, event)| {
                let invalid =
                    |field: &str, message: &str| ValidationError::field(field, message).within(&format!("[{i}]"));
                let contact_override = *self
                    .contacts
                    .get(&event.contact)
                    .ok_or_else(|| invalid("contact", "unknown contact: PUT /v1/contacts/{id} first"))?;
                let sequence = match &event.sequence {
                    Some(id) => Some(
                        self.sequences
                            .get(id)
                            .ok_or_else(|| invalid("sequence", "unknown sequence: PUT /v1/sequences/{id} first"))?,
                    ),
                    None => None,
                };
                Ok(Named { event, caller, contact_override, sequence, batch: at })
            })
            .collect()
    }
}
