//! Recording finished jobs. A job's outcome (its sync state, resync item or
//! contract record), its sync-log lines and its completion land in one
//! transaction, and the worker records every job that finished since its last
//! commit in the transaction that claims its next jobs (see [`crate::worker`]):
//! a busy worker pays one commit and a few multi-row statements per batch
//! instead of a transaction per job.

use crate::call_log;
use hiresync_core::WorkspaceId;
use hiresync_providers::http::calls::Call;
use hiresync_store::contracts::{self, ContractRecord};
use hiresync_store::events::{self, ContactSync};
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::sync_log::{self, NewLogEntry};
use hiresync_store::{Store, StoreError, Tx, now_ms, resyncs};
use std::collections::HashSet;

/// A write a finished job makes, applied only if the job still holds its lease.
#[derive(Clone, Debug)]
pub enum Effect {
    /// The contact's sync state on the job's connection.
    SyncState {
        /// The contact.
        contact: String,
        /// Its new state.
        sync: ContactSync,
    },
    /// One contact's line of a resync (SPEC R1).
    ResyncItem {
        /// The resync.
        resync_id: String,
        /// The contact.
        contact: String,
        /// `synced`, `skipped` or `failed`.
        outcome: &'static str,
        /// Why, when not synced.
        reason: Option<String>,
    },
    /// A contract's synced fields and state.
    Contract(ContractRecord),
}

/// A job that ran to the end: what to record when it completes.
#[derive(Clone, Debug)]
pub struct Finished {
    /// The job, with the lease that fences its completion.
    pub job: ClaimedJob,
    /// The sync log's operation name.
    pub operation: &'static str,
    /// The sync log line.
    pub detail: String,
    /// Its writes.
    pub effects: Vec<Effect>,
    /// The provider calls it made, logged after its outcome line.
    pub calls: Vec<Call>,
}

/// In the caller's transaction: completes the jobs still leased to us, applies their
/// effects and logs them; returns the ids completed. A job missing from the answer lost its
/// lease to another worker, and nothing of it was written.
pub async fn record(tx: &mut Tx, finished: &[Finished]) -> Result<HashSet<i64>, StoreError> {
    if finished.is_empty() {
        return Ok(HashSet::new());
    }
    let leases: Vec<(i64, &str)> = finished.iter().map(|f| (f.job.id, f.job.lease_token.as_str())).collect();
    let done: HashSet<i64> = queue::complete_many(tx, &leases).await?.into_iter().collect();
    let completed: Vec<&Finished> = finished.iter().filter(|f| done.contains(&f.job.id)).collect();
    write(tx, &completed).await?;
    Ok(done)
}

/// In the caller's transaction: records one step of a job that carries out several (see
/// [`crate::carry`]) as [`record`] records a whole job, but leaves the job running; false
/// when its lease was lost, and then nothing was written.
pub async fn record_step(tx: &mut Tx, step: &Finished) -> Result<bool, StoreError> {
    if !queue::progressed(tx, step.job.id, &step.job.lease_token).await? {
        return Ok(false);
    }
    write(tx, &[step]).await?;
    Ok(true)
}

/// Applies the effects of jobs (or steps) still leased to us and writes their log lines.
async fn write(tx: &mut Tx, completed: &[&Finished]) -> Result<(), StoreError> {
    for f in completed {
        for effect in &f.effects {
            apply(tx, &f.job, effect).await?;
        }
    }
    let now = now_ms();
    let details: Vec<Vec<String>> = completed.iter().map(|f| call_log::details(&f.calls)).collect();
    let mut entries: Vec<(NewLogEntry<'_>, i64)> = Vec::new();
    for (f, details) in completed.iter().zip(&details) {
        let outcome = NewLogEntry {
            workspace_id: &f.job.workspace_id,
            connection_id: f.job.connection_id.as_deref(),
            contact_id: f.job.contact_id.as_deref(),
            job_id: Some(f.job.id),
            operation: f.operation,
            outcome: "ok",
            detail: Some(&f.detail),
        };
        entries.push((outcome, now));
        entries.extend(call_log::entries(&f.job, &f.calls, details));
    }
    sync_log::append_at(tx, &entries).await
}

/// Records one job in a transaction of its own; false when its lease was lost.
pub async fn record_alone(store: &Store, finished: &Finished) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let done = record(&mut tx, std::slice::from_ref(finished)).await?;
    tx.commit().await?;
    Ok(done.contains(&finished.job.id))
}

