//! The worker's loop: claims due jobs, runs up to `concurrency` at once, and
//! records finished jobs in the transaction that claims the next ones, until
//! it is told to stop.

use super::WorkerConfig;
use super::slots::{Prefetch, Running};
use crate::executor::Executor;
use crate::job::Record;
use futures::future::OptionFuture;
use hiresync_store::now_ms;
use hiresync_store::queue::ClaimedJob;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Claims and runs jobs.
#[derive(Clone)]
pub struct Worker {
    pub(super) executor: Executor,
    pub(super) config: WorkerConfig,
    wake: Arc<Notify>,
    /// Looks at the queue in a row that found the database out of reach.
    unreachable: Arc<AtomicU32>,
}

/// Longest an idle worker waits between looks while the database is out of reach.
const OUTAGE_WAIT: Duration = Duration::from_secs(30);

/// Leases this worker holds, by job id: claimed and not yet recorded, settled or released.
pub(super) type Leases = Arc<Mutex<HashMap<i64, String>>>;

/// Where job tasks hand over the jobs they finished, for the loop to record.
pub(super) type ToRecord = mpsc::UnboundedSender<Record>;

/// A trip to the queue under way: slots keep starting waiting jobs while it runs.
struct Trip<'a> {
    since: Instant,
    want: usize,
    claimed: Pin<Box<dyn Future<Output = Vec<ClaimedJob>> + Send + 'a>>,
}

impl Worker {
    /// A worker running jobs through `executor`.
    pub fn new(executor: Executor, config: WorkerConfig) -> Self {
        Self { executor, config, wake: Arc::new(Notify::new()), unreachable: Arc::default() }
    }

    /// Notified after new jobs are enqueued in this process, so they start without waiting for a
    /// poll; on PostgreSQL the database's announcements of jobs other processes enqueue notify it too.
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Claims and runs jobs until `shutdown` is cancelled, then finishes or releases in-flight jobs.
    pub async fn serve(&self, shutdown: CancellationToken) {
        let leases: Leases = Arc::default();
        let (done, mut finished_rx) = mpsc::unbounded_channel();
        let mut inflight = JoinSet::new();
        let running = Running::default();
        let mut prefetch = Prefetch::new(self.config.concurrency);
        let mut finished = Vec::new();
        // Claimed jobs waiting for a slot (see [`super::slots`]), so a slot that frees starts its
        // next job at once, also while a trip to the queue is under way.
        let mut ready: VecDeque<ClaimedJob> = VecDeque::new();
        let mut trip: Option<Trip<'_>> = None;
        // The last claim came back short: nothing more is due until a job finishes, a wake or the poll.
        let mut drained = false;
        let concurrency = self.config.concurrency;
        tracing::info!(worker = %self.config.name, concurrency, "Worker started.");
        let pruner = tokio::spawn(super::prune::periodically(
            self.executor.store().clone(),
            self.config.retention,
            shutdown.clone(),
        ));
        let keeper = tokio::spawn(super::keep::leases(
            self.executor.store().clone(),
            leases.clone(),
            self.config.lease,
            shutdown.clone(),
        ));
        let listener =
            tokio::spawn(super::wakeups::listen(self.executor.store().clone(), self.wake.clone(), shutdown.clone()));
        let prober = tokio::spawn(super::probe::periodically(
            self.executor.clone(),
            self.config.probe,
            self.wake.clone(),
            shutdown.clone(),
        ));
        loop {
            while inflight.try_join_next().is_some() {}
            while let Ok(f) = finished_rx.try_recv() {
                finished.push(f);
            }
            prefetch.jobs(&running);
            if !shutdown.is_cancelled() {
                self.start_ready(&mut ready, &mut inflight, &running, &leases, &done);
            }
            if trip.is_none() {
                if shutdown.is_cancelled() {
                    break;
                }
                let free = concurrency.saturating_sub(running.count());
                let want = (free + prefetch.waiting()).saturating_sub(ready.len());
                if !finished.is_empty() || (!drained && want > 0) {
                    let claimed = Box::pin(self.trip(std::mem::take(&mut finished), want, &leases));
                    trip = Some(Trip { since: Instant::now(), want, claimed });
                }
            }
            // Only an idle worker needs the next due time; a busy one wakes when a job finishes.
            let idle = trip.is_none() && ready.is_empty() && running.count() < concurrency;
            let wait = if idle { self.wait_for_due().await } else { self.config.poll };
            tokio::select! {
                () = shutdown.cancelled(), if !shutdown.is_cancelled() => {}
                Some(jobs) = OptionFuture::from(trip.as_mut().map(|t| t.claimed.as_mut())), if trip.is_some() => {
                    if let Some(t) = trip.take() {
                        prefetch.trip(t.since.elapsed());
                        drained = jobs.len() < t.want;
                    }
                    ready.extend(jobs);
                }
                Some(f) = finished_rx.recv() => finished.push(f),
                Some(_) = inflight.join_next(), if !inflight.is_empty() => {}
                () = self.wake.notified() => drained = false,
                () = tokio::time::sleep(wait), if trip.is_none() => drained = false,
            }
        }
        self.drain(inflight, finished_rx, finished, &leases).await;
        let _ = pruner.await;
        let _ = prober.await;
        let _ = listener.await;
        let _ = keeper.await;
        tracing::info!(worker = %self.config.name, "Worker stopped.");
    }

