//! What a batch's new events do, worked out in memory in batch order so each
//! event sees the effects of the ones before it, exactly as if they were
//! stored one by one: enrollments and first replies, a decision per event and
//! connection, sync states and jobs. Then written with multi-row statements.
//!
//! A decision is carried out by its contact and connection's [`Carry`] job,
//! which reads every decision not carried out yet when it runs; so a job is
//! enqueued only where none is waiting. Most
//! events of a busy contact then cost their event and decision rows, not a job
//! row as well.

use super::connections::Connections;
use super::referenced::Named;
use crate::carry::{self, Carry};
use crate::job::{JobKind, MAX_ATTEMPTS};
use crate::sync::own_target;
use hiresync_core::decision::SyncState;
use hiresync_core::{Decision, DecisionInput, EventType, WorkspaceId, decide};
use hiresync_store::connections::Connection;
use hiresync_store::contacts;
use hiresync_store::events::{self, Decided, Enrollment, NewDecision};
use hiresync_store::queue::{self, PRIORITY_INTERACTIVE};
use hiresync_store::{Db, StoreError, now_ms};
use std::collections::{BTreeMap, HashMap};

/// A value as read or as the batch left it; `dirty` when it must be written.
struct Held<T> {
    value: T,
    dirty: bool,
}

/// The state the new events of a batch read and change.
pub(super) struct Changes<'a> {
    /// By (contact, sequence).
    enrollments: BTreeMap<(String, String), Held<Enrollment>>,
    /// By (connection, contact).
    syncs: BTreeMap<(String, String), Held<Decided>>,
    decisions: Vec<(&'a Named<'a>, &'a Connection, Decision)>,
    /// (connection, contact) with a decision to carry out: when it first had one, and in
    /// which batch.
    to_carry: HashMap<(String, String), (usize, usize)>,
}

impl<'a> Changes<'a> {
    /// Reads the enrollments and sync states of the new events' contacts, once other batches
    /// naming them have committed ([`contacts::lock`]).
    pub async fn read(c: &mut Db, workspace: &WorkspaceId, fresh: &[Named<'_>]) -> Result<Self, StoreError> {
        let contacts = distinct(fresh.iter().map(|n| n.event.contact.as_str()));
        contacts::lock(&mut *c, workspace, &contacts).await?;
        // Only an event naming a sequence reads or writes an enrollment.
        let enrolling = distinct(fresh.iter().filter(|n| n.sequence.is_some()).map(|n| n.event.contact.as_str()));
        let enrolled = events::enrollments_of_contacts(&mut *c, workspace, &enrolling).await?;
        let syncs = events::decided_of_contacts(&mut *c, workspace, &contacts).await?;
        Ok(Self {
            enrollments: enrolled.into_iter().map(|(k, s, e)| ((k, s), Held { value: e, dirty: false })).collect(),
            syncs: syncs
                .into_iter()
                .map(|(k, s)| ((s.connection_id.as_str().to_owned(), k), Held { value: s, dirty: false }))
                .collect(),
            decisions: Vec::new(),
            to_carry: HashMap::new(),
        })
    }

    /// Applies one new event: enrolls its contact, decides for each connection of the
    /// deciding owner, and updates sync states and what is to be carried out accordingly.
    pub fn apply(&mut self, n: &'a Named<'a>, connections: &'a Connections) {
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
        let owner = n.sequence.map_or(n.caller, |s| &s.owner_id);
        let contact_override = n.contact_override;
        for l in connections.of(owner) {
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
            let sync = || Held { value: Decided::new(conn.id.clone()), dirty: true };
            let carry = match &decision {
                Decision::Skip { reason } => {
                    if !state.is_linked() {
                        let held = self.syncs.entry(key).or_insert_with(sync);
                        held.value.state = SyncState::Skipped;
                        held.value.reason = Some(reason.clone());
                        held.dirty = true;
                    }
                    None
                }
                Decision::Sync { target } => {
                    let held = self.syncs.entry(key.clone()).or_insert_with(sync);
                    held.value.state = SyncState::Pending;
                    held.value.reason = None;
                    held.value.target = target.as_ref().map(hiresync_core::Target::to_json);
                    held.dirty = true;
                    Some(key)
                }
                Decision::Activity | Decision::UpdatePerson => Some(key),
            };
            if let Some(key) = carry {
                let next = self.to_carry.len();
                self.to_carry.entry(key).or_insert((next, n.batch));
            }
            self.decisions.push((n, conn, decision));
        }
    }

    /// Writes what the events changed, then the jobs to carry out their decisions where none
    /// waits already; returns the batch each job is for.
    pub async fn write(self, c: &mut Db, workspace: &WorkspaceId) -> Result<Vec<usize>, StoreError> {
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
                contact_id: &n.event.contact,
                decision,
            })
            .collect();
        events::insert_decisions(&mut *c, workspace, &decisions).await?;
        let syncs: Vec<_> =
            self.syncs.iter().filter(|(_, h)| h.dirty).map(|((_, contact), h)| (contact.as_str(), &h.value)).collect();
        events::put_decided(&mut *c, workspace, &syncs).await?;
        // Enqueued in the order the keys first had a decision, as events posted one by one would.
        let mut to_carry: Vec<_> = self.to_carry.into_iter().collect();
        to_carry.sort_unstable_by_key(|(_, (first, _))| *first);
        let (carriers, batches): (Vec<Carry>, Vec<usize>) = to_carry
            .into_iter()
            .map(|((connection_id, contact_id), (_, batch))| (Carry { connection_id, contact_id }, batch))
            .unzip();
        let keys: Vec<String> = carriers.iter().map(Carry::ordering_key).collect();
        let waiting =
            queue::queued_keys(&mut *c, carry::KIND, &keys.iter().map(String::as_str).collect::<Vec<_>>()).await?;
        let now = now_ms();
        let mut jobs = Vec::new();
        let mut for_batches = Vec::new();
        for ((p, key), batch) in carriers.iter().zip(&keys).zip(batches) {
            if !waiting.contains(key) {
                jobs.push(p.new_job(workspace.as_str(), PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now)?);
                for_batches.push(batch);
            }
        }
        queue::enqueue_many(&mut *c, &jobs).await?;
        Ok(for_batches)
    }
}

/// The contacts named, each once.
fn distinct<'e>(contacts: impl Iterator<Item = &'e str>) -> Vec<&'e str> {
    let mut all: Vec<&str> = contacts.collect();
    all.sort_unstable();
    all.dedup();
    all
}
