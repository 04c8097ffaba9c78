//! What a batch's new events do, worked out in memory in batch order so each
//! event sees the effects of the ones before it, exactly as if they were
//! stored one by one: enrollments and first replies, a decision per event and
//! connection, sync states and jobs. Then written with multi-row statements.

use super::known::Named;
use super::live::Live;
use super::{MAX_ATTEMPTS, own_target};
use crate::job::JobPayload;
use hiresync_core::decision::SyncState;
use hiresync_core::{Decision, DecisionInput, EventType, UserId, WorkspaceId, decide};
use hiresync_store::connections::Connection;
use hiresync_store::events::{self, Decided, Enrollment, NewDecision};
use hiresync_store::queue::{self, NewJob, PRIORITY_INTERACTIVE};
use hiresync_store::{Conn, StoreError, now_ms};
use serde_json::Value;
use std::collections::BTreeMap;

/// A value as read or as the batch left it; `dirty` when it must be written.
struct Held<T> {
    value: T,
    dirty: bool,
}

/// The state the new events of a batch read and change.
pub(super) struct Effects<'a> {
    /// By (contact, sequence).
    enrollments: BTreeMap<(String, String), Held<Enrollment>>,
    /// By (connection, contact).
    syncs: BTreeMap<(String, String), Held<Decided>>,
    decisions: Vec<(&'a Named<'a>, &'a Connection, Decision)>,
    jobs: Vec<NewJob>,
}

impl<'a> Effects<'a> {
    /// Reads the enrollments and sync states of the new events' contacts.
    pub async fn read(c: &mut Conn, workspace: &WorkspaceId, fresh: &[Named<'_>]) -> Result<Self, StoreError> {
        let mut contacts: Vec<&str> = fresh.iter().map(|n| n.event.contact.as_str()).collect();
        contacts.sort_unstable();
        contacts.dedup();
        let enrolled = events::enrollments_of_contacts(&mut *c, workspace, &contacts).await?;
        let syncs = events::decided_of_contacts(&mut *c, workspace, &contacts).await?;
        Ok(Self {
            enrollments: enrolled.into_iter().map(|(k, s, e)| ((k, s), Held { value: e, dirty: false })).collect(),
            syncs: syncs
                .into_iter()
                .map(|(k, s)| ((s.connection_id.as_str().to_owned(), k), Held { value: s, dirty: false }))
                .collect(),
            decisions: Vec::new(),
            jobs: Vec::new(),
        })
    }

    /// Applies one new event: enrolls its contact, decides for each connection of the
    /// deciding owner, and updates sync states and jobs accordingly.
    pub fn apply(
        &mut self,
        workspace: &WorkspaceId,
        caller: &'a UserId,
        n: &'a Named<'a>,
        live: &'a Live,
    ) -> Result<(), StoreError> {
        let event = n.event;
        let (mut added_while_disabled, mut first_reply) = (false, false);
        if let Some(seq) = n.sequence {
            // A second add keeps the first record; only the first reply counts (SPEC A2).
            let held = self.enrollments.entry((event.contact.clone(), seq.external_id.clone())).or_insert_with(|| {
                Held { value: Enrollment { added_while_disabled: seq.sync_disabled, replied_at: None }, dirty: true }
            });
            added_while_disabled = held.value.added_while_disabled;
            first_reply = event.kind == EventType::ReplyReceived && held.value.replied_at.is_none();
            if first_reply {
                held.value.replied_at = Some(event.occurred_at.timestamp_millis());
                held.dirty = true;
            }
        }
        let owner = n.sequence.map_or(caller, |s| &s.owner_id);
        let contact_override = n.contact_override;
        for l in live.of(owner) {
            let conn = &l.conn;
            let key = (conn.id.as_str().to_owned(), event.contact.clone());
            let state = self.syncs.get(&key).map_or(SyncState::None, |s| s.value.state);
            let decision = match &l.settings {
                Ok(settings) => {
                    let sequence_target = n.sequence.and_then(|s| own_target(conn, s.target.as_ref()));
                    decide(&DecisionInput {
                        event: event.kind,
                        settings,
                        sequence_target: sequence_target.as_ref(),
                        added_while_disabled,
                        contact_override,
                        state,
                        first_reply,
                    })
                }
                Err(reason) => Decision::Skip { reason: reason.clone() },
            };
            self.decisions.push((n, conn, decision.clone()));
            let sync = || Held { value: Decided::new(conn.id.clone()), dirty: true };
            match &decision {
                Decision::Skip { reason } => {
                    if !state.is_linked() {
                        let held = self.syncs.entry(key).or_insert_with(sync);
                        held.value.state = SyncState::Skipped;
                        held.value.reason = Some(reason.clone());
                        held.dirty = true;
                    }
                    continue;
                }
                Decision::Sync { target } => {
                    let held = self.syncs.entry(key).or_insert_with(sync);
                    held.value.state = SyncState::Pending;
                    held.value.reason = None;
                    held.value.target = target.as_ref().map(|t| Value::Object(t.0.clone()));
                    held.dirty = true;
                }
                Decision::Activity | Decision::UpdatePerson => {}
            }
            let payload = JobPayload::SyncEventV1 {
                event_id: event.id.clone(),
                connection_id: conn.id.as_str().to_owned(),
                contact: event.contact.clone(),
                decision,
            };
            self.jobs.push(payload.new_job(workspace.as_str(), PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?);
        }
        Ok(())
    }

    /// Writes what the events changed, then their jobs; returns how many jobs.
    pub async fn write(self, c: &mut Conn, workspace: &WorkspaceId) -> Result<usize, StoreError> {
        let enrollments: Vec<_> = self
            .enrollments
            .iter()
            .filter(|(_, h)| h.dirty)
            .map(|((contact, sequence), h)| (contact.as_str(), sequence.as_str(), &h.value))
            .collect();
        events::put_enrollments(&mut *c, workspace, &enrollments).await?;
        let decisions: Vec<_> = self
            .decisions
            .iter()
            .map(|(n, conn, decision)| NewDecision {
                event_id: &n.event.id,
                connection_id: &conn.id,
                contact: &n.event.contact,
                decision,
            })
            .collect();
        events::insert_decisions(&mut *c, workspace, &decisions).await?;
        let syncs: Vec<_> =
            self.syncs.iter().filter(|(_, h)| h.dirty).map(|((_, contact), h)| (contact.as_str(), &h.value)).collect();
        events::put_decided(&mut *c, workspace, &syncs).await?;
        queue::enqueue_many(&mut *c, &self.jobs).await?;
        Ok(self.jobs.len())
    }
}
