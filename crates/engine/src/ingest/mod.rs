//! Durable ingest (DESIGN "Ingest is cheap and durable"): one transaction
//! stores a batch of events (or several of one workspace posted at once, see
//! [`Intake`]), the decision taken for each event and connection at that moment
//! (SPEC S1-S4), each contact's sync state, and the jobs that carry the
//! decisions out. Nothing is half stored: an invalid reference refuses the
//! whole batch.
//!
//! A batch costs a fixed number of statements per few hundred events, not a
//! few per event: it reads what the events name, stores the new events, reads
//! their contacts' enrollments and sync states, applies the events to those in
//! memory in batch order, and writes the results with multi-row statements.

mod effects;
mod intake;
mod known;
mod live;

use effects::Effects;
use hiresync_core::decision::SyncOverride;
use hiresync_core::{EventIn, Target, UserId, ValidationError, WorkspaceId};
use hiresync_store::connections::Connection;
use hiresync_store::{Store, StoreError, events};
pub use intake::Intake;
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
    /// Storing stopped before it could say whether the batch was stored; posting it again is safe.
    #[error("storing the batch was interrupted; post it again")]
    Interrupted,
}

/// One caller's batch, as stored with others of its workspace ([`Intake`]).
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    /// Who posted it: an event with no sequence syncs to their connections.
    pub caller: &'a UserId,
    /// Its events, in the order they happened.
    pub events: &'a [EventIn],
}

/// Stores a validated batch for the caller's workspace; returns only after commit.
pub async fn ingest(
    store: &Store,
    workspace: &WorkspaceId,
    caller: &UserId,
    batch: &[EventIn],
) -> Result<Accepted, IngestError> {
    let outcomes = ingest_many(store, workspace, &[Batch { caller, events: batch }]).await?;
    // One outcome per batch given.
    Ok(outcomes.into_iter().next().unwrap_or(Ok(Accepted::default()))?)
}

/// Stores batches of one workspace in one transaction, in the order given, exactly as if
/// each were stored alone in turn: a batch naming something that does not exist is refused
/// alone (its [`ValidationError`]), and an event id one batch repeats from an earlier one is a
/// duplicate. Returns each batch's outcome after commit; a database error stores none of them.
pub async fn ingest_many(
    store: &Store,
    workspace: &WorkspaceId,
    batches: &[Batch<'_>],
) -> Result<Vec<Result<Accepted, ValidationError>>, StoreError> {
    let mut tx = store.begin().await?;
    let known = Known::read(&mut tx, workspace, batches).await?;
    let mut outcomes = Vec::with_capacity(batches.len());
    let mut named = Vec::new();
    for (i, b) in batches.iter().enumerate() {
        outcomes.push(known.resolve(b, i).map(|n| {
            named.extend(n);
            Accepted { accepted: 0, duplicates: b.events.len(), jobs: 0 }
        }));
    }
    // An id repeated within the batches can be new only once, as its first copy.
    let mut seen = HashSet::with_capacity(named.len());
    let firsts: Vec<_> = named.into_iter().filter(|n| seen.insert(n.event.id.as_str())).collect();
    let rows: Vec<&EventIn> = firsts.iter().map(|n| n.event).collect();
    let stored = events::insert_new(&mut tx, workspace, &rows).await?;
    let fresh: Vec<_> = firsts.into_iter().filter(|n| stored.contains(&n.event.id)).collect();
    let mut count = |batch: usize, f: fn(&mut Accepted)| {
        if let Some(Ok(a)) = outcomes.get_mut(batch) {
            f(a);
        }
    };
    for n in &fresh {
        count(n.batch, |a| {
            a.accepted += 1;
            a.duplicates -= 1;
        });
    }
    if !fresh.is_empty() {
        let live = Live::read(&mut tx, workspace).await?;
        let mut effects = Effects::read(&mut tx, workspace, &fresh).await?;
        for n in &fresh {
            effects.apply(n, &live);
        }
        for batch in effects.write(&mut tx, workspace).await? {
            count(batch, |a| a.jobs += 1);
        }
    }
    tx.commit().await?;
    Ok(outcomes)
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
