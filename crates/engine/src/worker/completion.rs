//! Recording jobs that ran to the end. A job's outcome (its sync state, resync
//! item or contract record), its sync-log lines and its completion land in one
//! transaction, and the worker records every job that finished since its last
//! commit in the transaction that claims its next jobs (see [`super::serve`]):
//! a busy worker pays one commit and a few multi-row statements per batch
//! instead of a transaction per job.

use crate::job::Record;
use crate::job::record::write;
use hiresync_store::queue;
use hiresync_store::{Store, StoreError, Tx};
use std::collections::HashSet;

/// In the caller's transaction: completes the jobs still leased to us, applies their
/// effects and logs them; returns the ids completed. A job missing from the answer lost its
/// lease to another worker, and nothing of it was written.
pub(crate) async fn record(tx: &mut Tx, finished: &[Record]) -> Result<HashSet<i64>, StoreError> {
    if finished.is_empty() {
        return Ok(HashSet::new());
    }
    let leases: Vec<(i64, &str)> = finished.iter().map(|f| (f.job.id, f.job.lease_token.as_str())).collect();
    let done: HashSet<i64> = queue::complete_many(tx, &leases).await?.into_iter().collect();
    let completed: Vec<&Record> = finished.iter().filter(|f| done.contains(&f.job.id)).collect();
    write(tx, &completed).await?;
    Ok(done)
}

/// Records one job in a transaction of its own; false when its lease was lost.
pub(crate) async fn record_alone(store: &Store, finished: &Record) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let done = record(&mut tx, std::slice::from_ref(finished)).await?;
    tx.commit().await?;
    Ok(done.contains(&finished.job.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::testing::{claimed, jobs_in, logged, to_record};
    use hiresync_testkit::databases;

    #[tokio::test]
    async fn jobs_recorded_together_complete_together_and_a_lost_lease_is_fenced_out() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 40).await;
            // One job's lease passes to another worker before it is recorded.
            let lost = &jobs[7];
            assert_eq!(store.release(&[(lost.id, &lost.lease_token)]).await.unwrap(), vec![lost.id]);
            let taken = store.claim("other", 1, 60_000, 100).await.unwrap();
            assert_eq!(taken[0].id, lost.id);
            let all: Vec<Record> = jobs.iter().map(|j| to_record(j, Vec::new())).collect();
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
