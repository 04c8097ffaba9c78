//! The job that reconciles one contract (see [`super::sync`]). Both directions
//! of one contract share its ordering key, so their reads and writes never
//! interleave.

use super::sync;
use crate::job::{Context, Effect, JobError, JobKind, Outcome, Record};
use async_trait::async_trait;
use hiresync_core::{ConnectionId, ProviderKind, WorkspaceId};
use hiresync_store::queue::ClaimedJob;
use hiresync_store::{Db, StoreError, contracts};
use serde::{Deserialize, Serialize};

/// Reconcile one contract's mapped fields between Oneflow and Teamtailor, and attach its
/// signed file once every party has signed (SPEC B2-B4). The webhook that caused it is only
/// a hint: both sides are read again when the job runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncContract {
    /// Our contract id (`ctr_…`).
    pub contract: String,
    /// Whose webhook caused it; that side wins when both changed the same field.
    pub source: ProviderKind,
    /// The delivery's idempotency key, for the log.
    pub delivery: String,
    /// The Oneflow events the delivery named (none for Teamtailor's, and for jobs stored before
    /// they were recorded): the job goes on only if Oneflow lists them all for this contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<i64>>,
}

#[async_trait]
impl JobKind for SyncContract {
    fn kind(&self) -> &'static str {
        "sync_contract_v1"
    }

    fn operation(&self) -> &'static str {
        "sync contract"
    }

    fn ordering_key(&self) -> String {
        format!("contract:{}", self.contract)
    }

    /// None: the payload names no connection; the inbox enqueues these with the Oneflow one.
    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (None, None)
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let done =
            sync(cx.store(), cx.clients(), &workspace, &self.contract, self.source, self.events.as_deref()).await?;
        let effects = done.record.map(Effect::Contract).into_iter().collect();
        Ok(Record::new(job, self.operation(), done.detail, effects).into())
    }

    /// The job's own (Oneflow) connection, or the paired Teamtailor one when it was Teamtailor that refused.
    async fn refused_connection(
        &self,
        c: &mut Db,
        job: &ClaimedJob,
        provider: ProviderKind,
    ) -> Result<Option<ConnectionId>, StoreError> {
        let own = job.connection_id.clone().map(ConnectionId::from_stored);
        if provider != ProviderKind::Teamtailor {
            return Ok(own);
        }
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        match contracts::get(c, &workspace, &self.contract).await {
            Ok(record) => Ok(Some(ConnectionId::from_stored(record.teamtailor_connection_id))),
            Err(StoreError::NotFound) => Ok(own),
            Err(e) => Err(e),
        }
    }
}
