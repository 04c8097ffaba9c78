//! Storing batches of events: validated references, new events, and what
//! they change, in one transaction per call.

use super::changes::Changes;
use super::connections::Connections;
use super::referenced::Referenced;
use hiresync_core::{EventIn, UserId, ValidationError, WorkspaceId};
use hiresync_store::{Store, StoreError, events};
use std::collections::HashSet;

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
    let referenced = Referenced::read(&mut tx, workspace, batches).await?;
    let mut outcomes = Vec::with_capacity(batches.len());
    let mut named = Vec::new();
    for (i, b) in batches.iter().enumerate() {
        outcomes.push(referenced.resolve(b, i).map(|n| {
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
        let connections = Connections::read(&mut tx, workspace).await?;
        let mut changes = Changes::read(&mut tx, workspace, &fresh).await?;
        for n in &fresh {
            changes.apply(n, &connections);
        }
        for batch in changes.write(&mut tx, workspace).await? {
            count(batch, |a| a.jobs += 1);
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}
