//! What happens to a job whose attempt failed (DESIGN "Errors"): the queue's
//! retry policy ([`crate::job::settlement`]) puts it off without spending an
//! attempt when it only waited, holds it while its connection's credentials
//! are refused, tries it again, or sends it to the dead-letter state with the
//! error's own message, and then its kind puts to rest what it leaves undone
//! ([`JobKind::on_dead`]).

use super::WorkerConfig;
use crate::executor::JobPayload;
use crate::job::{JobError, Settlement, settlement};
use hiresync_core::ConnectionId;
use hiresync_providers::ErrorKind;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::sync_log::NewLogEntry;
use hiresync_store::{Store, StoreError, connections, now_ms, sync_log};
use std::time::Duration;

/// Records a failed attempt; store errors here are logged, and the lease then expires and the job runs again.
pub async fn settle(store: &Store, job: &ClaimedJob, error: &JobError, config: &WorkerConfig) {
    if let Err(e) = try_settle(store, job, error, config).await {
        tracing::warn!(job_id = job.id, error = %e, "Recording a failed attempt failed; the lease will expire.");
    }
}

async fn try_settle(
    store: &Store,
    job: &ClaimedJob,
    error: &JobError,
    config: &WorkerConfig,
) -> Result<(), StoreError> {
    let probe_every = config.probe;
    let message = error.to_string();
    // An unreadable payload has no kind: the job goes by its claimed row alone.
    let payload: Option<JobPayload> = serde_json::from_str(&job.payload).ok();
    let kind = payload.as_ref().map(JobPayload::as_kind);
    let job = &match kind {
        Some(k) => ClaimedJob { attempts: k.attempts(store, job).await?, ..job.clone() },
        None => job.clone(),
    };
    let mut settled = settlement(job, error, &config.backoff);
    let mut db = store.db().await?;
    if let JobError::Provider(p) = error
        && p.kind() == ErrorKind::Auth
    {
        let refused = match kind {
            Some(k) => k.refused_connection(&mut db, job, p.provider).await?,
            None => job.connection_id.clone().map(ConnectionId::from_stored),
        };
        if let Some(conn) = &refused {
            let probe_ms = i64::try_from(probe_every.as_millis()).unwrap_or(i64::MAX / 2);
            if crate::heal::failing(store, conn, &p.message, probe_ms).await? {
                tracing::warn!(connection_id = %conn.as_str(), error = %p.message,
                    "The provider refuses the connection's credentials; its jobs wait until it works again.");
            }
        }
        // Only the job's own connection releases it when it recovers; another's refusal waits a probe out.
        if refused.as_ref().map(ConnectionId::as_str) != job.connection_id.as_deref() {
            settled = Settlement::Postpone(probe_every);
        }
    }
    if settled == Settlement::Hold && job.connection_id.is_none() {
        settled = Settlement::Postpone(probe_every);
    }
    let dead = settled == Settlement::Dead;
    drop(db);
    let split = match kind {
        Some(k) if dead => k.on_dead(store, job, &message).await?,
        _ => None,
    };
    match settled {
        Settlement::Dead => {
            tracing::error!(job_id = job.id, error = %message, "Job failed for good; it is in the dead-letter state.");
        }
        Settlement::Hold => {
            tracing::info!(job_id = job.id, error = %message, "Job waits for its connection to work again.");
        }
        Settlement::Postpone(d) | Settlement::Retry(d) => {
            tracing::info!(job_id = job.id, attempt = job.attempts, waits = job.waits, delay_ms = millis(d),
                error = %message, "Job attempt did not finish; trying again later.");
        }
    }
    sync_log::append(
        &mut store.db().await?,
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
            outcome: match settled {
                Settlement::Dead => "failed",
                Settlement::Hold => "waiting",
                Settlement::Postpone(_) | Settlement::Retry(_) => "retry",
            },
            detail: Some(&message),
        },
    )
    .await?;
    if split.is_some() {
        return Ok(());
    }
    let at = |d: Duration| now_ms().saturating_add(millis(d));
    match settled {
        Settlement::Postpone(d) => store.postpone(job.id, &job.lease_token, &message, at(d)).await?,
        Settlement::Hold => {
            let held = store.hold(job.id, &job.lease_token, &message).await?;
            // The connection may have recovered (and released its held jobs) since this job saw it down.
            if let Some(conn) = job.connection_id.as_deref()
                && held
                && connections::down(&mut store.db().await?, conn).await?.is_none()
            {
                queue::release_held(&mut store.db().await?, conn).await?;
            }
            held
        }
        Settlement::Retry(d) => store.fail(job.id, &job.lease_token, &message, Some(at(d))).await?,
        Settlement::Dead => store.fail(job.id, &job.lease_token, &message, None).await?,
    };
    Ok(())
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}
