//! How a job's run ends. Most jobs hand the worker a [`Record`]: the worker
//! records it with its next commit, so the job's effects, its sync-log lines
//! and its completion in the queue land in one transaction (see
//! `worker::completion`). A job whose writes must be read and checked under
//! the write lock completes itself instead ([`complete`]).

use super::JobError;
use hiresync_providers::http::calls::Call;
use hiresync_store::contracts::ContractRecord;
use hiresync_store::events::ContactSync;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::sync_log::{self, NewLogEntry};
use hiresync_store::{StoreError, Tx};

/// How a job that ran to the end is to be recorded.
#[derive(Debug)]
pub enum Outcome {
    /// What the worker records with its next commit, completing the job.
    ToRecord(Box<Record>),
    /// It completed itself: in a transaction that checked what it wrote (imports), or after
    /// recording each decision it carried out as a step of its own (carry).
    Completed,
}

/// A job that ran to the end: what to record when it completes.
#[derive(Clone, Debug)]
pub struct Record {
    /// The job, with the lease that fences its completion.
    pub job: ClaimedJob,
    /// The sync log's operation name.
    pub operation: &'static str,
    /// The sync log line.
    pub detail: String,
    /// Its writes.
    pub effects: Vec<Effect>,
    /// The provider calls it made, logged after its outcome line.
    pub calls: Vec<Call>,
}

impl Record {
    /// What to record for `job`; the worker adds the provider calls it made.
    pub fn new(job: &ClaimedJob, operation: &'static str, detail: String, effects: Vec<Effect>) -> Self {
        Self { job: job.clone(), operation, detail, effects, calls: Vec::new() }
    }
}

impl From<Record> for Outcome {
    fn from(record: Record) -> Self {
        Outcome::ToRecord(Box::new(record))
    }
}

/// A write a job makes when it is recorded, applied only if the job still holds its lease.
#[derive(Clone, Debug)]
pub enum Effect {
    /// The contact's sync state on the job's connection.
    SyncState {
        /// The contact's id.
        contact_id: String,
        /// Its new state.
        sync: ContactSync,
    },
    /// One contact's line of a resync (SPEC R1).
    ResyncItem {
        /// The resync.
        resync_id: String,
        /// The contact's id.
        contact_id: String,
        /// `synced`, `skipped` or `failed`.
        outcome: &'static str,
        /// Why, when not synced.
        reason: Option<String>,
    },
    /// A contract's synced fields and state.
    Contract(ContractRecord),
}

/// Logs the job's outcome and completes it in the caller's transaction, which
/// already holds the job's own writes: all of it lands, or none of it does. For jobs
/// whose writes must be read and checked under the write lock (imports); the others
/// return a [`Record`] for the worker to record.
pub async fn complete(
    mut tx: Tx,
    job: &ClaimedJob,
    operation: &'static str,
    detail: &str,
) -> Result<Outcome, JobError> {
    sync_log::append(
        &mut tx,
        &NewLogEntry {
            workspace_id: &job.workspace_id,
            connection_id: job.connection_id.as_deref(),
            contact_id: job.contact_id.as_deref(),
            job_id: Some(job.id),
            operation,
            outcome: "ok",
            detail: Some(detail),
        },
    )
    .await?;
    if !queue::complete(&mut tx, job.id, &job.lease_token).await? {
        tx.rollback().await.map_err(StoreError::from)?;
        return Err(JobError::LeaseLost);
    }
    tx.commit().await?;
    Ok(Outcome::Completed)
}
