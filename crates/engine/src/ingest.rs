//! Durable ingest (DESIGN "Ingest is cheap and durable"): one transaction
//! stores a batch of events, the decision taken for each event and connection
//! at that moment (SPEC S1-S4), each contact's sync state, and the jobs that
//! carry the decisions out. Nothing is half stored: an invalid reference
//! rolls the whole batch back.

use crate::job::JobPayload;
use hiresync_core::decision::{SyncOverride, SyncState};
use hiresync_core::{
    ConnectionSettings, Decision, DecisionInput, EventIn, EventType, Target, UserId, ValidationError, WorkspaceId,
    decide,
};
use hiresync_store::connections::Connection;
use hiresync_store::contacts::StoredContact;
use hiresync_store::events::ContactSync;
use hiresync_store::queue::{self, NewJob, PRIORITY_INTERACTIVE};
use hiresync_store::sequences::Sequence;
use hiresync_store::{Conn, Store, StoreError, connections, contacts, events, now_ms, sequences, workspaces};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Attempts a sync job gets before it is dead.
pub const MAX_ATTEMPTS: i64 = 10;

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    /// New events stored.
    pub accepted: usize,
    /// Events whose id was seen before; they changed nothing.
    pub duplicates: usize,
    /// Jobs enqueued for the worker.
    pub jobs: usize,
}

/// Why a batch was refused.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// An event names something that does not exist; nothing was stored.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The database failed; nothing was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stores a validated batch for the caller's workspace; returns only after commit.
pub async fn ingest(
    store: &Store,
    workspace: &WorkspaceId,
    caller: &UserId,
    batch: &[EventIn],
) -> Result<Accepted, IngestError> {
    let mut tx = store.begin().await?;
    let mut batch_state = Batch::default();
    let mut out = Accepted::default();
    for (i, event) in batch.iter().enumerate() {
        match ingest_one(&mut tx, workspace, caller, event, &mut batch_state).await {
            Ok(Some(jobs)) => {
                out.accepted += 1;
                out.jobs += jobs;
            }
            Ok(None) => out.duplicates += 1,
            Err(IngestError::Invalid(e)) => return Err(e.within(&format!("[{i}]")).into()),
            Err(e) => return Err(e),
        }
    }
    queue::enqueue_many(&mut tx, &batch_state.jobs).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(out)
}

/// Look-ups reused across one batch, and its jobs, enqueued together at the end.
#[derive(Default)]
struct Batch {
    connections: HashMap<String, Vec<Connection>>,
    defaults: HashMap<&'static str, Map<String, Value>>,
    contacts: HashMap<String, Option<StoredContact>>,
    sequences: HashMap<String, Option<Sequence>>,
    /// Sync states read or written in this batch, by (connection, contact).
    syncs: HashMap<(String, String), Option<ContactSync>>,
    jobs: Vec<NewJob>,
}

/// Stores one event; `None` for a duplicate, else the number of jobs enqueued.
async fn ingest_one(
    c: &mut Conn,
    workspace: &WorkspaceId,
    caller: &UserId,
    event: &EventIn,
    batch: &mut Batch,
) -> Result<Option<usize>, IngestError> {
    let Some(contact) = batch.contact(c, workspace, &event.contact).await? else {
        return Err(ValidationError::field("contact", "unknown contact: PUT /v1/contacts/{id} first").into());
    };
    let sequence = match &event.sequence {
        Some(id) => Some(
            batch
                .sequence(c, workspace, id)
                .await?
                .ok_or_else(|| ValidationError::field("sequence", "unknown sequence: PUT /v1/sequences/{id} first"))?,
        ),
        None => None,
    };
    if !events::insert(c, workspace, event).await? {
        return Ok(None);
    }
    let (mut added_while_disabled, mut first_reply) = (false, false);
    if let Some(seq) = &sequence {
        events::enroll(c, workspace, &event.contact, &seq.external_id, seq.sync_disabled).await?;
        if let Some(en) = events::enrollment(c, workspace, &event.contact, &seq.external_id).await? {
            added_while_disabled = en.added_while_disabled;
            first_reply = event.kind == EventType::ReplyReceived && en.replied_at.is_none();
        }
        if first_reply {
            events::mark_replied(c, workspace, &event.contact, &seq.external_id, event.occurred_at.timestamp_millis())
                .await?;
        }
    }
    let owner = sequence.as_ref().map_or(caller, |s| &s.owner_id);
    let contact_override = contact_override(&contact.data);
    let mut jobs = 0;
    for conn in batch.connections_of(c, workspace, owner).await? {
        let defaults = batch.defaults_for(c, workspace, conn.provider.as_str()).await?;
        let previous = batch.sync_state(c, &conn, &event.contact).await?;
        let state = previous.as_ref().map_or(SyncState::None, |s| s.state);
        let decision = match ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings) {
            Ok(settings) => {
                let sequence_target = sequence.as_ref().and_then(|s| own_target(&conn, s.target.as_ref()));
                decide(&DecisionInput {
                    event: event.kind,
                    settings: &settings,
                    sequence_target: sequence_target.as_ref(),
                    added_while_disabled,
                    contact_override,
                    state,
                    first_reply,
                })
            }
            Err(e) => Decision::Skip { reason: format!("the connection's settings are invalid: {e}") },
        };
        events::insert_decision(c, workspace, &event.id, &conn.id, &event.contact, &decision).await?;
        let mut sync = previous.unwrap_or_else(|| ContactSync::new(conn.id.clone(), SyncState::None));
        match &decision {
            Decision::Skip { reason } => {
                if !state.is_linked() {
                    sync.state = SyncState::Skipped;
                    sync.reason = Some(reason.clone());
                    batch.put_sync_state(c, workspace, &event.contact, &sync).await?;
                }
                continue;
            }
            Decision::Sync { target } => {
                sync.state = SyncState::Pending;
                sync.reason = None;
                sync.target = target.as_ref().map(|t| Value::Object(t.0.clone()));
                batch.put_sync_state(c, workspace, &event.contact, &sync).await?;
            }
            Decision::Activity | Decision::UpdatePerson => {}
        }
        let payload = JobPayload::SyncEventV1 {
            event_id: event.id.clone(),
            connection_id: conn.id.as_str().to_owned(),
            contact: event.contact.clone(),
            decision,
        };
        batch.jobs.push(payload.new_job(workspace.as_str(), PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?);
        jobs += 1;
    }
    Ok(Some(jobs))
}

