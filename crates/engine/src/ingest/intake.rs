//! Where posted batches wait their turn. Batches of one workspace that arrive while
//! others of it are being stored are stored together in one transaction
//! ([`ingest_many`]): a transaction's reads of the contacts' state, its checks of
//! waiting jobs and its commit then serve several batches instead of one. Batches
//! sharing contacts take turns anyway (each locks its contacts before it reads their
//! state), so on a busy workspace this is the difference between paying those once
//! per turn and once per batch; an idle workspace's batch is stored at once, alone.
//!
//! Each batch is still all or nothing, and its caller is answered after the commit that
//! stored it. Several servers sharing a database each keep their own queues; the
//! contacts' locks keep them apart as before.

use super::{Accepted, Batch, IngestError, ingest, ingest_many};
use hiresync_core::event::MAX_BATCH;
use hiresync_core::{EventIn, UserId, WorkspaceId};
use hiresync_store::{Backend, Store};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::oneshot;

/// Events stored together at most: a turn's locks are held no longer than this needs.
const MAX_TOGETHER: usize = 4 * MAX_BATCH;

/// Posted batches waiting to be stored, by workspace; cheap to clone.
#[derive(Clone)]
pub struct Intake {
    store: Store,
    /// Transactions a workspace's batches may have open at once.
    in_flight: usize,
    queues: Arc<Mutex<HashMap<WorkspaceId, Queue>>>,
}

/// One workspace's waiting batches, and how many tasks are storing them.
#[derive(Default)]
struct Queue {
    waiting: VecDeque<Waiting>,
    storing: usize,
}

impl Queue {
    /// Whether the waiting batches are worth a transaction of their own beside `others` open
    /// ones. A lone batch waits for the open one to finish and take it, with any that joined
    /// it meanwhile: two transactions each storing one batch pay for two turns what one
    /// storing both pays once.
    fn worth_another(&self, others: usize) -> bool {
        others == 0 || self.waiting.len() >= 2
    }
}

/// A posted batch and where its outcome goes.
struct Waiting {
    caller: UserId,
    events: Vec<EventIn>,
    reply: oneshot::Sender<Result<Accepted, IngestError>>,
}

impl Intake {
    /// An intake storing into `store`.
    pub fn new(store: Store) -> Self {
        // On PostgreSQL, while one transaction holds its contacts the next already stores its
        // events; a third adds contention more than it overlaps. SQLite's one writer would only
        // make a second wait, and the batches arriving meanwhile are better stored together after.
        let in_flight = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        };
        Self { store, in_flight, queues: Arc::default() }
    }

    /// Stores a validated batch for the caller's workspace; returns only after commit.
    ///
    /// The batch is stored even if the caller stops waiting, as a batch whose commit
    /// raced its caller's disconnect would be; its event ids make posting it again safe.
    pub async fn submit(
        &self,
        workspace: &WorkspaceId,
        caller: &UserId,
        events: Vec<EventIn>,
    ) -> Result<Accepted, IngestError> {
        let (reply, outcome) = oneshot::channel();
        let start = {
            let mut queues = lock(&self.queues);
            let queue = queues.entry(workspace.clone()).or_default();
            queue.waiting.push_back(Waiting { caller: caller.clone(), events, reply });
            let start = queue.storing < self.in_flight && queue.worth_another(queue.storing);
            queue.storing += usize::from(start);
            start
        };
        if start {
            tokio::spawn(drain(self.store.clone(), Arc::clone(&self.queues), workspace.clone()));
        }
        outcome.await.unwrap_or(Err(IngestError::Interrupted))
    }
}

/// Stores the workspace's waiting batches, as many together as allowed, until none waits.
async fn drain(store: Store, queues: Arc<Mutex<HashMap<WorkspaceId, Queue>>>, workspace: WorkspaceId) {
    loop {
        let group = {
            let mut all = lock(&queues);
            let Some(queue) = all.get_mut(&workspace) else { return };
            let group = if queue.worth_another(queue.storing - 1) { take(&mut queue.waiting) } else { Vec::new() };
            if group.is_empty() {
                queue.storing -= 1;
                if queue.storing == 0 {
                    all.remove(&workspace);
                }
                return;
            }
            group
        };
        // In a task of its own, so that a panic fails only this group's callers (their
        // replies are dropped: Interrupted) and the queue goes on.
        if let Err(e) = tokio::spawn(store_group(store.clone(), workspace.clone(), group)).await {
            tracing::error!(%workspace, error = %e, "storing a group of event batches failed");
        }
    }
}

