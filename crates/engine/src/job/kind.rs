//! A job kind: what its payload says about the job (its stored kind name, its
//! operation, its ordering key), how it runs, and what happens to it when it
//! dies. Each kind's module implements [`JobKind`] for its payload, and the
//! executor's `JobPayload` reads a stored payload into the right one.

use super::{Context, JobError, Outcome};
use async_trait::async_trait;
use hiresync_core::ConnectionId;
use hiresync_store::queue::{ClaimedJob, NewJob};
use hiresync_store::{Db, Store, StoreError};
use serde::Serialize;

/// What a job kind does, for the executor to run it and the worker to settle its failures.
/// A kind implements it for its (serializable) payload, which the executor's `JobPayload`
/// holds as a variant.
///
/// ```
/// use async_trait::async_trait;
/// use hiresync_engine::job::{Context, JobError, JobKind, Outcome, Record};
/// use hiresync_store::queue::ClaimedJob;
///
/// /// Completes and does nothing else.
/// #[derive(serde::Serialize)]
/// struct Noop {
///     key: String,
/// }
///
/// #[async_trait]
/// impl JobKind for Noop {
///     fn kind(&self) -> &'static str {
///         "noop_v1"
///     }
///
///     fn operation(&self) -> &'static str {
///         "noop"
///     }
///
///     fn ordering_key(&self) -> String {
///         self.key.clone()
///     }
///
///     async fn run(&self, _cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
///         Ok(Record::new(job, self.operation(), "no-op".into(), Vec::new()).into())
///     }
/// }
/// ```
#[async_trait]
pub trait JobKind: Stored + Send + Sync {
    /// The stored kind name (`sync_event_v1`, ...): data in users' databases, never changed.
    fn kind(&self) -> &'static str;

    /// The operation named in the sync log.
    fn operation(&self) -> &'static str;

    /// Jobs of one key run one at a time, in order.
    fn ordering_key(&self) -> String;

    /// The connection and contact columns of its queue row, where the payload names them.
    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (None, None)
    }

    /// Runs a claimed job to the end; on `Ok` it is completed, or ready to be.
    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError>;

    /// The attempts the job has used, which decide whether a failure is its last.
    async fn attempts(&self, _store: &Store, job: &ClaimedJob) -> Result<i64, StoreError> {
        Ok(job.attempts)
    }

    /// The connection to mark failing when `provider` refused the credentials: the job's own.
    async fn refused_connection(
        &self,
        _c: &mut Db,
        job: &ClaimedJob,
        _provider: hiresync_core::ProviderKind,
    ) -> Result<Option<ConnectionId>, StoreError> {
        Ok(job.connection_id.clone().map(ConnectionId::from_stored))
    }

    /// Puts to rest what a job that failed for good leaves undone (the dead-letter path).
    /// `Some` when the job split the failed part off as a dead job of its own and went back
    /// to the queue to go on with the rest; the job itself is then not failed.
    async fn on_dead(&self, _store: &Store, _job: &ClaimedJob, _error: &str) -> Result<Option<SplitOff>, StoreError> {
        Ok(None)
    }

    /// The queue row for this payload, not to run before `run_at` (epoch ms).
    fn new_job(&self, workspace_id: &str, priority: i64, max_attempts: i64, run_at: i64) -> Result<NewJob, StoreError>
    where
        Self: Sized,
    {
        queue_row(self, workspace_id, priority, max_attempts, run_at)
    }
}

/// A payload as the queue stores it: its fields, tagged with its kind name the way the
/// executor's `JobPayload` reads them back. Every serializable payload has it.
pub trait Stored {
    /// The stored text of this payload of kind `kind`.
    fn stored(&self, kind: &'static str) -> Result<String, StoreError>;
}

impl<P: Serialize> Stored for P {
    fn stored(&self, kind: &'static str) -> Result<String, StoreError> {
        serde_json::to_string(&Tagged { kind, payload: self })
            .map_err(|e| StoreError::Corrupt { column: "jobs.payload", message: e.to_string() })
    }
}

/// A decision a job split off as a dead job of its own.
#[derive(Clone, Copy, Debug)]
pub struct SplitOff {
    /// The dead job holding it, which is what to retry.
    pub job_id: i64,
    /// Its operation, for the sync log.
    pub operation: &'static str,
}

/// The ordering key of jobs about one contact on one connection: they run one at a time, in order.
pub fn contact_ordering_key(connection_id: &str, contact: &str) -> String {
    format!("{connection_id}:{contact}")
}

#[derive(Serialize)]
struct Tagged<'a, P> {
    kind: &'static str,
    #[serde(flatten)]
    payload: &'a P,
}

/// The queue row of a payload of `kind`.
pub(crate) fn queue_row(
    kind: &dyn JobKind,
    workspace_id: &str,
    priority: i64,
    max_attempts: i64,
    run_at: i64,
) -> Result<NewJob, StoreError> {
    let (connection_id, contact) = kind.columns();
    Ok(NewJob {
        workspace_id: workspace_id.to_owned(),
        connection_id: connection_id.map(str::to_owned),
        contact_id: contact.map(str::to_owned),
        ordering_key: kind.ordering_key(),
        kind: kind.kind().to_owned(),
        payload: kind.stored(kind.kind())?,
        priority,
        max_attempts,
        run_at,
    })
}
