//! Durable ingest (DESIGN "Ingest is cheap and durable"): one transaction
//! stores a batch of events, the decision taken for each event and connection
//! at that moment (SPEC S1-S4), each contact's sync state, and the jobs that
//! carry the decisions out. Nothing is half stored: an invalid reference
//! rolls the whole batch back.
//!
//! A batch costs a fixed number of statements per few hundred events, not a
//! few per event: it reads what the events name, stores the new events, reads
//! their contacts' enrollments and sync states, applies the events to those in
//! memory in batch order, and writes the results with multi-row statements.

mod effects;
mod known;
mod live;

use effects::Effects;
use hiresync_core::decision::SyncOverride;
use hiresync_core::{EventIn, Target, UserId, ValidationError, WorkspaceId};
use hiresync_store::connections::Connection;
use hiresync_store::{Store, StoreError, events};
use known::Known;
use live::Live;
use serde_json::Value;
use std::collections::HashSet;

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
    let known = Known::read(&mut tx, workspace, batch).await?;
    let named = known.resolve(batch)?;
    // An id repeated within the batch can be new only once, as its first copy.
    let mut seen = HashSet::with_capacity(named.len());
    let firsts: Vec<_> = named.into_iter().filter(|n| seen.insert(n.event.id.as_str())).collect();
    let rows: Vec<&EventIn> = firsts.iter().map(|n| n.event).collect();
    let stored = events::insert_new(&mut tx, workspace, &rows).await?;
    let fresh: Vec<_> = firsts.into_iter().filter(|n| stored.contains(&n.event.id)).collect();
    let mut out = Accepted { accepted: fresh.len(), duplicates: batch.len() - fresh.len(), jobs: 0 };
    if !fresh.is_empty() {
        let live = Live::read(&mut tx, workspace).await?;
        let mut effects = Effects::read(&mut tx, workspace, &fresh).await?;
        for n in &fresh {
            effects.apply(caller, n, &live);
        }
        out.jobs = effects.write(&mut tx, workspace).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(out)
}

/// The contact's own sync override (SPEC S3), as stored.
pub(crate) fn contact_override(data: &Value) -> Option<SyncOverride> {
    data.get("sync_override").and_then(Value::as_str).and_then(SyncOverride::parse)
}

/// The sequence's "Custom Sync" target when it names this connection.
pub(crate) fn own_target(conn: &Connection, target: Option<&Value>) -> Option<Target> {
    let t = target?;
    (t.get("connection_id").and_then(Value::as_str) == Some(conn.id.as_str()))
        .then(|| Target::parse(conn.provider, t, "target").ok())
        .flatten()
}
