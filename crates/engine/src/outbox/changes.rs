//! The state changes webhooks out report, each written together with its
//! announcement on the caller's transaction: a contact's sync state, a
//! connection's status, the end of an import run or a resync, a contract's
//! synced fields and its signing.

use super::announce;
use super::event::{
    ConnectionFailing, ConnectionRecovered, ContactExists, ContactSyncFailed, ContactSynced, ContractFieldChanged,
    ContractSigned, Event, ImportFinished, ResyncFinished,
};
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, WorkspaceId};
use hiresync_store::contracts::{self, ContractRecord};
use hiresync_store::events::{self, ContactSync};
use hiresync_store::{Db, StoreError, connections, imports, resyncs, webhooks_out};

/// Warnings that say the provider had the person before the contact was added (S5).
const EXISTS: &str = "Exists in ";

/// Writes a contact's sync state with one connection, announcing `contact.synced`,
/// `contact.sync_failed` and `contact.exists` when it newly says so.
pub async fn put_sync_state(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact: &str,
    new: &ContactSync,
) -> Result<(), StoreError> {
    // Most workspaces listen to nothing: then the state is written without reading the old one.
    let listening = webhooks_out::endpoints(db, workspace.as_str())
        .await?
        .iter()
        .any(|e| e.disabled_at.is_none() && e.events.iter().any(|t| t.starts_with("contact.")));
    let old = if listening { events::sync_state(db, &new.connection_id, contact).await? } else { None };
    events::put_sync_state(db, workspace, contact, new).await?;
    if !listening {
        return Ok(());
    }
    let announced = contact_events(workspace, contact, old.as_ref(), new);
    if announced.is_empty() {
        return Ok(());
    }
    let provider = connections::find(db, new.connection_id.as_str()).await?.provider.as_str().to_owned();
    for mut event in announced {
        match &mut event {
            Event::ContactSynced(d) => d.provider.clone_from(&provider),
            Event::ContactSyncFailed(d) => d.provider.clone_from(&provider),
            Event::ContactExists(d) => d.provider.clone_from(&provider),
            _ => {}
        }
        announce(db, workspace.as_str(), &event).await?;
    }
    Ok(())
}

/// What a contact's sync state newly says, from `old` to `new` (the provider left blank).
fn contact_events(workspace: &WorkspaceId, contact: &str, old: Option<&ContactSync>, new: &ContactSync) -> Vec<Event> {
    let (ws, conn) = (workspace.as_str().to_owned(), new.connection_id.as_str().to_owned());
    let was = old.map(|o| o.state);
    let mut out = Vec::new();
    for warning in new.errors.iter().filter(|e| e.starts_with(EXISTS)) {
        if !old.is_some_and(|o| o.errors.contains(warning)) {
            out.push(Event::ContactExists(ContactExists {
                workspace_id: ws.clone(),
                connection_id: conn.clone(),
                provider: String::new(),
                contact: contact.to_owned(),
                person_id: new.person_id.clone(),
                person_url: new.person_url.clone(),
                message: warning.clone(),
            }));
        }
    }
    let relinked = old.is_some_and(|o| o.person_id != new.person_id);
    if new.state == SyncState::Synced && (was != Some(SyncState::Synced) || relinked) {
        out.push(Event::ContactSynced(ContactSynced {
            workspace_id: ws.clone(),
            connection_id: conn.clone(),
            provider: String::new(),
            contact: contact.to_owned(),
            person_id: new.person_id.clone(),
            person_url: new.person_url.clone(),
            target: new.target.clone(),
        }));
    }
    if new.state == SyncState::Failed && was != Some(SyncState::Failed) {
        out.push(Event::ContactSyncFailed(ContactSyncFailed {
            workspace_id: ws,
            connection_id: conn,
            provider: String::new(),
            contact: contact.to_owned(),
            error: new.reason.clone().unwrap_or_default(),
        }));
    }
    out
}

/// Marks a contact's sync with the connection failed for `error`, announcing `contact.sync_failed`.
pub async fn sync_failed(
    db: &mut Db,
    workspace: &WorkspaceId,
    connection: &ConnectionId,
    contact: &str,
    error: &str,
) -> Result<(), StoreError> {
    let mut sync = events::sync_state(db, connection, contact)
        .await?
        .unwrap_or_else(|| ContactSync::new(connection.clone(), SyncState::Failed));
    sync.state = SyncState::Failed;
    sync.reason = Some(error.to_owned());
    put_sync_state(db, workspace, contact, &sync).await
}

/// Marks the connection failing (see [`connections::mark_failing`]), announcing
/// `connection.failing` when it was connected until now; true then.
pub async fn connection_failing(
    db: &mut Db,
    id: &ConnectionId,
    error: &str,
    probe_after_ms: i64,
) -> Result<bool, StoreError> {
    if !connections::mark_failing(db, id, error, probe_after_ms).await? {
        return Ok(false);
    }
    let conn = connections::find(db, id.as_str()).await?;
    let event = Event::ConnectionFailing(ConnectionFailing {
        workspace_id: conn.workspace_id.as_str().to_owned(),
        connection_id: id.as_str().to_owned(),
        provider: conn.provider.as_str().to_owned(),
        error: error.to_owned(),
    });
    announce(db, conn.workspace_id.as_str(), &event).await?;
    Ok(true)
}