/// The oldest waiting batches, up to [`MAX_TOGETHER`] events (at least one batch).
fn take(waiting: &mut VecDeque<Waiting>) -> Vec<Waiting> {
    let mut group = Vec::new();
    let mut events = 0;
    while let Some(next) = waiting.front() {
        if !group.is_empty() && events + next.events.len() > MAX_TOGETHER {
            break;
        }
        events += next.events.len();
        group.extend(waiting.pop_front());
    }
    group
}

/// Stores a group of batches together and answers each; if the database refuses the
/// group, each batch is stored again alone, so that a batch the database refuses fails
/// only its own caller.
async fn store_group(store: Store, workspace: WorkspaceId, group: Vec<Waiting>) {
    let batches: Vec<Batch<'_>> = group.iter().map(|w| Batch { caller: &w.caller, events: &w.events }).collect();
    let together = ingest_many(&store, &workspace, &batches).await;
    drop(batches);
    let outcomes = match together {
        Ok(outcomes) => outcomes.into_iter().map(|o| o.map_err(IngestError::from)).collect(),
        Err(e) if group.len() == 1 => vec![Err(e.into())],
        Err(e) => {
            tracing::warn!(%workspace, batches = group.len(), error = %e, "storing event batches together failed; storing each alone");
            let mut alone = Vec::with_capacity(group.len());
            for w in &group {
                alone.push(ingest(&store, &workspace, &w.caller, &w.events).await);
            }
            alone
        }
    };
    for (w, outcome) in group.into_iter().zip(outcomes) {
        // A caller who stopped waiting has no one to tell.
        let _ = w.reply.send(outcome);
    }
}

/// The queues, even if a panic elsewhere poisoned the lock: every change to them is
/// whole before the lock is let go.
fn lock(queues: &Mutex<HashMap<WorkspaceId, Queue>>) -> MutexGuard<'_, HashMap<WorkspaceId, Queue>> {
    queues.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn waiting(sizes: &[usize]) -> VecDeque<Waiting> {
        let raw = json!({"id": "e", "type": "contact_added", "occurred_at": "2026-12-05T00:00:00Z", "contact": "k"});
        let event = EventIn::parse(&raw).unwrap();
        let caller = UserId::generate();
        sizes
            .iter()
            .map(|&n| Waiting { caller: caller.clone(), events: vec![event.clone(); n], reply: oneshot::channel().0 })
            .collect()
    }

    fn sizes(group: &[Waiting]) -> Vec<usize> {
        group.iter().map(|w| w.events.len()).collect()
    }

    #[test]
    fn the_oldest_batches_go_together_up_to_the_cap_and_the_rest_wait() {
        let mut queue = waiting(&[1000, 1000, 1500, 1000, 600]);
        assert_eq!(sizes(&take(&mut queue)), [1000, 1000, 1500], "a fourth would pass {MAX_TOGETHER} events");
        assert_eq!(sizes(&take(&mut queue)), [1000, 600]);
        assert!(take(&mut queue).is_empty());
        let mut over = waiting(&[MAX_TOGETHER + 1, 1]);
        assert_eq!(sizes(&take(&mut over)), [MAX_TOGETHER + 1], "one batch goes even alone over the cap");
    }

    #[test]
    fn a_lone_batch_waits_for_the_open_transaction_and_two_are_worth_another() {
        let lone = Queue { waiting: waiting(&[10]), storing: 1 };
        assert!(lone.worth_another(0), "with nothing open, it is stored at once");
        assert!(!lone.worth_another(1));
        let two = Queue { waiting: waiting(&[10, 10]), storing: 1 };
        assert!(two.worth_another(1));
    }
}
