//! The worker loop: claims due jobs with a lease, runs up to `concurrency` at
//! once, keeps their leases alive, settles failures (retry with backoff and
//! jitter, wait out rate limits, dead-letter, pause a connection on auth
//! errors), and on shutdown finishes in-flight work or releases its leases.
//!
//! A job's slot frees when its work is done, not when it is recorded: the loop
//! records every job finished since its last turn in the same transaction that
//! claims the next ones (see [`crate::completion`]), so commits batch up while
//! the provider work runs. That trip to the queue runs beside the jobs: slots
//! keep starting claimed jobs that wait for them while it is under way, and
//! how many wait follows how long jobs take against how long a trip takes
//! (see [`crate::slots`]).

use crate::call_log;
use crate::completion::{self, Finished};
use crate::executor::{Executor, JobError, Ran};
use crate::settle::settle;
use crate::slots::{Depth, Running, Slot};
use futures::future::OptionFuture;
use hiresync_providers::http::calls;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::{StoreError, now_ms};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, mpsc};
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

/// Leases this worker holds, by job id: claimed and not yet recorded, settled or released.
type Held = Arc<Mutex<HashMap<i64, String>>>;

/// Where job tasks hand over the jobs they finished, for the loop to record.
type Done = mpsc::UnboundedSender<Finished>;

