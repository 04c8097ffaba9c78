//! Every lease the worker holds stays alive until it is let go: a job that
//! finished and waits for the loop's next trip to be recorded (slow while the
//! database is slow or cut) must not be taken over and run again meanwhile.
//! A lease found lost is let go here, so a claimed job still waiting for a
//! slot is dropped instead of run twice. Running jobs also renew their own
//! lease, to learn at once when it is lost.

use super::serve::{Leases, lock};
use hiresync_store::Store;
use std::collections::HashSet;
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
        match store.heartbeat_many(&pairs, lease_ms).await {
            Ok(kept) => {
                // Those not renewed passed to another worker (or just finished): let them go.
                let kept: HashSet<i64> = kept.into_iter().collect();
                let mut now_held = lock(&leases);
                for (id, token) in &pairs {
                    if !kept.contains(id) && now_held.get(id).is_some_and(|t| t == token) {
                        now_held.remove(id);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, leases = pairs.len(), "Renewing the worker's leases failed; trying again.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::claimed;
    use super::*;
    use hiresync_testkit::databases;
    use std::sync::Arc;

    #[tokio::test]
    async fn held_leases_outlive_their_length_and_a_lost_one_is_let_go() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let lease = Duration::from_millis(300);
            let jobs = claimed(store, 3).await;
            // Claimed with a minute's lease; shorten it to the keeper's so only renewal keeps it.
            store
                .heartbeat_many(&jobs.iter().map(|j| (j.id, j.lease_token.as_str())).collect::<Vec<_>>(), 300)
                .await
                .unwrap();
            let held: Leases = Arc::default();
            lock(&held).extend(jobs.iter().map(|j| (j.id, j.lease_token.clone())));
            let stop = CancellationToken::new();
            let keeper = tokio::spawn(leases(store.clone(), held.clone(), lease, stop.clone()));
            // Another worker takes one job over (its lease handed back and claimed again).
            let lost = &jobs[1];
            assert_eq!(store.release(&[(lost.id, &lost.lease_token)]).await.unwrap(), vec![lost.id]);
            assert_eq!(store.claim("other", 3, 60_000, 100).await.unwrap().len(), 1, "{}", db.backend);
            // Several lease lengths later, nothing else is claimable: the keeper renewed the rest.
            tokio::time::sleep(lease * 4).await;
            assert!(store.claim("other", 3, 60_000, 100).await.unwrap().is_empty(), "{}", db.backend);
            assert!(!lock(&held).contains_key(&lost.id), "{}: the lost lease is let go", db.backend);
            assert_eq!(lock(&held).len(), 2, "{}", db.backend);
            stop.cancel();
            keeper.await.unwrap();
        }
    }
}
