//! Every lease the worker holds stays alive until it is let go: a job that
//! finished and waits for the loop's next trip to be recorded (slow while the
//! database is slow or cut) must not be taken over and run again meanwhile.
//! Running jobs also renew their own lease, to learn at once when it is lost.

use super::serve::{Leases, lock};
use hiresync_store::Store;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Renews all held leases every third of `lease` until `shutdown`.
pub(super) async fn leases(store: Store, leases: Leases, lease: Duration, shutdown: CancellationToken) {
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2);
    let every = (lease / 3).max(Duration::from_millis(50));
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(every) => {}
        }
        let held: Vec<(i64, String)> = lock(&leases).iter().map(|(id, token)| (*id, token.clone())).collect();
        let pairs: Vec<(i64, &str)> = held.iter().map(|(id, token)| (*id, token.as_str())).collect();
        if let Err(e) = store.heartbeat_many(&pairs, lease_ms).await {
            tracing::warn!(error = %e, leases = pairs.len(), "Renewing the worker's leases failed; trying again.");
        }
    }
}
