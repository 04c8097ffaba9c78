//! Carrying out a contact's decisions for one connection. Ingest records a
//! decision per event and connection, and enqueues a [`Carry`] job only where
//! none is waiting; that job carries out, oldest first, every decision not
//! carried out yet when it runs.
//!
//! Each decision lands on its own: its outcome, its sync-log lines and the
//! contact's mark of what is carried out commit together, so a crash repeats
//! at most the decision in hand, which like every step is safe to repeat.
//! Nothing is stranded: a decision stored before the job was claimed is read
//! by it, and one stored after found the job running, not waiting, and
//! enqueued another (see [`queue::queued_keys`]).
//!
//! A decision that fails for good does not hold the others back: it is split
//! off as a dead job of its own (for the dead-letter list and its retry), the
//! mark moves past it, and the job goes on with the rest (see [`bury`]).

use crate::carry_event::CarryEvent;
use crate::job::record::record_step;
use crate::job::{
    Context, Effect, Fence, JobError, JobKind, MAX_ATTEMPTS, Outcome, Record, SplitOff, contact_ordering_key,
};
use crate::sync;
use async_trait::async_trait;
use hiresync_core::{ConnectionId, Decision, WorkspaceId};
use hiresync_providers::http::calls;
use hiresync_store::events::{self, ToCarry};
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_INTERACTIVE};
use hiresync_store::{Db, Store, StoreError, now_ms};
use serde::{Deserialize, Serialize};

/// The stored kind of [`Carry`] jobs.
pub const KIND: &str = "sync_decisions_v1";

/// Carry out, in order, the decisions taken for one contact and connection that are not
/// carried out yet. Ingest enqueues one only when none is waiting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Carry {
    /// The connection to write to.
    pub connection_id: String,
    /// The contact's id.
    #[serde(rename = "contact")]
    pub contact_id: String,
}

#[async_trait]
impl JobKind for Carry {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn operation(&self) -> &'static str {
        "carry decisions"
    }

    fn ordering_key(&self) -> String {
        contact_ordering_key(&self.connection_id, &self.contact_id)
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (Some(&self.connection_id), Some(&self.contact_id))
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        carry(cx, job, &self.connection_id, &self.contact_id).await
    }

    /// Counted at the decision in hand (see `queue::progressed`), which the claimed copy does not know.
    async fn attempts(&self, store: &Store, job: &ClaimedJob) -> Result<i64, StoreError> {
        queue::attempts(&mut store.db().await?, job.id).await
    }

    /// Splits the decision in hand off (see [`bury`]); a sync that failed for good marks the contact failed.
    async fn on_dead(&self, store: &Store, job: &ClaimedJob, error: &str) -> Result<Option<SplitOff>, StoreError> {
        let Some((job_id, decision)) = split_off(store, job, error).await? else { return Ok(None) };
        if let Decision::Sync { .. } = decision {
            sync::mark_failed(store, &job.workspace_id, &self.connection_id, &self.contact_id, error).await?;
        }
        Ok(Some(SplitOff { job_id, operation: decision.action() }))
    }
}

/// Decisions read at a time.
const PAGE: i64 = 50;

/// Carries out the contact's decisions for the connection until none is left, then completes the job.
async fn carry(cx: &Context, job: &ClaimedJob, connection_id: &str, contact: &str) -> Result<Outcome, JobError> {
    let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
    let connection = ConnectionId::from_stored(connection_id.to_owned());
    loop {
        let page = events::to_carry(&mut cx.store().db().await?, &workspace, &connection, contact, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for d in &page {
            let outcome = sync::carry_out_event(
                cx,
                sync::Writes::Job(Fence::of(job)),
                &workspace,
                &d.event_id,
                connection_id,
                contact,
                &d.decision,
            )
            .await?;
            let step = Record {
                job: job.clone(),
                operation: d.decision.action(),
                detail: outcome.detail,
                effects: outcome
                    .sync
                    .map(|sync| Effect::SyncState { contact_id: contact.to_owned(), sync })
                    .into_iter()
                    .collect(),
                calls: calls::take(),
            };
            let mut tx = cx.store().begin().await?;
            if !record_step(&mut tx, &step).await? {
                return Err(JobError::LeaseLost);
            }
            events::mark_carried(&mut tx, &connection, contact, d.id).await?;
            tx.commit().await?;
        }
    }
    let mut c = cx.store().db().await?;
    if !queue::complete(&mut c, job.id, &job.lease_token).await? {
        return Err(JobError::LeaseLost);
    }
    Ok(Outcome::Completed)
}

/// Splits the decision in hand off as a dead job of its own and puts the job back in the queue
/// to go on with the rest, in one transaction; returns the dead job's id and the decision.
/// None when there was nothing to split off or the lease was lost.
async fn split_off(store: &Store, job: &ClaimedJob, message: &str) -> Result<Option<(i64, Decision)>, StoreError> {
    let mut tx = store.begin().await?;
    let Some(split) = bury(&mut tx, job, message).await? else { return Ok(None) };
    if !queue::requeue(&mut tx, job.id, &job.lease_token, message).await? {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(split))
}

/// For a job whose decision in hand failed for good: stores that decision as a dead
/// [`CarryEvent`] job of its own, failed with `error`, and marks it carried out,
/// so the job can go on with the rest; returns the dead job's id and the decision. None when
/// no decision is left to split off.
async fn bury(c: &mut Db, job: &ClaimedJob, error: &str) -> Result<Option<(i64, Decision)>, StoreError> {
    let (Some(connection_id), Some(contact)) = (&job.connection_id, &job.contact_id) else { return Ok(None) };
    let (workspace, connection) =
        (WorkspaceId::from_stored(job.workspace_id.clone()), ConnectionId::from_stored(connection_id.clone()));
    let Some(ToCarry { id, event_id, decision }) =
        events::to_carry(&mut *c, &workspace, &connection, contact, 1).await?.into_iter().next()
    else {
        return Ok(None);
    };
    let payload = CarryEvent {
        event_id,
        connection_id: connection_id.clone(),
        contact_id: contact.to_owned(),
        decision: decision.clone(),
    };
    let dead = payload.new_job(&job.workspace_id, PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?;
    let dead_id = queue::bury(&mut *c, &dead, job.attempts, error).await?;
    events::mark_carried(&mut *c, &connection, contact, id).await?;
    Ok(Some((dead_id, decision)))
}
