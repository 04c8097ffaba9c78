//! A running job's writes are fenced by its lease: each write transaction
//! first proves the lease is still this worker's and holds the job's row until
//! it commits, so a worker whose lease expired (a long pause, a cut database)
//! can never overwrite what the job's next holder wrote.

use super::JobError;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::{Store, Tx};

/// A job's lease, as the proof each of its writes shows.
#[derive(Clone, Copy, Debug)]
pub struct Fence<'a> {
    id: i64,
    token: &'a str,
}

impl<'a> Fence<'a> {
    /// The lease `job` was claimed with.
    pub fn of(job: &'a ClaimedJob) -> Self {
        Self { id: job.id, token: &job.lease_token }
    }

    /// A write transaction of the job; [`JobError::LeaseLost`] once another worker holds it.
    pub async fn begin(&self, store: &Store) -> Result<Tx, JobError> {
        let mut tx = store.begin().await?;
        if queue::fence(&mut tx, self.id, self.token).await? { Ok(tx) } else { Err(JobError::LeaseLost) }
    }
}
