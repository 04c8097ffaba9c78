//! One claimed job run in a task of its own: its lease is kept alive while it
//! runs, and what it ends with goes to the loop to record, or is settled.

use super::Worker;
use super::serve::{Leases, ToRecord, lock};
use super::settle::settle;
use super::slots::Slot;
use crate::executor::Executor;
use crate::job::call_log;
use crate::job::{JobError, Outcome};
use crate::metrics::ENGINE_METRICS;
use hiresync_providers::http::calls;
use hiresync_store::queue::ClaimedJob;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;
use tracing::Instrument;

impl Worker {
    /// Runs `job` in a task of `set`, holding `slot` until its work is done.
    pub(super) fn spawn(&self, set: &mut JoinSet<()>, slot: Slot, leases: &Leases, done: &ToRecord, job: ClaimedJob) {
        let (executor, leases, done, lease_ms) = (self.executor.clone(), leases.clone(), done.clone(), self.lease_ms());
        let config = self.config.clone();
        // Every line logged while the job runs names it, its connection and its workspace.
        let span = tracing::info_span!(
            "job",
            job_id = job.id,
            kind = %job.kind,
            workspace_id = %job.workspace_id,
            connection_id = job.connection_id.as_deref().unwrap_or(""),
        );
        set.spawn(
            async move {
                let id = job.id;
                let started = Instant::now();
                let outcome = tokio::select! {
                    (result, calls) = calls::recorded(executor.run(&job)) => match result {
                        // Still leased: the loop records it with its next claim.
                        Ok(Outcome::ToRecord(mut f)) => {
                            f.calls = calls;
                            drop(slot);
                            if done.send(*f).is_ok() {
                                ENGINE_METRICS.ran(&job.kind, "done", started.elapsed());
                                return;
                            }
                            "done"
                        }
                        Ok(Outcome::Completed) => {
                            call_log::write(executor.store(), &job, &calls).await;
                            "done"
                        }
                        Err(e) => {
                            call_log::write(executor.store(), &job, &calls).await;
                            if matches!(e, JobError::LeaseLost) {
                                "lost"
                            } else {
                                settle(executor.store(), &job, &e, &config).await;
                                "failed"
                            }
                        }
                    },
                    () = keep_lease(&executor, &job, lease_ms) => {
                        tracing::warn!("Lease lost to another worker; abandoning the job.");
                        "lost"
                    }
                };
                ENGINE_METRICS.ran(&job.kind, outcome, started.elapsed());
                lock(&leases).remove(&id);
            }
            .instrument(span),
        );
    }
}

/// Extends the lease every third of its length; returns only when the lease is lost.
async fn keep_lease(executor: &Executor, job: &ClaimedJob, lease_ms: i64) {
    let every = Duration::from_millis(u64::try_from(lease_ms / 3).unwrap_or(1000).max(50));
    loop {
        tokio::time::sleep(every).await;
        match executor.store().heartbeat(job.id, &job.lease_token, lease_ms).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => tracing::warn!(job_id = job.id, error = %e, "Heartbeat failed; trying again."),
        }
    }
}