/// Marks a failing connection connected (see [`connections::mark_connected`]), announcing
/// `connection.recovered`; true when it was failing.
pub async fn connection_recovered(db: &mut Db, id: &str) -> Result<bool, StoreError> {
    if !connections::mark_connected(db, id).await? {
        return Ok(false);
    }
    let conn = connections::find(db, id).await?;
    let event = Event::ConnectionRecovered(ConnectionRecovered {
        workspace_id: conn.workspace_id.as_str().to_owned(),
        connection_id: id.to_owned(),
        provider: conn.provider.as_str().to_owned(),
    });
    announce(db, conn.workspace_id.as_str(), &event).await?;
    Ok(true)
}

/// Announces `import.finished` for an import whose run just ended (or that failed, for `error`).
pub async fn import_finished(
    db: &mut Db,
    workspace: &WorkspaceId,
    import_id: &str,
    error: Option<&str>,
) -> Result<(), StoreError> {
    let Some(import) = imports::get(db, workspace, import_id).await? else { return Ok(()) };
    let event = Event::ImportFinished(ImportFinished {
        workspace_id: workspace.as_str().to_owned(),
        import_id: import.id,
        connection_id: import.connection_id,
        state: import.state,
        imported: import.imported,
        skipped_no_email: import.skipped_no_email,
        already_present: import.already_present,
        error: error.map(str::to_owned),
    });
    announce(db, workspace.as_str(), &event).await.map(drop)
}

/// Announces `resync.finished` when the resync's last contact was just recorded, once.
pub async fn resync_finished(db: &mut Db, workspace: &WorkspaceId, resync_id: &str) -> Result<(), StoreError> {
    if !resyncs::finish_if_done(db, resync_id).await? {
        return Ok(());
    }
    let Some(r) = resyncs::get(db, workspace, resync_id).await? else { return Ok(()) };
    let event = Event::ResyncFinished(ResyncFinished {
        workspace_id: workspace.as_str().to_owned(),
        resync_id: r.id,
        connection_id: r.connection_id,
        total: r.total,
        synced: r.synced,
        skipped: r.skipped,
        failed: r.failed,
    });
    announce(db, workspace.as_str(), &event).await.map(drop)
}

/// Records a contract's sync (see [`contracts::record_sync`]), announcing each mapped field
/// whose synced values changed (`contract.field_changed`) and its signing (`contract.signed`).
pub async fn contract_changes(db: &mut Db, new: &ContractRecord) -> Result<(), StoreError> {
    let old = match contracts::get(db, &new.workspace_id, new.id.as_str()).await {
        Ok(old) => Some(old),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    contracts::record_sync(db, new).await?;
    let ws = new.workspace_id.as_str();
    for (field, value) in &new.synced {
        if old.as_ref().and_then(|o| o.synced.get(field)) == Some(value) {
            continue;
        }
        let event = Event::ContractFieldChanged(ContractFieldChanged {
            workspace_id: ws.to_owned(),
            contract_id: new.id.as_str().to_owned(),
            oneflow_contract_id: new.contract_id,
            candidate: new.candidate.clone(),
            field: field.clone(),
            oneflow_value: value.oneflow.clone(),
            teamtailor_value: value.teamtailor.clone(),
        });
        announce(db, ws, &event).await?;
    }
    if new.state == "signed" && old.as_ref().is_none_or(|o| o.state != "signed") {
        let event = Event::ContractSigned(ContractSigned {
            workspace_id: ws.to_owned(),
            contract_id: new.id.as_str().to_owned(),
            oneflow_contract_id: new.contract_id,
            candidate: new.candidate.clone(),
            url: new.url.clone(),
            attached: new.attached_at.is_some(),
        });
        announce(db, ws, &event).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(s: SyncState, person: Option<&str>, errors: &[&str]) -> ContactSync {
        let mut sync = ContactSync::new(ConnectionId::from_stored("conn_1".into()), s);
        sync.person_id = person.map(str::to_owned);
        sync.errors = errors.iter().map(|e| (*e).to_owned()).collect();
        sync
    }

    fn names(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(Event::name).collect()
    }

    #[test]
    fn only_what_a_state_newly_says_is_announced() {
        let ws = WorkspaceId::from_stored("ws_1".into());
        let pending = state(SyncState::Pending, None, &[]);
        let synced = state(SyncState::Synced, Some("p1"), &[]);
        assert_eq!(names(&contact_events(&ws, "c", Some(&pending), &synced)), ["contact.synced"]);
        assert_eq!(names(&contact_events(&ws, "c", None, &synced)), ["contact.synced"]);
        assert!(contact_events(&ws, "c", Some(&synced), &synced).is_empty(), "a note on a synced contact is no news");
        let relinked = state(SyncState::Synced, Some("p2"), &[]);
        assert_eq!(names(&contact_events(&ws, "c", Some(&synced), &relinked)), ["contact.synced"]);
        let exists = state(SyncState::Pending, Some("p1"), &["Exists in Greenhouse"]);
        assert_eq!(names(&contact_events(&ws, "c", Some(&pending), &exists)), ["contact.exists"]);
        let exists_synced = state(SyncState::Synced, Some("p1"), &["Exists in Greenhouse"]);
        assert_eq!(names(&contact_events(&ws, "c", Some(&exists), &exists_synced)), ["contact.synced"]);
        let failed = state(SyncState::Failed, None, &[]);
        assert_eq!(names(&contact_events(&ws, "c", Some(&pending), &failed)), ["contact.sync_failed"]);
        assert!(contact_events(&ws, "c", Some(&failed), &failed).is_empty());
    }
}
