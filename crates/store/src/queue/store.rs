//! The queue's operations that run in a transaction or on a connection of
//! their own: a worker's claim, heartbeat and failure, and the operator's
//! listing, retry and pruning.

use super::{ClaimedJob, JobInfo, claim, truncate};
use crate::db::on_backend;
use crate::{Result, Store, StoreError, now_ms};

impl Store {
    /// Claims up to `limit` due jobs for `worker` with a lease of `lease_ms`, at most
    /// `per_connection` running on any one connection, in a transaction of its own.
    pub async fn claim(&self, worker: &str, limit: i64, lease_ms: i64, per_connection: i64) -> Result<Vec<ClaimedJob>> {
        let mut tx = self.begin_turn().await?;
        let jobs = claim(&mut tx, worker, limit, lease_ms, per_connection).await?;
        tx.commit().await?;
        Ok(jobs)
    }

    /// Extends a held lease; false when the lease was lost to another worker.
    pub async fn heartbeat(&self, id: i64, token: &str, lease_ms: i64) -> Result<bool> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::heartbeat(id, token, now_ms() + lease_ms))
    }

    /// Extends many held leases in one statement; returns the ids still held.
    pub async fn heartbeat_many(&self, jobs: &[(i64, &str)], lease_ms: i64) -> Result<Vec<i64>> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::heartbeat_many(jobs, now_ms() + lease_ms))
    }

    /// Records a failed attempt: back to the queue not before `retry_at`, or dead when
    /// `retry_at` is none or attempts are used up. False when the lease was lost.
    pub async fn fail(&self, id: i64, token: &str, error: &str, retry_at: Option<i64>) -> Result<bool> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::fail(id, token, &truncate(error), retry_at, now_ms()))
    }

    /// Puts a job off until `run_at` without spending the attempt it was claimed for: it waited
    /// for a provider's budget, a `Retry-After` or the end of an outage. False when the lease was lost.
    pub async fn postpone(&self, id: i64, token: &str, error: &str, run_at: i64) -> Result<bool> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::postpone(id, token, &truncate(error), run_at, now_ms()))
    }

    /// Holds a job until its connection works again, without spending the attempt; it stays
    /// before the later jobs of its ordering key. False when the lease was lost.
    pub async fn hold(&self, id: i64, token: &str, error: &str) -> Result<bool> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::hold(id, token, &truncate(error), now_ms()))
    }

    /// Gives jobs back without counting the attempt (graceful shutdown), in one transaction;
    /// returns the ids given back. A job missing from the answer had lost its lease.
    pub async fn release(&self, jobs: &[(i64, &str)]) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let released = on_backend!(&mut tx, queue::release(jobs, now_ms()))?;
        tx.commit().await?;
        Ok(released)
    }

    /// Puts a dead (or failed) job of this workspace back in the queue with fresh attempts.
    pub async fn retry_job(&self, workspace: &str, id: i64) -> Result<()> {
        let mut db = self.db().await?;
        let found = on_backend!(&mut db, queue::retry_job(workspace, id, now_ms()))?;
        if found { Ok(()) } else { Err(StoreError::NotFound) }
    }

    /// Jobs of a workspace, newest first, optionally in one state (an unknown state lists none).
    pub async fn list_jobs(&self, workspace: &str, state: Option<&str>, limit: i64) -> Result<Vec<JobInfo>> {
        // The state is spelled as a literal, from this list only, so both planners can
        // match `state = 'dead'` to that state's partial index; a parameter they cannot.
        let filter = match state {
            None => "",
            Some("queued") => "and state = 'queued'",
            Some("running") => "and state = 'running'",
            Some("done") => "and state = 'done'",
            Some("dead") => "and state = 'dead'",
            Some("held") => "and state = 'held'",
            Some(_) => return Ok(Vec::new()),
        };
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::list_jobs(workspace, filter, limit))
    }

    /// One job of `workspace`, if it exists.
    pub async fn job(&self, workspace: &str, id: i64) -> Result<Option<JobInfo>> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::job(workspace, id))
    }

    /// Job counts by state across all workspaces (for metrics and tests).
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::job_counts())
    }

    /// How long the longest-waiting due job has waited for a worker, in ms (0 when none waits).
    pub async fn oldest_due_age_ms(&self) -> Result<i64> {
        let now = now_ms();
        let mut db = self.db().await?;
        let since: Option<i64> = on_backend!(&mut db, queue::oldest_due(now))?;
        Ok(since.map_or(0, |at| (now - at).max(0)))
    }

    /// Whether any job is queued or running. It reads one entry of the claim index, where a
    /// count of the unfinished jobs walks all of them.
    pub async fn busy(&self) -> Result<bool> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::busy())
    }

    /// When the last job to finish finished (epoch ms), if any has.
    pub async fn last_finished(&self) -> Result<Option<i64>> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::last_finished())
    }

    /// Deletes the done jobs that finished before `before` (epoch ms), oldest first, `slice`
    /// per short write transaction; returns how many. Dead jobs stay until retried or seen.
    pub async fn prune_done(&self, before: i64, slice: i64) -> Result<u64> {
        // A job that finished before `before` was created before it, and ids rise with creation,
        // so only ids below the first job created since need looking at. Found once, on a reader:
        // without the bound, the last slice of every run walked the week of jobs that are kept
        // while holding SQLite's one writer.
        let below = on_backend!(&mut self.db().await?, queue::first_created_since(before))?.unwrap_or(i64::MAX);
        let mut total = 0;
        loop {
            let mut tx = self.begin().await?;
            let gone = on_backend!(&mut tx, queue::prune_slice(below, before, slice))?;
            tx.commit().await?;
            total += gone;
            if gone < u64::try_from(slice).unwrap_or(0) {
                return Ok(total);
            }
        }
    }

    /// The earliest time a queued job becomes due or a running job's lease ends (its worker
    /// may have died, and the job is claimable then), for an idle worker's sleep.
    pub async fn next_due(&self) -> Result<Option<i64>> {
        let mut db = self.db().await?;
        on_backend!(&mut db, queue::next_due())
    }
}
