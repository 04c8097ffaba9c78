//! What the worker's tests share: queued and claimed no-op jobs, and counts
//! of what the queue and the sync log hold.

use super::{Worker, WorkerConfig};
use crate::job::{Effect, JobKind, Record};
use crate::noop::Noop;
use crate::{Clients, Executor, Vault};
use hiresync_store::queue::{self, ClaimedJob, NewJob, PRIORITY_BULK};
use hiresync_store::{Store, now_ms, sync_log};
use secrecy::SecretString;
use std::sync::Arc;

/// Enqueues `n` no-op jobs, each of its own contact.
pub(crate) async fn queued(store: &Store, n: usize) {
    let jobs: Vec<NewJob> = (0..n)
        .map(|i| {
            let payload = Noop { key: format!("c{i}") };
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
    store.claim("w", n as i64, 60_000, 100).await.unwrap()
}

/// What to record for `job`, as a no-op job that ran to the end would.
pub(crate) fn to_record(job: &ClaimedJob, effects: Vec<Effect>) -> Record {
    Record::new(job, "noop", format!("done {}", job.id), effects)
}

/// Jobs in `state`.
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

/// A worker over `store` with the default configuration.
pub(crate) fn worker(store: &hiresync_store::Store) -> Worker {
    let key = SecretString::from("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned());
    let clients = Clients::new(Arc::new(Vault::from_base64(&key).unwrap()));
    Worker::new(Executor::new(store.clone(), clients), WorkerConfig::default())
}