    /// Starts waiting jobs while slots are free. Their leases are kept alive by
    /// [`super::keep`], which lets go of the ones lost meanwhile: such a job is dropped, never
    /// run twice. Nothing here waits for the database, since the trip under way may hold
    /// SQLite's write lock and only this loop drives it on.
    fn start_ready(
        &self,
        ready: &mut VecDeque<ClaimedJob>,
        inflight: &mut JoinSet<()>,
        running: &Running,
        leases: &Leases,
        done: &ToRecord,
    ) {
        while running.count() < self.config.concurrency {
            let Some(job) = ready.pop_front() else { return };
            if !lock(leases).contains_key(&job.id) {
                tracing::warn!(job_id = job.id, "Lease lost while the job waited for a slot.");
                continue;
            }
            self.spawn(inflight, running.take(), leases, done, job);
        }
    }

    pub(super) fn lease_ms(&self) -> i64 {
        i64::try_from(self.config.lease.as_millis()).unwrap_or(i64::MAX)
    }

    /// Sleeps no longer than the poll interval, and less when a retry falls due sooner (the scheduler tick).
    /// While the database is out of reach the wait doubles from the poll interval up to
    /// [`OUTAGE_WAIT`], so a down database is not asked twice a second by every worker.
    async fn wait_for_due(&self) -> Duration {
        let due = self.executor.store().next_due().await;
        let failures = if due.is_err() { self.unreachable.fetch_add(1, Ordering::Relaxed) + 1 } else { 0 };
        if due.is_ok() {
            self.unreachable.store(0, Ordering::Relaxed);
        }
        match due {
            Ok(Some(due)) => {
                let ms = u64::try_from((due - now_ms()).max(10)).unwrap_or(10);
                Duration::from_millis(ms).min(self.config.poll)
            }
            Ok(None) => self.config.poll,
            Err(e) => {
                let wait = outage_wait(self.config.poll, failures);
                tracing::warn!(error = %e, wait_ms = wait.as_millis() as u64, "The database is out of reach; waiting.");
                wait
            }
        }
    }
}

/// The wait after `failures` looks in a row found the database out of reach.
fn outage_wait(poll: Duration, failures: u32) -> Duration {
    poll.saturating_mul(1 << failures.saturating_sub(1).min(16)).clamp(poll, OUTAGE_WAIT.max(poll))
}

pub(super) fn lock(leases: &Leases) -> std::sync::MutexGuard<'_, HashMap<i64, String>> {
    leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_asked_less_and_less_often_up_to_a_cap() {
        let poll = Duration::from_millis(500);
        assert_eq!(outage_wait(poll, 1), poll);
        assert_eq!(outage_wait(poll, 2), poll * 2);
        assert_eq!(outage_wait(poll, 4), poll * 8);
        assert_eq!(outage_wait(poll, 40), OUTAGE_WAIT);
        assert_eq!(outage_wait(Duration::from_secs(60), 3), Duration::from_secs(60), "never below the poll");
    }
}
