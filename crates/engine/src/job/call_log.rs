//! The provider calls a job made, written to the contact's sync log (SPEC L4)
//! beside the job's own outcome line, whether the job succeeded or not.

use hiresync_providers::http::calls::Call;
use hiresync_store::Store;
use hiresync_store::queue::ClaimedJob;
use hiresync_store::sync_log::{self, NewLogEntry};

/// The log line's detail for each call.
pub fn details(calls: &[Call]) -> Vec<String> {
    calls
        .iter()
        .map(|call| match call.status {
            Some(status) => format!("{} {}: {status}, {}", call.provider, call.operation, call.detail),
            None => format!("{} {}: no answer, {}", call.provider, call.operation, call.detail),
        })
        .collect()
}

/// One log line per call, at the time it was made; `details` from [`details`].
pub fn entries<'a>(job: &'a ClaimedJob, calls: &'a [Call], details: &'a [String]) -> Vec<(NewLogEntry<'a>, i64)> {
    calls
        .iter()
        .zip(details)
        .map(|(call, detail)| {
            let entry = NewLogEntry {
                workspace_id: &job.workspace_id,
                connection_id: job.connection_id.as_deref(),
                contact_id: job.contact_id.as_deref(),
                job_id: Some(job.id),
                operation: &call.request,
                outcome: if call.ok { "ok" } else { "failed" },
                detail: Some(detail),
            };
            (entry, call.at_ms)
        })
        .collect()
}

/// Appends one line per call of a job that did not finish (or completed itself). A failure
/// here is logged and dropped: the job's outcome stands.
pub async fn write(store: &Store, job: &ClaimedJob, calls: &[Call]) {
    if calls.is_empty() {
        return;
    }
    let details = details(calls);
    let written = async {
        let mut c = store.db().await?;
        sync_log::append_at(&mut c, &entries(job, calls, &details)).await
    };
    if let Err(e) = written.await {
        tracing::warn!(job_id = job.id, error = %e, "Writing the job's provider calls to the sync log failed.");
    }
}
