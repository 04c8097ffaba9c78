//! The worker loop: claims due jobs with a lease, runs up to `concurrency` at
//! once, keeps their leases alive, settles failures (retry with backoff and
//! jitter, wait out rate limits, dead-letter, pause a connection on auth
//! errors), and on shutdown finishes in-flight work or releases its leases.

use crate::call_log;
use crate::executor::{Executor, JobError};
use crate::settle::settle;
use hiresync_providers::http::calls;
use hiresync_store::queue::ClaimedJob;
use hiresync_store::{StoreError, now_ms};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Names this worker in leases and logs.
    pub name: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// How long a claim holds before another worker may take the job over.
    pub lease: Duration,
    /// Longest sleep between looks at the queue when nothing wakes the worker.
    pub poll: Duration,
    /// How long shutdown waits for in-flight jobs before releasing them.
    pub grace: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            name: format!("worker-{}", std::process::id()),
            concurrency: 8,
            lease: Duration::from_secs(60),
            poll: Duration::from_millis(500),
            grace: Duration::from_secs(20),
        }
    }
}

/// Claims and runs jobs.
#[derive(Clone)]
pub struct Worker {
    executor: Executor,
    config: WorkerConfig,
    wake: Arc<Notify>,
}

type Held = Arc<Mutex<HashMap<i64, String>>>;

impl Worker {
    /// A worker running jobs through `executor`.
    pub fn new(executor: Executor, config: WorkerConfig) -> Self {
        Self { executor, config, wake: Arc::new(Notify::new()) }
    }

    /// Notified after new jobs are enqueued in this process, so they start without waiting for a poll.
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Runs until `shutdown` is cancelled, then finishes or releases in-flight jobs.
    pub async fn run(&self, shutdown: CancellationToken) {
        let store = self.executor.store().clone();
        let held: Held = Arc::default();
        let mut inflight = JoinSet::new();
        tracing::info!(worker = %self.config.name, concurrency = self.config.concurrency, "Worker started.");
        while !shutdown.is_cancelled() {
            while inflight.try_join_next().is_some() {}
            let free = self.config.concurrency.saturating_sub(inflight.len());
            let mut claimed = 0;
            if free > 0 {
                match store.claim(&self.config.name, free as i64, self.lease_ms()).await {
                    Ok(jobs) => {
                        claimed = jobs.len();
                        for job in jobs {
                            self.spawn(&mut inflight, &held, job);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "Claiming jobs failed; retrying."),
                }
            }
            if claimed > 0 && inflight.len() < self.config.concurrency {
                continue;
            }
            // Only an idle worker needs the next due time; a busy one wakes when a job finishes.
            let wait = if claimed == 0 && free > 0 { self.wait_for_due().await } else { self.config.poll };
            tokio::select! {
                () = shutdown.cancelled() => {}
                Some(_) = inflight.join_next(), if !inflight.is_empty() => {}
                () = self.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
        self.drain(inflight, &held).await;
        tracing::info!(worker = %self.config.name, "Worker stopped.");
    }

    /// Runs claimable jobs until none is left; returns how many ran (tests, CLI).
    pub async fn run_until_idle(&self) -> Result<usize, StoreError> {
        let store = self.executor.store().clone();
        let held: Held = Arc::default();
        let mut ran = 0;
        loop {
            let jobs = store.claim(&self.config.name, self.config.concurrency as i64, self.lease_ms()).await?;
            if jobs.is_empty() {
                return Ok(ran);
            }
            ran += jobs.len();
            let mut set = JoinSet::new();
            for job in jobs {
                self.spawn(&mut set, &held, job);
            }
            while set.join_next().await.is_some() {}
        }
    }

    fn lease_ms(&self) -> i64 {
        i64::try_from(self.config.lease.as_millis()).unwrap_or(i64::MAX)
    }

    /// Sleeps no longer than the poll interval, and less when a retry falls due sooner (the scheduler tick).
    async fn wait_for_due(&self) -> Duration {
        match self.executor.store().next_due().await {
            Ok(Some(due)) => {
                let ms = u64::try_from((due - now_ms()).max(10)).unwrap_or(10);
                Duration::from_millis(ms).min(self.config.poll)
            }
            _ => self.config.poll,
        }
    }

    fn spawn(&self, set: &mut JoinSet<()>, held: &Held, job: ClaimedJob) {
        lock(held).insert(job.id, job.lease_token.clone());
        let (executor, held, lease_ms) = (self.executor.clone(), held.clone(), self.lease_ms());
        set.spawn(async move {
            let id = job.id;
            tokio::select! {
                (result, calls) = calls::recorded(executor.run(&job)) => {
                    call_log::write(executor.store(), &job, &calls).await;
                    if let Err(e) = result
                        && !matches!(e, JobError::LeaseLost)
                    {
                        settle(executor.store(), &job, &e).await;
                    }
                }
                () = keep_lease(&executor, &job, lease_ms) => {
                    tracing::warn!(job_id = id, "Lease lost to another worker; abandoning the job.");
                }
            }
            lock(&held).remove(&id);
        });
    }

    async fn drain(&self, mut inflight: JoinSet<()>, held: &Held) {
        if inflight.is_empty() {
            return;
        }
        tracing::info!(jobs = inflight.len(), "Finishing in-flight jobs before stopping.");
        let deadline = tokio::time::sleep(self.config.grace);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                next = inflight.join_next() => if next.is_none() { return },
                () = &mut deadline => break,
            }
        }
        inflight.abort_all();
        while inflight.join_next().await.is_some() {}
        let left: Vec<(i64, String)> = lock(held).drain().collect();
        for (id, token) in left {
            if let Err(e) = self.executor.store().release(id, &token).await {
                tracing::warn!(job_id = id, error = %e, "Releasing a job failed; its lease will expire.");
            }
        }
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

fn lock(held: &Held) -> std::sync::MutexGuard<'_, HashMap<i64, String>> {
    held.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
