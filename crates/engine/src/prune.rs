//! Done jobs are kept for [`DONE_RETENTION_MS`] and then deleted, so the queue's
//! table holds recent work instead of a row for every event ever received.
//! Dead jobs are kept: they wait for someone to look at them or retry them.

use hiresync_store::queue::DONE_RETENTION_MS;
use hiresync_store::{Store, StoreError, now_ms};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often the worker looks for done jobs past their retention.
const EVERY: Duration = Duration::from_secs(60 * 60);
/// Jobs deleted per transaction: SQLite's one writer is never held for long.
const SLICE: i64 = 1000;

/// Prunes when the worker starts and every [`EVERY`] after, until `shutdown`.
pub(crate) async fn run(store: Store, shutdown: CancellationToken) {
    loop {
        match prune(&store, now_ms() - DONE_RETENTION_MS, SLICE).await {
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

/// Deletes every done job that finished before `before`, `slice` per transaction; returns how many.
pub async fn prune(store: &Store, before: i64, slice: i64) -> Result<u64, StoreError> {
    let mut total = 0;
    loop {
        let n = store.prune_done(before, slice).await?;
        total += n;
        if n < u64::try_from(slice).unwrap_or(0) {
            return Ok(total);
        }
    }
}
