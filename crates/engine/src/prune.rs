//! Done jobs are kept for [`DONE_RETENTION_MS`] and then deleted, so the queue's
//! table holds recent work instead of a row for every event ever received.
//! Dead jobs are kept: they wait for someone to look at them or retry them.

use hiresync_store::queue::DONE_RETENTION_MS;
use hiresync_store::{Store, now_ms};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often the worker looks for done jobs past their retention.
const EVERY: Duration = Duration::from_secs(60 * 60);
/// Jobs deleted per transaction: SQLite's one writer is never held for long.
const SLICE: i64 = 1000;

/// Prunes when the worker starts and every [`EVERY`] after, until `shutdown`.
pub(crate) async fn run(store: Store, shutdown: CancellationToken) {
    loop {
        match store.prune_done(now_ms() - DONE_RETENTION_MS, SLICE).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "Deleted done jobs past their retention."),
            Err(e) => tracing::warn!(error = %e, "Could not delete old done jobs; trying again later."),
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(EVERY) => {}
        }
    }
}