/// The contact's own sync override (SPEC S3), as stored.
pub(crate) fn contact_override(data: &Value) -> Option<SyncOverride> {
    match data.get("sync_override").and_then(Value::as_str) {
        Some("sync") => Some(SyncOverride::Sync),
        Some("dont_sync") => Some(SyncOverride::DontSync),
        _ => None,
    }
}

/// The sequence's "Custom Sync" target when it names this connection.
pub(crate) fn own_target(conn: &Connection, target: Option<&Value>) -> Option<Target> {
    let t = target?;
    (t.get("connection_id").and_then(Value::as_str) == Some(conn.id.as_str()))
        .then(|| Target::parse(conn.provider, t, "target").ok())
        .flatten()
}

impl Batch {
    async fn sync_state(
        &mut self,
        c: &mut Conn,
        conn: &Connection,
        contact: &str,
    ) -> Result<Option<ContactSync>, StoreError> {
        let key = (conn.id.as_str().to_owned(), contact.to_owned());
        if let Some(found) = self.syncs.get(&key) {
            return Ok(found.clone());
        }
        let found = events::sync_state(c, &conn.id, contact).await?;
        self.syncs.insert(key, found.clone());
        Ok(found)
    }

    async fn put_sync_state(
        &mut self,
        c: &mut Conn,
        workspace: &WorkspaceId,
        contact: &str,
        sync: &ContactSync,
    ) -> Result<(), StoreError> {
        events::put_sync_state(c, workspace, contact, sync).await?;
        self.syncs.insert((sync.connection_id.as_str().to_owned(), contact.to_owned()), Some(sync.clone()));
        Ok(())
    }

    async fn contact(
        &mut self,
        c: &mut Conn,
        workspace: &WorkspaceId,
        id: &str,
    ) -> Result<Option<StoredContact>, StoreError> {
        if let Some(found) = self.contacts.get(id) {
            return Ok(found.clone());
        }
        let found = contacts::get(c, workspace, id).await?;
        self.contacts.insert(id.to_owned(), found.clone());
        Ok(found)
    }

    async fn sequence(
        &mut self,
        c: &mut Conn,
        workspace: &WorkspaceId,
        id: &str,
    ) -> Result<Option<Sequence>, StoreError> {
        if let Some(found) = self.sequences.get(id) {
            return Ok(found.clone());
        }
        let found = sequences::get(c, workspace, id).await?;
        self.sequences.insert(id.to_owned(), found.clone());
        Ok(found)
    }

    async fn connections_of(
        &mut self,
        c: &mut Conn,
        workspace: &WorkspaceId,
        owner: &UserId,
    ) -> Result<Vec<Connection>, StoreError> {
        if let Some(v) = self.connections.get(owner.as_str()) {
            return Ok(v.clone());
        }
        let mut v = connections::for_owner(c, workspace, owner).await?;
        v.retain(|k| k.provider.syncs_people() && k.status != "disconnected");
        self.connections.insert(owner.as_str().to_owned(), v.clone());
        Ok(v)
    }

    async fn defaults_for(
        &mut self,
        c: &mut Conn,
        workspace: &WorkspaceId,
        provider: &'static str,
    ) -> Result<Map<String, Value>, StoreError> {
        if let Some(m) = self.defaults.get(provider) {
            return Ok(m.clone());
        }
        let m = workspaces::defaults(c, workspace, provider).await?;
        self.defaults.insert(provider, m.clone());
        Ok(m)
    }
}
