//! What happens to a job whose attempt failed (DESIGN "Errors"): it is tried
//! again when the queue's retry policy says so (see [`crate::job::retry_delay`]),
//! or goes to the dead-letter state with the error's own message, and its kind
//! puts to rest what it leaves undone ([`JobKind::on_dead`]). Auth failures
//! mark the connection failing and hold its jobs back.

use crate::executor::JobPayload;
use crate::job::{JobError, retry_delay};
use hiresync_providers::ErrorKind;
use hiresync_store::queue::ClaimedJob;
use hiresync_store::sync_log::NewLogEntry;
use hiresync_store::{Store, StoreError, connections, now_ms, sync_log};

/// Records a failed attempt; store errors here are logged, and the lease then expires and the job runs again.
pub async fn settle(store: &Store, job: &ClaimedJob, error: &JobError) {
    if let Err(e) = try_settle(store, job, error).await {
        tracing::warn!(job_id = job.id, error = %e, "Recording a failed attempt failed; the lease will expire.");
    }
}

async fn try_settle(store: &Store, job: &ClaimedJob, error: &JobError) -> Result<(), StoreError> {
    let message = error.to_string();
    // An unreadable payload has no kind: the job goes by its claimed row alone.
    let payload: Option<JobPayload> = serde_json::from_str(&job.payload).ok();
    let kind = payload.as_ref().map(JobPayload::as_kind);
    let job = &match kind {
        Some(k) => ClaimedJob { attempts: k.attempts(store, job).await?, ..job.clone() },
        None => job.clone(),
    };
    let delay = retry_delay(job, error);
    let retry_at = delay.map(|d| now_ms() + i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2));
    let dead = retry_at.is_none();
    let split = match kind {
        Some(k) if dead => k.on_dead(store, job, &message).await?,
        _ => None,
    };
    let mut c = store.db().await?;
    if let JobError::Provider(p) = error
        && p.kind() == ErrorKind::Auth
        && let Some(conn) = match kind {
            Some(k) => k.refused_connection(&mut c, job, p.provider).await?,
            None => job.connection_id.clone().map(hiresync_core::ConnectionId::from_stored),
        }
    {
        connections::set_status(&mut c, &conn, "failing", Some(&message)).await?;
    }
    if dead {
        tracing::error!(job_id = job.id, error = %message, "Job failed for good; it is in the dead-letter state.");
    } else {
        tracing::info!(job_id = job.id, attempt = job.attempts, error = %message, "Job attempt failed; retrying later.");
    }
    sync_log::append(
        &mut c,
        &NewLogEntry {
            workspace_id: &job.workspace_id,
            connection_id: job.connection_id.as_deref(),
            contact_id: job.contact_id.as_deref(),
            // A decision split off is logged as the dead job that holds it, which is what to retry.
            job_id: Some(split.map_or(job.id, |s| s.job_id)),
            operation: match (split, kind) {
                (Some(s), _) => s.operation,
                (None, Some(k)) => k.operation(),
                (None, None) => "job",
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