/// A trip to the queue under way: slots keep starting waiting jobs while it runs.
struct Trip<'a> {
    since: Instant,
    want: usize,
    claimed: Pin<Box<dyn Future<Output = Vec<ClaimedJob>> + Send + 'a>>,
}

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
        let held: Held = Arc::default();
        let (done, mut finished_rx) = mpsc::unbounded_channel();
        let mut inflight = JoinSet::new();
        let running = Running::default();
        let mut depth = Depth::new(self.config.concurrency);
        let mut finished = Vec::new();
        // Claimed jobs waiting for a slot (see [`crate::slots`]), so a slot that frees starts its
        // next job at once, also while a trip to the queue is under way.
        let mut ready: VecDeque<(ClaimedJob, Instant)> = VecDeque::new();
        let mut trip: Option<Trip<'_>> = None;
        // The last claim came back short: nothing more is due until a job finishes, a wake or the poll.
        let mut drained = false;
        let concurrency = self.config.concurrency;
        tracing::info!(worker = %self.config.name, concurrency, "Worker started.");
        let pruner = tokio::spawn(crate::prune::run(self.executor.store().clone(), shutdown.clone()));
        loop {
            while inflight.try_join_next().is_some() {}
            while let Ok(f) = finished_rx.try_recv() {
                finished.push(f);
            }
            depth.jobs(&running);
            if !shutdown.is_cancelled() {
                self.start_ready(&mut ready, &mut inflight, &running, &held, &done).await;
            }
            if trip.is_none() {
                if shutdown.is_cancelled() {
                    break;
                }
                let free = concurrency.saturating_sub(running.count());
                let want = (free + depth.waiting()).saturating_sub(ready.len());
                if !finished.is_empty() || (!drained && want > 0) {
                    let claimed = Box::pin(self.turn(std::mem::take(&mut finished), want, &held));
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
                        depth.trip(t.since.elapsed());
                        drained = jobs.len() < t.want;
                    }
                    ready.extend(jobs.into_iter().map(|j| (j, Instant::now())));
                }
                Some(f) = finished_rx.recv() => finished.push(f),
                Some(_) = inflight.join_next(), if !inflight.is_empty() => {}
                () = self.wake.notified() => drained = false,
                () = tokio::time::sleep(wait), if trip.is_none() => drained = false,
            }
        }
        self.drain(inflight, finished_rx, finished, &held).await;
        let _ = pruner.await;
        tracing::info!(worker = %self.config.name, "Worker stopped.");
    }

    /// Starts waiting jobs while slots are free. A job that waited a third of its lease has the
    /// lease renewed first, and one whose lease was lost meanwhile is dropped, never run twice.
    async fn start_ready(
        &self,
        ready: &mut VecDeque<(ClaimedJob, Instant)>,
        inflight: &mut JoinSet<()>,
        running: &Running,
        held: &Held,
        done: &Done,
    ) {
        while running.count() < self.config.concurrency {
            let Some((job, claimed_at)) = ready.pop_front() else { return };
            if claimed_at.elapsed() > self.config.lease / 3 {
                match self.executor.store().heartbeat(job.id, &job.lease_token, self.lease_ms()).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(job_id = job.id, "Lease lost while the job waited for a slot.");
                        lock(held).remove(&job.id);
                        continue;
                    }
                    Err(e) => tracing::warn!(job_id = job.id, error = %e, "Renewing a waiting job's lease failed."),
                }
            }
            self.spawn(inflight, running.take(), held, done, job);
        }
    }

    /// Runs claimable jobs until none is left; returns how many ran (tests, CLI).
    pub async fn run_until_idle(&self) -> Result<usize, StoreError> {
        let held: Held = Arc::default();
        let (done, mut finished_rx) = mpsc::unbounded_channel();
        let running = Running::default();
        let mut finished = Vec::new();
        let mut ran = 0;
        loop {
            let jobs = self.turn(std::mem::take(&mut finished), self.config.concurrency, &held).await;
            if jobs.is_empty() {
                return Ok(ran);
            }
            ran += jobs.len();
            let mut set = JoinSet::new();
            for job in jobs {
                self.spawn(&mut set, running.take(), &held, &done, job);
            }
            while set.join_next().await.is_some() {}
            while let Ok(f) = finished_rx.try_recv() {
                finished.push(f);
            }
        }
    }

    /// One trip to the queue: records the finished jobs and claims up to `want` more, in one
    /// transaction. When that fails, each job is recorded on its own, so one job's bad write
    /// fails that job alone, and the claim is tried by itself.
    async fn turn(&self, finished: Vec<Finished>, want: usize, held: &Held) -> Vec<ClaimedJob> {
        let store = self.executor.store();
        let (name, want, lease) = (&self.config.name, i64::try_from(want).unwrap_or(i64::MAX), self.lease_ms());
        let together = async {
            let mut tx = store.begin_turn().await?;
            let done = completion::record(&mut tx, &finished).await?;
            let jobs = queue::claim(&mut tx, name, want, lease).await?;
            tx.commit().await?;
            Ok::<_, StoreError>((done, jobs))
        };
        let jobs = match together.await {
            Ok((done, jobs)) => {
                for f in &finished {
                    self.recorded(f, Ok(done.contains(&f.job.id)), held).await;
                }
                jobs
            }
            Err(e) => {
                tracing::warn!(error = %e, jobs = finished.len(), "Recording jobs and claiming more failed; one at a time.");
                for f in &finished {
                    self.recorded(f, completion::record_alone(store, f).await, held).await;
                }
                if want == 0 {
                    return Vec::new();
                }
                store.claim(name, want, lease).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "Claiming jobs failed; retrying.");
                    Vec::new()
                })
            }
        };
        lock(held).extend(jobs.iter().map(|j| (j.id, j.lease_token.clone())));
        jobs
    }

    /// Lets go of a recorded job's lease, and settles a job whose record failed.
    async fn recorded(&self, f: &Finished, result: Result<bool, StoreError>, held: &Held) {
        match result {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job_id = f.job.id, "Lease lost to another worker; its result stands."),
            Err(e) => settle(self.executor.store(), &f.job, &JobError::Store(e)).await,
        }
        lock(held).remove(&f.job.id);
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

    fn spawn(&self, set: &mut JoinSet<()>, slot: Slot, held: &Held, done: &Done, job: ClaimedJob) {
        let (executor, held, done, lease_ms) = (self.executor.clone(), held.clone(), done.clone(), self.lease_ms());
        set.spawn(async move {
            let id = job.id;
            tokio::select! {
                (result, calls) = calls::recorded(executor.run(&job)) => match result {
                    // Still held: the loop records it with its next claim.
                    Ok(Ran::Finished(mut f)) => {
                        f.calls = calls;
                        drop(slot);
                        if done.send(*f).is_ok() {
                            return;
                        }
                    }
                    Ok(Ran::Completed) => call_log::write(executor.store(), &job, &calls).await,
                    Err(e) => {
                        call_log::write(executor.store(), &job, &calls).await;
                        if !matches!(e, JobError::LeaseLost) {
                            settle(executor.store(), &job, &e).await;
                        }
                    }
                },
                () = keep_lease(&executor, &job, lease_ms) => {
                    tracing::warn!(job_id = id, "Lease lost to another worker; abandoning the job.");
                }
            }
            lock(&held).remove(&id);
        });
    }

    /// Waits up to the grace period for in-flight jobs, records what finished, and
    /// releases the leases of the rest.
    async fn drain(
        &self,
        mut inflight: JoinSet<()>,
        mut finished_rx: mpsc::UnboundedReceiver<Finished>,
        mut finished: Vec<Finished>,
        held: &Held,
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
            self.turn(finished, 0, held).await;
        }
        let left: Vec<(i64, String)> = lock(held).drain().collect();
        let leases: Vec<(i64, &str)> = left.iter().map(|(id, token)| (*id, token.as_str())).collect();
        if let Err(e) = self.executor.store().release(&leases).await {
            tracing::warn!(jobs = leases.len(), error = %e, "Releasing jobs failed; their leases will expire.");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::completion::Effect;
    use crate::completion::tests::{claimed, finished, jobs_in, logged, queued};
    use crate::{Clients, Vault};
    use hiresync_core::{ContractId, WorkspaceId};
    use hiresync_store::Raw;
    use hiresync_store::contracts::ContractRecord;
    use hiresync_testkit::databases;
    use secrecy::SecretString;

    fn worker(store: &hiresync_store::Store) -> Worker {
        let key = SecretString::from("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned());
        let clients = Clients::new(Arc::new(Vault::from_base64(&key).unwrap()));
        Worker::new(Executor::new(store.clone(), clients), WorkerConfig::default())
    }

    #[tokio::test]
    async fn a_job_whose_write_fails_fails_alone_and_the_rest_complete() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 12).await;
            let bad = &jobs[5];
            // A contract that does not exist: recording it fails.
            let missing = ContractRecord {
                id: ContractId::from_stored("ctr_missing".into()),
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
            let all: Vec<Finished> = jobs
                .iter()
                .map(|j| finished(j, if j.id == bad.id { vec![Effect::Contract(missing.clone())] } else { Vec::new() }))
                .collect();
            let w = worker(store);
            let held: Held = Arc::default();
            lock(&held).extend(jobs.iter().map(|j| (j.id, j.lease_token.clone())));
            let next = w.turn(all, 0, &held).await;
            assert!(next.is_empty());
            assert!(lock(&held).is_empty(), "{}: every lease was let go", db.backend);
            assert_eq!(jobs_in(store, "done").await, 11, "{}", db.backend);
            assert_eq!(jobs_in(store, "queued").await, 1, "{}: the failed job waits for its retry", db.backend);
            let others: Vec<ClaimedJob> = jobs.iter().filter(|j| j.id != bad.id).cloned().collect();
            assert_eq!(logged(store, &others).await, 11, "{}", db.backend);
        }
    }

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
                async move { w.run(token).await }
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

    /// Done jobs created and finished `days_ago`, by id.
    async fn finish(store: &hiresync_store::Store, jobs: &[ClaimedJob], days_ago: &[i64]) {
        let mut tx = store.begin().await.unwrap();
        let tokens: Vec<(i64, &str)> = jobs.iter().map(|j| (j.id, j.lease_token.as_str())).collect();
        assert_eq!(queue::complete_many(&mut tx, &tokens).await.unwrap().len(), jobs.len());
        for (j, days) in jobs.iter().zip(days_ago) {
            let (sql, at) = (
                "update jobs set created_at = $1, finished_at = $1 where id = $2",
                now_ms() - days * 24 * 60 * 60 * 1000,
            );
            match tx.raw() {
                Raw::Sqlite(c) => sqlx::query(sql).bind(at).bind(j.id).execute(c).await.map(drop),
                Raw::Postgres(c) => {
                    let at = chrono::DateTime::from_timestamp_millis(at);
                    sqlx::query(sql).bind(at).bind(j.id).execute(c).await.map(drop)
                }
            }
            .unwrap();
        }
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn done_jobs_past_a_week_are_deleted_in_slices_and_nothing_else_is() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 6).await;
            finish(store, &jobs[..5], &[30, 9, 8, 6, 0]).await;
            let before = now_ms() - queue::DONE_RETENTION_MS;
            // Slices of two: three old jobs take two transactions.
            assert_eq!(store.prune_done(before, 2).await.unwrap(), 3, "{}", db.backend);
            assert_eq!(jobs_in(store, "done").await, 2, "{}: the recent ones stay", db.backend);
            assert_eq!(jobs_in(store, "running").await, 1, "{}: unfinished work is never pruned", db.backend);
            assert_eq!(store.prune_done(before, 2).await.unwrap(), 0, "{}", db.backend);
        }
    }

    #[tokio::test]
    async fn a_starting_worker_deletes_done_jobs_past_their_retention() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 2).await;
            finish(store, &jobs, &[8, 1]).await;
            let shutdown = CancellationToken::new();
            let w = worker(store);
            let task = tokio::spawn({
                let token = shutdown.clone();
                async move { w.run(token).await }
            });
            let started = Instant::now();
            while jobs_in(store, "done").await > 1 {
                assert!(started.elapsed() < Duration::from_secs(20), "{}: the old job was not pruned", db.backend);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            shutdown.cancel();
            task.await.unwrap();
            assert_eq!(jobs_in(store, "done").await, 1, "{}: the day-old job stays", db.backend);
        }
    }
}
