//! A sync that failed for good: the contact's sync state on the connection
//! says so, with the error, for the user to see beside the dead job, and
//! `contact.sync_failed` goes out with it.

use crate::outbox;
use hiresync_core::{ConnectionId, WorkspaceId};
use hiresync_store::{Store, StoreError};

/// Marks the contact's sync with the connection failed, for `error`.
pub(crate) async fn mark_failed(
    store: &Store,
    workspace_id: &str,
    connection_id: &str,
    contact: &str,
    error: &str,
) -> Result<(), StoreError> {
    let workspace = WorkspaceId::from_stored(workspace_id.to_owned());
    let conn = ConnectionId::from_stored(connection_id.to_owned());
    let mut tx = store.begin().await?;
    outbox::sync_failed(&mut tx, &workspace, &conn, contact, error).await?;
    tx.commit().await
}
