//! Stopping: in-flight jobs get the grace period to finish, what finished is
//! recorded, and the leases of the rest are given back, so another worker
//! takes them at once instead of waiting for them to expire.

use super::Worker;
use super::serve::{Leases, lock};
use crate::job::Record;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

impl Worker {
    /// Waits up to the grace period for in-flight jobs, records what finished, and
    /// releases the leases of the rest.
    pub(super) async fn drain(
        &self,
        mut inflight: JoinSet<()>,
        mut finished_rx: mpsc::UnboundedReceiver<Record>,
        mut finished: Vec<Record>,
        leases: &Leases,
    ) {
        if !inflight.is_empty() {
            tracing::info!(jobs = inflight.len(), "Finishing in-flight jobs before stopping.");
            let deadline = tokio::time::sleep(self.config.grace);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    next = inflight.join_next() => if next.is_none() { break },
                    () = &mut deadline => break,
                }
            }
            inflight.abort_all();
            while inflight.join_next().await.is_some() {}
        }
        while let Ok(f) = finished_rx.try_recv() {
            finished.push(f);
        }
        if !finished.is_empty() {
            self.trip(finished, 0, leases).await;
        }
        let left: Vec<(i64, String)> = lock(leases).drain().collect();
        let leases: Vec<(i64, &str)> = left.iter().map(|(id, token)| (*id, token.as_str())).collect();
        if let Err(e) = self.executor.store().release(&leases).await {
            tracing::warn!(jobs = leases.len(), error = %e, "Releasing jobs failed; their leases will expire.");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::WorkerConfig;
    use super::super::testing::{jobs_in, queued, worker};
    use super::*;
    use hiresync_testkit::databases;
    use std::time::{Duration, Instant};
    use tokio_util::sync::CancellationToken;

    #[tokio::test]
    async fn a_stopping_worker_gives_back_the_jobs_it_claimed_and_had_not_started() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let total = 10_000;
            queued(store, total).await;
            let shutdown = CancellationToken::new();
            // One slot and instant jobs: the worker keeps many more claimed than it runs.
            let w = Worker::new(worker(store).executor, WorkerConfig { concurrency: 1, ..WorkerConfig::default() });
            let task = tokio::spawn({
                let token = shutdown.clone();
                async move { w.serve(token).await }
            });
            let started = Instant::now();
            while jobs_in(store, "done").await == 0 {
                assert!(started.elapsed() < Duration::from_secs(20), "{}: no job ran", db.backend);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            shutdown.cancel();
            task.await.unwrap();
            let (done, queued) = (jobs_in(store, "done").await, jobs_in(store, "queued").await);
            assert_eq!(jobs_in(store, "running").await, 0, "{}: nothing is left leased", db.backend);
            assert_eq!(done + queued, total as i64, "{}", db.backend);
            assert!(queued > 0, "{}: stopped before the end", db.backend);
            let sql = "select count(*) from jobs where state = 'queued' and attempts > 0";
            let (counted,): (i64,) =
                hiresync_store::with_raw!(&mut store.db().await.unwrap(), |c| sqlx::query_as(sql).fetch_one(c).await)
                    .unwrap();
            assert_eq!(counted, 0, "{}: a job given back has not used an attempt", db.backend);
        }
    }
}
