//! Resyncs (SPEC R1): contacts never synced to a connection are synced now and
//! their stored activity is backfilled as notes, in the order it happened.
//!
//! One job per contact, keyed like the contact's event jobs so the two never
//! interleave. The job replays what ingest would have done had the connection
//! been there: the same decision (`decide`), the same executor steps (link by
//! email, place on the target, move the stage, write the note through the
//! ledger). A resync is the user's explicit request, so the connection's
//! trigger does not hold it back; a contact's "don't sync" and a sequence's
//! "Sync Disabled" (S2) still do.

use crate::completion::Effect;
use crate::executor::{Executor, JobError, Ran, finished};
use crate::ingest::{MAX_ATTEMPTS, contact_override, own_target};
use crate::job::JobPayload;
use crate::run::Run;
use hiresync_core::decision::SyncState;
use hiresync_core::{
    ConnectionSettings, ContactIn, Decision, DecisionInput, EventIn, EventType, ResyncId, Trigger, UserId, WorkspaceId,
    decide,
};
use hiresync_store::connections::Connection;
use hiresync_store::events::{ContactSync, Enrollment};
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_BULK};
use hiresync_store::resyncs::{self, FAILED, NewResync, QUEUED, RUNNING, SKIPPED, SYNCED};
use hiresync_store::{Db, Store, StoreError, connections, contacts, events, now_ms, sequences, workspaces};
use std::collections::HashSet;

/// Whose contacts a resync takes.
#[derive(Clone, Debug)]
pub enum Scope {
    /// These contacts, each known to the workspace; repeats are ignored.
    Contacts(Vec<String>),
    /// Everyone enrolled in this sequence; its target and tags decide.
    Sequence(String),
}

/// What to resync.
#[derive(Clone, Debug)]
pub struct ResyncRequest<'a> {
    /// The connection to sync to, already checked as visible to the caller.
    pub connection: &'a Connection,
    /// The contacts.
    pub scope: Scope,
    /// Who asked.
    pub created_by: &'a UserId,
}

/// A created resync.
#[derive(Clone, Debug, PartialEq)]
pub struct Started {
    /// Its id.
    pub id: ResyncId,
    /// Jobs enqueued (contacts not already synced).
    pub jobs: usize,
}

/// Stores the resync and one job per contact not yet linked, in one transaction of a few
/// statements per few hundred contacts; a sequence of any size is read and written a slice
/// at a time, so memory stays flat in its length.
pub async fn start(store: &Store, workspace: &WorkspaceId, req: &ResyncRequest<'_>) -> Result<Started, StoreError> {
    const SLICE: usize = 500;
    let id = ResyncId::generate();
    let sequence = match &req.scope {
        Scope::Sequence(seq) => Some(seq.as_str()),
        Scope::Contacts(_) => None,
    };
    let new = NewResync {
        id: &id,
        workspace_id: workspace,
        connection_id: &req.connection.id,
        sequence,
        created_by: req.created_by,
    };
    let mut tx = store.begin().await?;
    resyncs::insert(&mut tx, &new, &[]).await?;
    let slices = Slices { workspace, resync: &id, connection: req.connection, sequence };
    let mut queued = 0;
    match &req.scope {
        Scope::Contacts(list) => {
            let mut seen = HashSet::new();
            let contacts: Vec<&str> = list.iter().map(String::as_str).filter(|c| seen.insert(*c)).collect();
            for slice in contacts.chunks(SLICE) {
                queued += slices.queue(&mut tx, slice).await?;
            }
        }
        Scope::Sequence(seq) => {
            let mut after = None;
            loop {
                let page = events::enrolled(&mut tx, workspace, seq, after.as_ref(), SLICE).await?;
                let slice: Vec<&str> = page.iter().map(|e| e.contact_id.as_str()).collect();
                queued += slices.queue(&mut tx, &slice).await?;
                if page.len() < SLICE {
                    break;
                }
                after = page.into_iter().last();
            }
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Started { id, jobs: queued })
}

/// What every slice of one resync's contacts is queued with.
struct Slices<'a> {
    workspace: &'a WorkspaceId,
    resync: &'a ResyncId,
    connection: &'a Connection,
    sequence: Option<&'a str>,
}

