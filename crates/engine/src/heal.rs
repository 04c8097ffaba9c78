//! Connections heal by themselves: once the provider accepts a failing
//! connection's credentials again (a probe, a fixed key, a call that worked),
//! it is connected again and the jobs held for it run, in order.

use hiresync_store::{Store, StoreError, connections, queue};

/// Marks the connection connected when it was failing and puts the jobs held for it back in
/// the queue, due now; true when it recovered here.
pub async fn recovered(store: &Store, connection_id: &str) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let recovered = connections::mark_connected(&mut tx, connection_id).await?;
    let released = queue::release_held(&mut tx, connection_id).await?;
    tx.commit().await?;
    if recovered || released > 0 {
        tracing::info!(connection_id, jobs = released, "The connection works again; its held jobs run.");
    }
    Ok(recovered)
}
