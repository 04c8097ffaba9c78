//! Group commit of finished jobs. A job's outcome (its sync state, resync
//! item or contract record), its sync-log line and its completion land in one
//! transaction; jobs that finish while another batch is committing are
//! completed together in the next one, so a busy worker pays one commit and
//! a few multi-row statements per batch instead of a transaction per job.
//! Nothing waits for a batch to fill: an idle queue commits a lone job at once.

use crate::executor::JobError;
use hiresync_core::WorkspaceId;
use hiresync_store::contracts::{self, ContractRecord};
use hiresync_store::events::{self, ContactSync};
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::sync_log::{self, NewLogEntry};
use hiresync_store::{Store, StoreError, Tx, now_ms, resyncs};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;

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
}

type Reply = oneshot::Sender<Result<bool, StoreError>>;

/// Finished jobs waiting for the next commit, and the turn to commit them.
#[derive(Clone, Default)]
pub struct Completions {
    pending: Arc<Mutex<Vec<(Finished, Reply)>>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl Completions {
    /// Completes the job with its effects; returns once they are committed.
    pub async fn complete(&self, store: &Store, finished: Finished) -> Result<(), JobError> {
        let (reply, mut answer) = oneshot::channel();
        self.pending.lock().unwrap_or_else(PoisonError::into_inner).push((finished, reply));
        // Jobs that finished in the same instant are ready to run: let them add theirs first.
        tokio::task::yield_now().await;
        let result = tokio::select! {
            biased;
            // Committed with a batch another job took: waiting on the answer rather than in the
            // turn's queue wakes the whole batch at once instead of one job after another.
            result = &mut answer => result.map_err(|_| JobError::Interrupted)?,
            _turn = self.turn.lock() => match answer.try_recv() {
                Ok(result) => result,
                Err(_) => {
                    let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
                    // Spawned, so a job cancelled while it commits (shutdown, a lost lease) cannot
                    // drop the other jobs of the batch half-way.
                    let flushed = tokio::spawn(flush(store.clone(), batch)).await;
                    match (flushed, answer.await) {
                        (Ok(()), Ok(result)) => result,
                        _ => return Err(JobError::Interrupted),
                    }
                }
            },
        };
        match result {
            Ok(true) => Ok(()),
            Ok(false) => Err(JobError::LeaseLost),
            Err(e) => Err(e.into()),
        }
    }
}

/// Commits a batch; when it fails, commits each job on its own so one job's bad write
/// fails that job alone.
async fn flush(store: Store, batch: Vec<(Finished, Reply)>) {
    if batch.is_empty() {
        return;
    }
    let all: Vec<&Finished> = batch.iter().map(|(f, _)| f).collect();
    match commit(&store, &all).await {
        Ok(done) => {
            for (f, reply) in batch {
                let _ = reply.send(Ok(done.contains(&f.job.id)));
            }
        }
        Err(e) if batch.len() == 1 => {
            let _ = batch.into_iter().next().map(|(_, reply)| reply.send(Err(e)));
        }
        Err(_) => {
            for (f, reply) in batch {
                let _ = reply.send(commit(&store, &[&f]).await.map(|done| done.contains(&f.job.id)));
            }
        }
    }
}

/// One transaction: complete the jobs still leased to us, apply their effects, log them.
async fn commit(store: &Store, finished: &[&Finished]) -> Result<HashSet<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let leases: Vec<(i64, &str)> = finished.iter().map(|f| (f.job.id, f.job.lease_token.as_str())).collect();
    let done: HashSet<i64> = queue::complete_many(&mut tx, &leases).await?.into_iter().collect();
    let completed: Vec<&&Finished> = finished.iter().filter(|f| done.contains(&f.job.id)).collect();
    for f in &completed {
        for effect in &f.effects {
            apply(&mut tx, &f.job, effect).await?;
        }
    }
    let now = now_ms();
    let entries: Vec<(NewLogEntry<'_>, i64)> = completed
        .iter()
        .map(|f| {
            let entry = NewLogEntry {
                workspace_id: &f.job.workspace_id,
                connection_id: f.job.connection_id.as_deref(),
                contact: f.job.contact.as_deref(),
                job_id: Some(f.job.id),
                operation: f.operation,
                outcome: "ok",
                detail: Some(&f.detail),
            };
            (entry, now)
        })
        .collect();
    sync_log::append_at(&mut tx, &entries).await?;
    tx.commit().await?;
    Ok(done)
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
mod tests {
    use super::*;
    use hiresync_core::ContractId;
    use hiresync_store::queue::{NewJob, PRIORITY_BULK};
    use hiresync_testkit::databases;

    async fn claimed(store: &Store, n: usize) -> Vec<ClaimedJob> {
        let jobs: Vec<NewJob> = (0..n)
            .map(|i| NewJob {
                workspace_id: "ws_test".into(),
                connection_id: None,
                contact: Some(format!("c{i}")),
                ordering_key: format!("c{i}"),
                kind: "noop_v1".into(),
                payload: serde_json::json!({}),
                priority: PRIORITY_BULK,
                max_attempts: 3,
                run_at: now_ms(),
            })
            .collect();
        let mut c = store.conn().await.unwrap();
        queue::enqueue_many(&mut c, &jobs).await.unwrap();
        drop(c);
        store.claim("w", n as i64, 60_000).await.unwrap()
    }

    fn finished(job: &ClaimedJob, effects: Vec<Effect>) -> Finished {
        Finished { job: job.clone(), operation: "noop", detail: format!("done {}", job.id), effects }
    }

    async fn jobs_in(store: &Store, state: &str) -> i64 {
        store.job_counts().await.unwrap().into_iter().find(|(s, _)| s == state).map_or(0, |(_, n)| n)
    }

    /// Sync-log lines of the jobs' contacts.
    async fn logged(store: &Store, jobs: &[ClaimedJob]) -> usize {
        let mut c = store.conn().await.unwrap();
        let mut n = 0;
        for j in jobs {
            n += sync_log::for_contact(&mut c, "ws_test", j.contact.as_deref().unwrap()).await.unwrap().len();
        }
        n
    }

    #[tokio::test]
    async fn jobs_finishing_together_complete_together_and_a_lost_lease_is_fenced_out() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 40).await;
            // One job's lease passes to another worker before it finishes. It is not the first:
            // the first commits alone, and the rest pile up behind it into one batch.
            let lost = &jobs[7];
            assert!(store.release(lost.id, &lost.lease_token).await.unwrap());
            let taken = store.claim("other", 1, 60_000).await.unwrap();
            assert_eq!(taken[0].id, lost.id);
            let completions = Completions::default();
            let results =
                futures::future::join_all(jobs.iter().map(|j| completions.complete(store, finished(j, Vec::new()))))
                    .await;
            for (j, r) in jobs.iter().zip(&results) {
                if j.id == lost.id {
                    assert!(matches!(r, Err(JobError::LeaseLost)), "{}: {r:?}", db.backend);
                } else {
                    assert!(r.is_ok(), "{}: job {} {r:?}", db.backend, j.id);
                }
            }
            assert_eq!(jobs_in(store, "done").await, 39, "{}", db.backend);
            assert_eq!(jobs_in(store, "running").await, 1, "{}: the other worker's lease stands", db.backend);
            assert_eq!(logged(store, &jobs).await, 39, "{}", db.backend);
            assert_eq!(logged(store, std::slice::from_ref(lost)).await, 0, "{}", db.backend);
        }
    }

    #[tokio::test]
    async fn a_job_whose_write_fails_fails_alone() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 12).await;
            let bad = &jobs[5];
            let missing = ContractRecord {
                id: ContractId::from_stored("con_missing".into()),
                workspace_id: WorkspaceId::from_stored("ws_test".into()),
                oneflow_connection_id: "cn_of".into(),
                teamtailor_connection_id: "cn_tt".into(),
                contract_id: 1,
                candidate: "1".into(),
                oneflow_workspace_id: 1,
                template_id: 1,
                name: None,
                url: String::new(),
                field_map: Vec::new(),
                synced: std::collections::BTreeMap::new(),
                state: "draft".into(),
                upload_id: None,
                attached_at: None,
                created_at: 0,
                updated_at: 0,
            };
            let completions = Completions::default();
            let results = futures::future::join_all(jobs.iter().map(|j| {
                let effects = if j.id == bad.id { vec![Effect::Contract(missing.clone())] } else { Vec::new() };
                completions.complete(store, finished(j, effects))
            }))
            .await;
            for (j, r) in jobs.iter().zip(&results) {
                if j.id == bad.id {
                    assert!(matches!(r, Err(JobError::Store(StoreError::NotFound))), "{}: {r:?}", db.backend);
                } else {
                    assert!(r.is_ok(), "{}: job {} {r:?}", db.backend, j.id);
                }
            }
            assert_eq!(jobs_in(store, "done").await, 11, "{}", db.backend);
            assert_eq!(jobs_in(store, "running").await, 1, "{}: the failed job is still leased", db.backend);
            assert_eq!(logged(store, &jobs).await, 11, "{}", db.backend);
        }
    }
}