impl Slices<'_> {
    /// Records the slice's contacts as items and queues a job for each one not yet linked;
    /// returns how many jobs.
    async fn queue(&self, tx: &mut Db, slice: &[&str]) -> Result<usize, StoreError> {
        let conn = self.connection;
        // A linked person stays linked, so deciding this now saves a job and cannot go stale.
        let linked: HashSet<String> = events::sync_states_of_contacts(&mut *tx, self.workspace, slice)
            .await?
            .into_iter()
            .filter(|(_, s)| s.connection_id == conn.id && s.person_id.is_some())
            .map(|(contact, _)| contact)
            .collect();
        let mut items = Vec::with_capacity(slice.len());
        let mut jobs = Vec::with_capacity(slice.len());
        for &contact in slice {
            if linked.contains(contact) {
                items.push((contact.to_owned(), SKIPPED, Some(already_synced(conn))));
                continue;
            }
            items.push((contact.to_owned(), QUEUED, None));
            let payload = JobPayload::ResyncContactV1 {
                resync_id: self.resync.as_str().to_owned(),
                connection_id: conn.id.as_str().to_owned(),
                contact: contact.to_owned(),
                sequence: self.sequence.map(str::to_owned),
            };
            jobs.push(payload.new_job(self.workspace.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?);
        }
        resyncs::insert_items(&mut *tx, self.resync, &items).await?;
        queue::enqueue_many(&mut *tx, &jobs).await?;
        Ok(jobs.len())
    }
}

fn already_synced(conn: &Connection) -> String {
    format!("already synced to {}", conn.provider.display_name())
}

/// How one contact's resync ended.
struct Finished {
    outcome: &'static str,
    reason: Option<String>,
    sync: Option<ContactSync>,
    detail: String,
}

impl Finished {
    fn skipped(reason: impl Into<String>, sync: Option<ContactSync>) -> Self {
        let reason = reason.into();
        Self { outcome: SKIPPED, detail: reason.clone(), reason: Some(reason), sync }
    }
}

/// Runs one contact's resync job; its outcome is recorded when the job completes.
pub(crate) async fn run(exec: &Executor, job: &ClaimedJob, payload: &JobPayload) -> Result<Ran, JobError> {
    let JobPayload::ResyncContactV1 { resync_id, connection_id, contact, sequence } = payload else {
        return Err(JobError::Broken("not a resync job".into()));
    };
    let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
    let job_input = Input { resync_id, connection_id, contact, sequence: sequence.as_deref() };
    let done = sync_contact(exec, &workspace, &job_input).await?;
    let mut effects: Vec<Effect> =
        done.sync.map(|sync| Effect::SyncState { contact: contact.clone(), sync }).into_iter().collect();
    effects.push(Effect::ResyncItem {
        resync_id: resync_id.clone(),
        contact: contact.clone(),
        outcome: done.outcome,
        reason: done.reason,
    });
    Ok(finished(job, payload, done.detail, effects))
}

/// Counts a contact whose job died as failed (the dead-letter path).
pub(crate) async fn on_dead(c: &mut Db, payload: &JobPayload, message: &str) -> Result<(), StoreError> {
    if let JobPayload::ResyncContactV1 { resync_id, contact, .. } = payload {
        resyncs::finish_item(c, resync_id, contact, FAILED, Some(message)).await?;
    }
    Ok(())
}

struct Input<'a> {
    resync_id: &'a str,
    connection_id: &'a str,
    contact: &'a str,
    sequence: Option<&'a str>,
}

