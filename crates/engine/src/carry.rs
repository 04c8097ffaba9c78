//! Carrying out a contact's decisions for one connection. Ingest records a
//! decision per event and connection, and enqueues a
//! [`JobPayload::SyncDecisionsV1`] job only where none is waiting; that job
//! carries out, oldest first, every decision not carried out yet when it runs.
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

use crate::completion::{self, Effect, Finished};
use crate::executor::{Executor, JobError, Ran};
use crate::ingest::MAX_ATTEMPTS;
use crate::job::JobPayload;
use hiresync_core::{ConnectionId, Decision, WorkspaceId};
use hiresync_providers::http::calls;
use hiresync_store::events::{self, ToCarry};
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_INTERACTIVE};
use hiresync_store::{Db, StoreError, now_ms};

/// Decisions read at a time.
const PAGE: i64 = 50;

/// Carries out the contact's decisions for the connection until none is left, then completes the job.
pub(crate) async fn run(
    exec: &Executor,
    job: &ClaimedJob,
    connection_id: &str,
    contact: &str,
) -> Result<Ran, JobError> {
    let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
    let connection = ConnectionId::from_stored(connection_id.to_owned());
    loop {
        let page = events::to_carry(&mut exec.store().db().await?, &workspace, &connection, contact, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for d in &page {
            let outcome = exec.sync_event(&workspace, &d.event_id, connection_id, contact, &d.decision).await?;
            let step = Finished {
                job: job.clone(),
                operation: d.decision.action(),
                detail: outcome.detail,
                effects: outcome
                    .sync
                    .map(|sync| Effect::SyncState { contact: contact.to_owned(), sync })
                    .into_iter()
                    .collect(),
                calls: calls::take(),
            };
            let mut tx = exec.store().begin().await?;
            if !completion::record_step(&mut tx, &step).await? {
                return Err(JobError::LeaseLost);
            }
            events::mark_carried(&mut tx, &connection, contact, d.id).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
    }
    let mut c = exec.store().db().await?;
    if !queue::complete(&mut c, job.id, &job.lease_token).await? {
        return Err(JobError::LeaseLost);
    }
    Ok(Ran::Completed)
}

/// For a job whose decision in hand failed for good: stores that decision as a dead
/// [`JobPayload::SyncEventV1`] job of its own, failed with `error`, and marks it carried out,
/// so the job can go on with the rest; returns the dead job's id and the decision. None when
/// no decision is left to split off.
pub(crate) async fn bury(c: &mut Db, job: &ClaimedJob, error: &str) -> Result<Option<(i64, Decision)>, StoreError> {
    let (Some(connection_id), Some(contact)) = (&job.connection_id, &job.contact_id) else { return Ok(None) };
    let (workspace, connection) =
        (WorkspaceId::from_stored(job.workspace_id.clone()), ConnectionId::from_stored(connection_id.clone()));
    let Some(ToCarry { id, event_id, decision }) =
        events::to_carry(&mut *c, &workspace, &connection, contact, 1).await?.into_iter().next()
    else {
        return Ok(None);
    };
    let payload = JobPayload::SyncEventV1 {
        event_id,
        connection_id: connection_id.clone(),
        contact: contact.clone(),
        decision: decision.clone(),
    };
    let dead = payload.new_job(&job.workspace_id, PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?;
    let dead_id = queue::bury(&mut *c, &dead, job.attempts, error).await?;
    events::mark_carried(&mut *c, &connection, contact, id).await?;
    Ok(Some((dead_id, decision)))
}
