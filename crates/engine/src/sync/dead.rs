//! A sync that failed for good: the contact's sync state on the connection
//! says so, with the error, for the user to see beside the dead job.

use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, WorkspaceId};
use hiresync_store::events::{self, ContactSync};
use hiresync_store::{Db, StoreError};

/// Marks the contact's sync with the connection failed, for `error`.
pub(crate) async fn mark_failed(
    c: &mut Db,
    workspace_id: &str,
    connection_id: &str,
    contact: &str,
    error: &str,
) -> Result<(), StoreError> {
    let workspace = WorkspaceId::from_stored(workspace_id.to_owned());
    let conn = ConnectionId::from_stored(connection_id.to_owned());
    let mut sync = events::sync_state(&mut *c, &conn, contact)
        .await?
        .unwrap_or_else(|| ContactSync::new(conn.clone(), SyncState::Failed));
    sync.state = SyncState::Failed;
    sync.reason = Some(error.to_owned());
    events::put_sync_state(&mut *c, &workspace, contact, &sync).await
}
