//! A freshly linked contact's stored events replayed as activity, in the
//! order they happened, each with the decision ingest would have taken for it.

use crate::job::JobError;
use crate::sync::Syncing;
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionSettings, ContactIn, Decision, DecisionInput, EventType, WorkspaceId, decide};
use hiresync_store::Store;
use hiresync_store::connections::Connection;
use hiresync_store::events::{self, ContactSync, Enrollment};
use std::collections::HashSet;

/// Replays a freshly linked contact's stored events as activity.
pub(super) struct Backfill<'a> {
    pub(super) store: &'a Store,
    pub(super) ws: &'a WorkspaceId,
    pub(super) conn: &'a Connection,
    pub(super) settings: &'a ConnectionSettings,
    pub(super) contact_id: &'a str,
    pub(super) contact: &'a ContactIn,
    pub(super) contact_added_at: i64,
    pub(super) tags: &'a [String],
}

impl Backfill<'_> {
    /// Writes each event's note in occurred order, recording it in the ledger at once; returns notes written.
    pub(super) async fn replay(
        &self,
        enrollments: &[(String, Enrollment)],
        overridden: Option<hiresync_core::decision::SyncOverride>,
        provider: std::sync::Arc<dyn hiresync_providers::Provider>,
        mut sync: ContactSync,
    ) -> Result<(ContactSync, usize), JobError> {
        let mut replayed: HashSet<String> = HashSet::new();
        let mut written = 0;
        // A second look catches events stored while the first pass ran, before the link was visible to ingest.
        for _ in 0..2 {
            let mut c = self.store.conn().await?;
            let history = events::for_contact(&mut c, self.ws, self.contact_id).await?;
            drop(c);
            let mut replied: HashSet<Option<String>> = HashSet::new();
            let mut fresh = 0;
            for event in history {
                let first_reply = event.kind == EventType::ReplyReceived && replied.insert(event.sequence.clone());
                if !replayed.insert(event.id.clone()) {
                    continue;
                }
                fresh += 1;
                let added_while_disabled = event
                    .sequence
                    .as_ref()
                    .and_then(|s| enrollments.iter().find(|(k, _)| k == s))
                    .is_some_and(|(_, e)| e.added_while_disabled);
                let decision = decide(&DecisionInput {
                    event: event.kind,
                    settings: self.settings,
                    sequence_target: None,
                    added_while_disabled,
                    contact_override: overridden,
                    state: SyncState::Synced,
                    first_reply,
                });
                // The person was just made from the contact as it is now, so past hand edits are not replayed.
                if decision != Decision::Activity {
                    continue;
                }
                let before = sync.clone();
                let syncing = Syncing {
                    store: self.store,
                    workspace: self.ws,
                    conn: self.conn,
                    provider: provider.clone(),
                    settings: self.settings.clone(),
                    contact: self.contact.clone(),
                    contact_added_at: self.contact_added_at,
                    event,
                    sync,
                    sequence_tags: self.tags.to_vec(),
                    progress_written: false,
                    done: Vec::new(),
                };
                let out = syncing.carry_out(&Decision::Activity).await?;
                sync = out.sync.unwrap_or(before);
                if out.wrote_note {
                    written += 1;
                }
            }
            if fresh == 0 {
                break;
            }
        }
        Ok((sync, written))
    }
}
