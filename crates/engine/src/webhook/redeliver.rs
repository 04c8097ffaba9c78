//! Sending a delivery again on request: it is pending again with a fresh
//! retry schedule, and its job runs now.

use crate::outbox::{delivery_job, delivery_ordering_key};
use hiresync_store::{Store, StoreError, now_ms, queue, webhooks_out};

/// Makes a delivery of `workspace` pending again, due now; false when there is no such delivery.
pub async fn redeliver(store: &Store, workspace: &str, id: &str) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    if !webhooks_out::redeliver(&mut tx, workspace, id).await? {
        return Ok(false);
    }
    // A retry already waiting in the queue is brought forward rather than doubled: jobs of one
    // delivery run one at a time, so a second would only wait behind it.
    let key = delivery_ordering_key(id);
    if !queue::has_queued(&mut tx, &key).await? {
        queue::enqueue(&mut tx, &delivery_job(workspace, id, now_ms())?).await?;
    }
    queue::bring_forward(&mut tx, &key).await?;
    tx.commit().await?;
    Ok(true)
}
