//! The decision taken for one event and one connection, carried out on its
//! own. Ingest no longer enqueues these: they come from older releases, and
//! from a decision a [`crate::carry::Carry`] job could not carry out, kept
//! dead on its own for the dead-letter list and its retry.

use crate::job::{Context, Effect, Fence, JobError, JobKind, Outcome, Record, SplitOff, contact_ordering_key};
use crate::sync;
use async_trait::async_trait;
use hiresync_core::{Decision, WorkspaceId};
use hiresync_store::queue::ClaimedJob;
use hiresync_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// Carry out the decision taken for one event and one connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarryEvent {
    /// The event's idempotency key.
    pub event_id: String,
    /// The connection to write to.
    pub connection_id: String,
    /// The contact's id.
    #[serde(rename = "contact")]
    pub contact_id: String,
    /// The decision taken at ingest.
    pub decision: Decision,
}

#[async_trait]
impl JobKind for CarryEvent {
    fn kind(&self) -> &'static str {
        "sync_event_v1"
    }

    fn operation(&self) -> &'static str {
        self.decision.action()
    }

    fn ordering_key(&self) -> String {
        contact_ordering_key(&self.connection_id, &self.contact_id)
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (Some(&self.connection_id), Some(&self.contact_id))
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let carried = sync::carry_out_event(
            cx,
            sync::Writes::Job(Fence::of(job)),
            &workspace,
            &self.event_id,
            &self.connection_id,
            &self.contact_id,
            &self.decision,
        )
        .await?;
        let effects = carried.sync.map(|sync| Effect::SyncState { contact_id: self.contact_id.clone(), sync });
        Ok(Record::new(job, self.operation(), carried.detail, effects.into_iter().collect()).into())
    }

    /// A sync that failed for good marks the contact failed.
    async fn on_dead(&self, store: &Store, job: &ClaimedJob, error: &str) -> Result<Option<SplitOff>, StoreError> {
        if let Decision::Sync { .. } = self.decision {
            sync::mark_failed(store, &job.workspace_id, &self.connection_id, &self.contact_id, error).await?;
        }
        Ok(None)
    }
}
