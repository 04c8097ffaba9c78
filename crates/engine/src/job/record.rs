//! Writing what a [`Record`] holds: its effects and its sync-log lines (the
//! outcome's, then one per provider call), for jobs still leased to us. The
//! worker records whole jobs this way (see `worker::completion`); a job that
//! carries out several decisions records each as a step of its own.

use super::call_log;
use super::{Effect, Record};
use crate::outbox;
use hiresync_core::WorkspaceId;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::sync_log::{self, NewLogEntry};
use hiresync_store::{StoreError, Tx, now_ms, resyncs};
use std::collections::BTreeSet;

/// In the caller's transaction: records one step of a job that carries out several (see
/// [`crate::carry`]) as the worker records a whole job, but leaves the job running; false
/// when its lease was lost, and then nothing was written.
pub async fn record_step(tx: &mut Tx, step: &Record) -> Result<bool, StoreError> {
    if !queue::progressed(tx, step.job.id, &step.job.lease_token).await? {
        return Ok(false);
    }
    write(tx, &[step]).await?;
    Ok(true)
}

/// Applies the effects of jobs (or steps) still leased to us and writes their log lines.
pub async fn write(tx: &mut Tx, completed: &[&Record]) -> Result<(), StoreError> {
    let mut resyncs = BTreeSet::new();
    for f in completed {
        for effect in &f.effects {
            apply(tx, &f.job, effect).await?;
            if let Effect::ResyncItem { resync_id, .. } = effect {
                resyncs.insert((f.job.workspace_id.as_str(), resync_id.as_str()));
            }
        }
    }
    // After every item is written, and in one order: on PostgreSQL each takes its resync's lock.
    for (workspace, resync) in resyncs {
        outbox::resync_finished(tx, &WorkspaceId::from_stored(workspace.to_owned()), resync).await?;
    }
    let now = now_ms();
    let details: Vec<Vec<String>> = completed.iter().map(|f| call_log::details(&f.calls)).collect();
    let mut entries: Vec<(NewLogEntry<'_>, i64)> = Vec::new();
    for (f, details) in completed.iter().zip(&details) {
        let outcome = NewLogEntry {
            workspace_id: &f.job.workspace_id,
            connection_id: f.job.connection_id.as_deref(),
            contact_id: f.job.contact_id.as_deref(),
            job_id: Some(f.job.id),
            operation: f.operation,
            outcome: "ok",
            detail: Some(&f.detail),
        };
        entries.push((outcome, now));
        entries.extend(call_log::entries(&f.job, &f.calls, details));
    }
    sync_log::append_at(tx, &entries).await
}

async fn apply(tx: &mut Tx, job: &ClaimedJob, effect: &Effect) -> Result<(), StoreError> {
    match effect {
        Effect::SyncState { contact_id, sync } => {
            let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
            outbox::put_sync_state(tx, &workspace, contact_id, sync).await
        }
        Effect::ResyncItem { resync_id, contact_id, outcome, reason } => {
            resyncs::finish_item(tx, resync_id, contact_id, outcome, reason.as_deref()).await
        }
        Effect::Contract(record) => outbox::contract_changes(tx, record).await,
    }
}
