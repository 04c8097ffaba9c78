//! While the provider refuses a connection's credentials its jobs are held
//! and nothing calls the provider for it but one probe every so often, taken
//! by one process of the cluster at a time; the first probe the provider
//! accepts reconnects the connection and releases its jobs.

use crate::executor::Executor;
use crate::heal;
use hiresync_providers::ErrorKind;
use hiresync_store::{StoreError, connections};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Connections probed per look.
const BATCH: i64 = 20;

/// Looks for due probes every tenth of the probe interval (1-30 s) until `shutdown`.
pub(super) async fn periodically(executor: Executor, every: Duration, wake: Arc<Notify>, shutdown: CancellationToken) {
    let look = (every / 10).clamp(Duration::from_secs(1), Duration::from_secs(30));
    loop {
        match probe_due(&executor, every).await {
            Ok(0) => {}
            Ok(_) => wake.notify_one(),
            Err(e) => tracing::warn!(error = %e, "Could not probe failing connections; trying again later."),
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(look) => {}
        }
    }
}

/// Probes the due connections this process claims; returns how many recovered.
async fn probe_due(executor: &Executor, every: Duration) -> Result<usize, StoreError> {
    let store = executor.store();
    let every_ms = i64::try_from(every.as_millis()).unwrap_or(i64::MAX / 2);
    let due = connections::due_probes(&mut store.db().await?, BATCH).await?;
    let mut recovered = 0;
    for conn in due {
        if !connections::claim_probe(&mut store.db().await?, conn.id.as_str(), every_ms).await? {
            continue;
        }
        let client = match executor.clients().get(&conn) {
            Ok(client) => client,
            Err(e) => {
                tracing::warn!(connection_id = %conn.id.as_str(), error = %e, "A failing connection cannot be opened.");
                continue;
            }
        };
        match client.check_credentials().await {
            Ok(()) => recovered += usize::from(heal::recovered(store, conn.id.as_str()).await?),
            Err(e) if e.kind() == ErrorKind::Auth => {
                heal::failing(store, &conn.id, &e.message, every_ms).await?;
            }
            Err(e) => tracing::debug!(connection_id = %conn.id.as_str(), error = %e, "Probe did not get an answer."),
        }
    }
    Ok(recovered)
}