async fn apply(tx: &mut Tx, job: &ClaimedJob, effect: &Effect) -> Result<(), StoreError> {
    match effect {
        Effect::SyncState { contact, sync } => {
            let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
            events::put_sync_state(tx, &workspace, contact, sync).await
        }
        Effect::ResyncItem { resync_id, contact, outcome, reason } => {
            resyncs::finish_item(tx, resync_id, contact, outcome, reason.as_deref()).await
        }
        Effect::Contract(record) => contracts::record_sync(tx, record).await,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use hiresync_store::queue::{NewJob, PRIORITY_BULK};
    use hiresync_testkit::databases;

    /// Enqueues `n` no-op jobs, each of its own contact.
    pub(crate) async fn queued(store: &Store, n: usize) {
        let jobs: Vec<NewJob> = (0..n)
            .map(|i| {
                let payload = crate::JobPayload::NoopV1 { key: format!("c{i}") };
                let job = payload.new_job("ws_test", PRIORITY_BULK, 3, now_ms()).unwrap();
                NewJob { contact_id: Some(format!("c{i}")), ..job }
            })
            .collect();
        let mut tx = store.begin().await.unwrap();
        queue::enqueue_many(&mut tx, &jobs).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// Enqueues `n` jobs, each of its own contact, and claims them all.
    pub(crate) async fn claimed(store: &Store, n: usize) -> Vec<ClaimedJob> {
        queued(store, n).await;
        store.claim("w", n as i64, 60_000).await.unwrap()
    }

    pub(crate) fn finished(job: &ClaimedJob, effects: Vec<Effect>) -> Finished {
        Finished { job: job.clone(), operation: "noop", detail: format!("done {}", job.id), effects, calls: Vec::new() }
    }

    pub(crate) async fn jobs_in(store: &Store, state: &str) -> i64 {
        store.job_counts().await.unwrap().into_iter().find(|(s, _)| s == state).map_or(0, |(_, n)| n)
    }

    /// Sync-log lines of the jobs' contacts.
    pub(crate) async fn logged(store: &Store, jobs: &[ClaimedJob]) -> usize {
        let mut c = store.db().await.unwrap();
        let mut n = 0;
        for j in jobs {
            n += sync_log::for_contact(&mut c, "ws_test", j.contact_id.as_deref().unwrap()).await.unwrap().len();
        }
        n
    }

    #[tokio::test]
    async fn jobs_recorded_together_complete_together_and_a_lost_lease_is_fenced_out() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 40).await;
            // One job's lease passes to another worker before it is recorded.
            let lost = &jobs[7];
            assert_eq!(store.release(&[(lost.id, &lost.lease_token)]).await.unwrap(), vec![lost.id]);
            let taken = store.claim("other", 1, 60_000).await.unwrap();
            assert_eq!(taken[0].id, lost.id);
            let all: Vec<Finished> = jobs.iter().map(|j| finished(j, Vec::new())).collect();
            let mut tx = store.begin().await.unwrap();
            let done = record(&mut tx, &all).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(done.len(), 39, "{}", db.backend);
            assert!(!done.contains(&lost.id), "{}", db.backend);
            assert_eq!(jobs_in(store, "done").await, 39, "{}", db.backend);
            assert_eq!(jobs_in(store, "running").await, 1, "{}: the other worker's lease stands", db.backend);
            assert_eq!(logged(store, &jobs).await, 39, "{}", db.backend);
            assert_eq!(logged(store, std::slice::from_ref(lost)).await, 0, "{}", db.backend);
        }
    }
}
