//! Runs one claimed job: reads its payload, which names its kind, and hands
//! it to that kind's run. What the job does, and how its outcome is recorded,
//! is the kind's (see [`crate::job`]).

use super::JobPayload;
use crate::clients::Clients;
use crate::job::{Context, JobError, Outcome};
use hiresync_store::queue::ClaimedJob;
use hiresync_store::{Store, connections};

/// Runs jobs against the store and the providers.
#[derive(Clone)]
pub struct Executor {
    cx: Context,
}

impl Executor {
    /// An executor over this store, opening clients through `clients`.
    pub fn new(store: Store, clients: Clients) -> Self {
        Self { cx: Context::new(store, clients) }
    }

    /// Sends webhooks out as `config` says (timeout, retry schedule, per-endpoint cap).
    #[must_use]
    pub fn with_webhooks(self, config: crate::webhook::WebhookConfig) -> Self {
        Self { cx: self.cx.with_webhooks(config) }
    }

    /// The store jobs come from.
    pub fn store(&self) -> &Store {
        self.cx.store()
    }

    /// The provider clients jobs use.
    pub fn clients(&self) -> &Clients {
        self.cx.clients()
    }

    /// Runs a claimed job to the end; on `Ok` it is completed, or ready to be.
    #[tracing::instrument(skip_all, fields(job_id = job.id, kind = %job.kind, attempt = job.attempts))]
    pub async fn run(&self, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let payload: JobPayload =
            serde_json::from_str(&job.payload).map_err(|e| JobError::Broken(format!("unreadable payload: {e}")))?;
        if let Some(id) = &job.connection_id {
            // A connection that does not work is not called: its jobs wait for it to be fixed.
            let mut db = self.store().db().await?;
            if let Some((status, reason)) = connections::down(&mut db, id).await? {
                return Err(JobError::ConnectionDown { status, reason });
            }
        }
        payload.as_kind().run(&self.cx, job).await
    }
}