async fn sync_contact(exec: &Executor, ws: &WorkspaceId, input: &Input<'_>) -> Result<Finished, JobError> {
    let store = exec.store();
    let mut c = store.db().await?;
    let conn = match connections::get(&mut c, ws, input.connection_id).await {
        Ok(conn) => conn,
        Err(StoreError::NotFound) => return Ok(Finished::skipped("the connection was deleted", None)),
        Err(e) => return Err(e.into()),
    };
    let Some(stored) = contacts::get(&mut c, ws, input.contact).await? else {
        return Ok(Finished::skipped("the contact no longer exists", None));
    };
    let contact: ContactIn =
        serde_json::from_value(stored.data.clone()).map_err(|e| JobError::Broken(format!("stored contact: {e}")))?;
    let defaults = workspaces::defaults(&mut c, ws, conn.provider.as_str()).await?;
    let settings = ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
        .map_err(|e| JobError::Broken(format!("connection settings: {e}")))?;
    let previous = events::sync_state(&mut c, &conn.id, input.contact).await?;
    // A person this resync linked in an earlier attempt (crash, retry) is carried on with, not skipped.
    let begun = resyncs::item_outcome(&mut c, input.resync_id, input.contact).await?.is_some_and(|o| o != QUEUED);
    if previous.as_ref().is_some_and(|s| s.person_id.is_some()) && !begun {
        return Ok(Finished::skipped(already_synced(&conn), None));
    }
    let enrollments = events::enrollments_of(&mut c, ws, input.contact).await?;
    let (sequence_id, added_while_disabled) = deciding_sequence(&enrollments, input.sequence);
    let sequence = match sequence_id {
        Some(s) => sequences::get(&mut c, ws, s).await?,
        None => None,
    };
    drop(c);
    let sequence_target = sequence.as_ref().and_then(|s| own_target(&conn, s.target.as_ref()));
    let tags = sequence.map(|s| s.sync_tags).unwrap_or_default();
    let overridden = contact_override(&stored.data);
    let explicit = ConnectionSettings { trigger: Trigger::OnAdd, ..settings.clone() };
    let decision = decide(&DecisionInput {
        event: EventType::ContactAdded,
        settings: &explicit,
        sequence_target: sequence_target.as_ref(),
        added_while_disabled,
        contact_override: overridden,
        state: SyncState::None,
        first_reply: false,
    });
    let mut sync = previous.unwrap_or_else(|| ContactSync::new(conn.id.clone(), SyncState::None));
    let target = match decision {
        Decision::Sync { target } => target,
        Decision::Skip { reason } => {
            if !sync.state.is_linked() {
                sync.state = SyncState::Skipped;
                sync.reason = Some(reason.clone());
            }
            return Ok(Finished::skipped(reason, Some(sync)));
        }
        Decision::Activity | Decision::UpdatePerson => return Ok(Finished::skipped(already_synced(&conn), None)),
    };
    if !sync.state.is_linked() {
        sync.state = SyncState::Pending;
        sync.reason = None;
    }
    let provider = exec.clients().get(&conn)?;
    let mut c = store.db().await?;
    resyncs::finish_item(&mut c, input.resync_id, input.contact, RUNNING, None).await?;
    drop(c);
    // Linking and placing happen under a stand-in event that writes no note: every
    // real event is replayed below with the decision ingest would have taken for it.
    let stand_in = EventIn {
        id: format!("resync:{}", input.resync_id),
        kind: EventType::ContactAdded,
        occurred_at: chrono::Utc::now(),
        contact: input.contact.to_owned(),
        sequence: sequence_id.map(str::to_owned),
        data: serde_json::Map::new(),
    };
    let run = Run {
        store,
        workspace: ws,
        conn: &conn,
        provider: provider.clone(),
        settings: ConnectionSettings { activity_tracking: false, ..settings.clone() },
        contact: contact.clone(),
        contact_added_at: stored.created_at,
        event: stand_in,
        sync,
        sequence_tags: tags.clone(),
        progress_written: false,
        done: Vec::new(),
    };
    let out = run.carry_out(&Decision::Sync { target }).await?;
    let Some(sync) = out.sync else { return Ok(Finished::skipped(out.detail, None)) };
    if sync.state != SyncState::Synced {
        return Ok(Finished::skipped(sync.reason.clone().unwrap_or(out.detail), Some(sync)));
    }
    let backfill = Backfill {
        store,
        ws,
        conn: &conn,
        settings: &settings,
        contact_id: input.contact,
        contact: &contact,
        contact_added_at: stored.created_at,
        tags: &tags,
    };
    let (sync, written) = backfill.run(&enrollments, overridden, provider, sync).await?;
    Ok(Finished {
        outcome: SYNCED,
        reason: None,
        sync: Some(sync),
        detail: format!("synced; {written} notes backfilled"),
    })
}

/// The sequence whose target and tags decide, and whether the contact joined it while it had sync disabled.
/// A named sequence decides; otherwise the first the contact joined while syncing was on.
fn deciding_sequence<'a>(enrollments: &'a [(String, Enrollment)], named: Option<&'a str>) -> (Option<&'a str>, bool) {
    if let Some(s) = named {
        let disabled = enrollments.iter().find(|(k, _)| k == s).is_some_and(|(_, e)| e.added_while_disabled);
        return (Some(s), disabled);
    }
    match enrollments.iter().find(|(_, e)| !e.added_while_disabled) {
        Some((s, _)) => (Some(s.as_str()), false),
        None => (enrollments.first().map(|(s, _)| s.as_str()), !enrollments.is_empty()),
    }
}

/// Replays a freshly linked contact's stored events as activity.
struct Backfill<'a> {
    store: &'a Store,
    ws: &'a WorkspaceId,
    conn: &'a Connection,
    settings: &'a ConnectionSettings,
    contact_id: &'a str,
    contact: &'a ContactIn,
    contact_added_at: i64,
    tags: &'a [String],
}

impl Backfill<'_> {
    /// Writes each event's note in occurred order, recording it in the ledger at once; returns notes written.
    async fn run(
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
            let mut c = self.store.db().await?;
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
                let run = Run {
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
                let out = run.carry_out(&Decision::Activity).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn enrolled(seq: &str, disabled: bool) -> (String, Enrollment) {
        (seq.to_owned(), Enrollment { added_while_disabled: disabled, replied_at: None })
    }

    #[test]
    fn a_named_sequence_decides_else_the_first_joined_with_syncing_on() {
        let v = [enrolled("a", true), enrolled("b", false), enrolled("c", false)];
        assert_eq!(deciding_sequence(&v, Some("a")), (Some("a"), true));
        assert_eq!(deciding_sequence(&v, Some("c")), (Some("c"), false));
        assert_eq!(deciding_sequence(&v, None), (Some("b"), false));
        assert_eq!(deciding_sequence(&v[..1], None), (Some("a"), true), "joined only while disabled (S2)");
        assert_eq!(deciding_sequence(&[], None), (None, false));
    }
}
