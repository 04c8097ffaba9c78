//! Reading what carrying out one event's decision needs, when its job runs:
//! the connection and its settings as they are now, the contact as last
//! stored, the event, its sequence's tags and the contact's sync state. Every
//! step after is safe to repeat after a crash: the person is looked up by
//! email before being created, the person id is stored as soon as it is
//! known, and a note already in the ledger is not written again.

use super::acting::acting_for;
use super::{Carried, Syncing, Writes, skipped};
use crate::job::{Context, JobError};
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionSettings, ContactIn, Decision, WorkspaceId};
use hiresync_store::events::ContactSync;
use hiresync_store::{StoreError, connections, contacts, events, sequences, workspaces};

/// Carries out one event's decision for a connection; the outcome is for the caller to record.
pub(crate) async fn carry_out_event(
    cx: &Context,
    writes: Writes<'_>,
    workspace: &WorkspaceId,
    event_id: &str,
    connection_id: &str,
    contact_id: &str,
    decision: &Decision,
) -> Result<Carried, JobError> {
    let store = cx.store();
    let mut c = store.db().await?;
    let conn = match connections::get(&mut c, workspace, connection_id).await {
        Ok(conn) => conn,
        Err(StoreError::NotFound) => return Ok(skipped("the connection was deleted")),
        Err(e) => return Err(e.into()),
    };
    let Some(stored) = contacts::get(&mut c, workspace, contact_id).await? else {
        return Ok(skipped("the contact no longer exists"));
    };
    // Stored contacts were validated on the way in; reading them back needs no second validation.
    let contact: ContactIn =
        serde_json::from_value(stored.data.clone()).map_err(|e| JobError::Broken(format!("stored contact: {e}")))?;
    let event = events::get(&mut c, workspace, event_id).await?;
    let defaults = workspaces::defaults(&mut c, workspace, conn.provider.as_str()).await?;
    let settings = ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
        .map_err(|e| JobError::Broken(format!("connection settings: {e}")))?;
    let sequence = match &event.sequence {
        Some(s) => sequences::get(&mut c, workspace, s).await?,
        None => None,
    };
    let (tags, owner) = sequence.map_or((Vec::new(), None), |s| (s.sync_tags, Some(s.owner_id)));
    let sync = events::sync_state(&mut c, &conn.id, contact_id)
        .await?
        .unwrap_or_else(|| ContactSync::new(conn.id.clone(), SyncState::Pending));
    drop(c);
    let real = cx.clients().people(&conn)?;
    let provider = writes.people(acting_for(store, &conn, &settings, real, owner.as_ref()).await?);
    let syncing = Syncing {
        store,
        writes,
        workspace,
        conn: &conn,
        provider,
        settings,
        contact,
        contact_added_at: stored.created_at,
        event,
        sync,
        sequence_tags: tags,
        progress_written: false,
        done: Vec::new(),
    };
    syncing.carry_out(decision).await
}
