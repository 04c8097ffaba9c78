//! What happens to a job whose attempt failed (DESIGN "Errors"): transient
//! failures retry with exponential backoff and full jitter, rate limits wait
//! as long as the provider asked, permanent failures go to the dead-letter
//! state with the provider's own message, and auth failures mark the
//! connection failing and hold its jobs back.

use crate::executor::JobError;
use crate::job::JobPayload;
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, Decision, WorkspaceId};
use hiresync_providers::ErrorKind;
use hiresync_store::events::ContactSync;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::sync_log::NewLogEntry;
use hiresync_store::{Store, StoreError, connections, events, now_ms, sync_log};
use rand::Rng;
use std::time::Duration;

/// First retry delay; doubled per attempt.
const BASE_DELAY: Duration = Duration::from_secs(2);
/// Longest retry delay.
const MAX_DELAY: Duration = Duration::from_secs(600);
/// How long jobs of a connection with rejected credentials wait before trying again.
const AUTH_HOLD: Duration = Duration::from_secs(300);

/// The delay before attempt `attempts + 1`: full jitter over an exponential cap.
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let cap = BASE_DELAY.saturating_mul(2u32.saturating_pow(exp)).min(MAX_DELAY);
    let ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::thread_rng().gen_range(ms / 10..=ms))
}

/// When to try again, or `None` for the dead-letter state.
fn retry_delay(job: &ClaimedJob, error: &JobError) -> Option<Duration> {
    let delay = match error {
        JobError::Provider(p) => match p.kind() {
            ErrorKind::Transient => Some(backoff(job.attempts)),
            ErrorKind::RateLimited { retry_after } => Some(retry_after.unwrap_or_else(|| backoff(job.attempts))),
            ErrorKind::Auth => Some(AUTH_HOLD),
            ErrorKind::Permanent => None,
        },
        JobError::Store(_) => Some(backoff(job.attempts)),
        JobError::Broken(_) | JobError::LeaseLost => None,
    };
    delay.filter(|_| job.attempts < job.max_attempts)
}

/// Records a failed attempt; store errors here are logged, and the lease then expires and the job runs again.
pub async fn settle(store: &Store, job: &ClaimedJob, error: &JobError) {
    if let Err(e) = try_settle(store, job, error).await {
        tracing::warn!(job_id = job.id, error = %e, "Recording a failed attempt failed; the lease will expire.");
    }
}

async fn try_settle(store: &Store, job: &ClaimedJob, error: &JobError) -> Result<(), StoreError> {
    let message = error.to_string();
    let payload: Option<JobPayload> = serde_json::from_str(&job.payload).ok();
    let carrier = matches!(payload, Some(JobPayload::SyncDecisionsV1 { .. }));
    // A job carrying out several decisions counts its attempts at the one in hand (see
    // queue::progressed), which the claimed copy does not know.
    let job = &if carrier {
        ClaimedJob { attempts: queue::attempts(&mut store.db().await?, job.id).await?, ..job.clone() }
    } else {
        job.clone()
    };
    let delay = retry_delay(job, error);
    let retry_at = delay.map(|d| now_ms() + i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2));
    let dead = retry_at.is_none();
    let split = if carrier && dead { split_off(store, job, &message).await? } else { None };
    let mut c = store.db().await?;
    if let JobError::Provider(p) = error
        && p.kind() == ErrorKind::Auth
        && let Some(conn) = refused_connection(&mut c, job, payload.as_ref(), p.provider).await?
    {
        connections::set_status(&mut c, &conn, "failing", Some(&message)).await?;
    }
    if dead {
        tracing::error!(job_id = job.id, error = %message, "Job failed for good; it is in the dead-letter state.");
    } else {
        tracing::info!(job_id = job.id, attempt = job.attempts, error = %message, "Job attempt failed; retrying later.");
    }
    let split_sync = matches!(split, Some((_, Decision::Sync { .. })));
    let syncing = match &payload {
        Some(JobPayload::SyncDecisionsV1 { connection_id, contact }) if split_sync => Some((connection_id, contact)),
        Some(
            JobPayload::SyncEventV1 { connection_id, contact, decision: Decision::Sync { .. }, .. }
            | JobPayload::ResyncContactV1 { connection_id, contact, .. },
        ) => Some((connection_id, contact)),
        _ => None,
    };
    if let Some((connection_id, contact)) = syncing
        && dead
    {
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let conn = ConnectionId::from_stored(connection_id.clone());
        let mut sync = events::sync_state(&mut c, &conn, contact)
            .await?
            .unwrap_or_else(|| ContactSync::new(conn.clone(), SyncState::Failed));
        sync.state = SyncState::Failed;
        sync.reason = Some(message.clone());
        events::put_sync_state(&mut c, &workspace, contact, &sync).await?;
    }
    if let Some(p) = payload.as_ref().filter(|_| dead) {
        crate::resync::on_dead(&mut c, p, &message).await?;
        crate::import::on_dead(&mut c, p, &message).await?;
    }
    sync_log::append(
        &mut c,
        &NewLogEntry {
            workspace_id: &job.workspace_id,
            connection_id: job.connection_id.as_deref(),
            contact_id: job.contact_id.as_deref(),
            // A decision split off is logged as the dead job that holds it, which is what to retry.
            job_id: Some(split.as_ref().map_or(job.id, |(id, _)| *id)),
            operation: match &split {
                Some((_, decision)) => decision.action(),
                None => payload.as_ref().map_or("job", JobPayload::operation),
            },
            outcome: if dead { "failed" } else { "retry" },
            detail: Some(&message),
        },
    )
    .await?;
    drop(c);
    if split.is_none() {
        store.fail(job.id, &job.lease_token, &message, retry_at).await?;
    }
    Ok(())
}

/// For a job carrying out a contact's decisions whose decision in hand failed for good: splits
/// that decision off as a dead job of its own and puts the job back in the queue to go on with
/// the rest, in one transaction; returns the dead job's id and the decision. None when there
/// was nothing to split off or the lease was lost.
async fn split_off(store: &Store, job: &ClaimedJob, message: &str) -> Result<Option<(i64, Decision)>, StoreError> {
    let mut tx = store.begin().await?;
    let Some(split) = crate::carry::bury(&mut tx, job, message).await? else { return Ok(None) };
    if !queue::requeue(&mut tx, job.id, &job.lease_token, message).await? {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(split))
}

/// The connection whose provider refused the credentials: the job's own, or for a contract job the
/// paired Teamtailor connection when it was Teamtailor that refused.
async fn refused_connection(
    c: &mut hiresync_store::Db,
    job: &ClaimedJob,
    payload: Option<&JobPayload>,
    provider: &str,
) -> Result<Option<ConnectionId>, StoreError> {
    let own = job.connection_id.clone().map(ConnectionId::from_stored);
    let Some(JobPayload::SyncContractV1 { contract, .. }) = payload else { return Ok(own) };
    if provider != hiresync_core::ProviderKind::Teamtailor.as_str() {
        return Ok(own);
    }
    let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
    match hiresync_store::contracts::get(c, &workspace, contract).await {
        Ok(record) => Ok(Some(ConnectionId::from_stored(record.teamtailor_connection_id))),
        Err(StoreError::NotFound) => Ok(own),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_capped() {
        for attempt in 1..30 {
            let d = backoff(attempt);
            assert!(d <= MAX_DELAY);
        }
        let first_cap = BASE_DELAY;
        assert!((0..50).all(|_| backoff(1) <= first_cap));
        assert!((0..50).map(|_| backoff(8)).any(|d| d > first_cap), "later attempts wait longer");
    }
}
