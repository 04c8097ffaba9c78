//! Connections heal by themselves: once the provider accepts a failing
//! connection's credentials again (a probe, a fixed key, a call that worked),
//! it is connected again and the jobs held for it run, in order, and
//! `connection.recovered` goes out.

use crate::outbox;
use hiresync_core::ConnectionId;
use hiresync_store::{Store, StoreError, queue};

/// Marks the connection connected when it was failing and puts the jobs held for it back in
/// the queue, due now; true when it recovered here.
pub async fn recovered(store: &Store, connection_id: &str) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let recovered = outbox::connection_recovered(&mut tx, connection_id).await?;
    let released = queue::release_held(&mut tx, connection_id).await?;
    tx.commit().await?;
    if recovered || released > 0 {
        tracing::info!(connection_id, jobs = released, "The connection works again; its held jobs run.");
    }
    Ok(recovered)
}

/// Marks the connection failing with `error` (the provider refused its credentials), probed again
/// after `probe_after_ms`, and announces `connection.failing` when it was connected until now; true then.
pub async fn failing(store: &Store, id: &ConnectionId, error: &str, probe_after_ms: i64) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let started = outbox::connection_failing(&mut tx, id, error, probe_after_ms).await?;
    tx.commit().await?;
    Ok(started)
}
