//! The job queue as a test (or the bench) waits on it: counts by state, and
//! waiting until nothing is queued or running.

use crate::eventually::{Polled, eventually};
use anyhow::Result;
use hiresync_store::Store;
use std::fmt;
use std::time::Duration;

/// Jobs by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Waiting to run (now or later).
    pub queued: i64,
    /// Claimed by a worker.
    pub running: i64,
    /// Completed.
    pub done: i64,
    /// Failed for good.
    pub dead: i64,
}

impl fmt::Display for JobCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { queued, running, done, dead } = self;
        write!(f, "{queued} queued, {running} running, {done} done, {dead} dead")
    }
}

/// The queue's counts now.
pub async fn counts(store: &Store) -> Result<JobCounts> {
    let c = store.job_counts().await?;
    let n = |s: &str| c.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    Ok(JobCounts { queued: n("queued"), running: n("running"), done: n("done"), dead: n("dead") })
}

/// Waits until no job is queued or running and returns the counts then; fails after `limit`.
/// Each look reads one entry of the claim index ([`Store::busy`]), where counting walks every
/// unfinished job: a 100,000-job sync is not slowed by the watching.
pub async fn wait_idle(store: &Store, limit: Duration) -> Result<JobCounts> {
    let idle = eventually("the queue drained", limit, || async {
        Ok(if store.busy().await? { Polled::Waiting("jobs queued or running".into()) } else { Polled::Ready(()) })
    })
    .await;
    match idle {
        Ok(()) => counts(store).await,
        Err(e) => anyhow::bail!("{e}; {}", counts(store).await?),
    }
}
