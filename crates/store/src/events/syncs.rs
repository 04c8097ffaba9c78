//! Each contact's sync state per connection (SPEC L2): where the contact stands
//! with the provider, the person it is linked to and why it was skipped.

use crate::db::on_backend;
use crate::{Db, Result, StoreError, now_ms};
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, PlacedStage, WorkspaceId};
use serde_json::Value;

/// A contact's sync state with one connection (SPEC L2).
#[derive(Clone, Debug, PartialEq)]
pub struct ContactSync {
    /// The connection.
    pub connection_id: ConnectionId,
    /// pending / synced / skipped / failed.
    pub state: SyncState,
    /// Why skipped or failed.
    pub reason: Option<String>,
    /// The person's id in the provider.
    pub person_id: Option<String>,
    /// "Open in <Provider>" link.
    pub person_url: Option<String>,
    /// The target the person was put on.
    pub target: Option<Value>,
    /// The provider's id for the person-on-target record (application, candidacy).
    pub placement_id: Option<String>,
    /// The stage hiresync last placed or moved that record at.
    pub placement_stage: PlacedStage,
    /// Warnings such as "Exists in Greenhouse".
    pub errors: Vec<String>,
}

impl ContactSync {
    /// A state with nothing else known yet.
    pub fn new(connection_id: ConnectionId, state: SyncState) -> Self {
        Self {
            connection_id,
            state,
            reason: None,
            person_id: None,
            person_url: None,
            target: None,
            placement_id: None,
            placement_stage: PlacedStage::Unknown,
            errors: Vec::new(),
        }
    }
}

/// State names as stored.
pub fn state_name(s: SyncState) -> &'static str {
    match s {
        SyncState::None => "none",
        SyncState::Pending => "pending",
        SyncState::Synced => "synced",
        SyncState::Skipped => "skipped",
        SyncState::Failed => "failed",
    }
}

/// A stored state name, parsed.
pub(crate) fn parse_state(s: &str) -> Result<SyncState> {
    serde_json::from_value(Value::String(s.to_owned()))
        .map_err(|e| StoreError::Corrupt { column: "contact_syncs.state", message: e.to_string() })
}

/// A stored placement stage: none when not known, empty when placed without a stage.
pub(crate) fn placed_stage(stored: Option<String>) -> PlacedStage {
    match stored {
        None => PlacedStage::Unknown,
        Some(s) if s.is_empty() => PlacedStage::None,
        Some(s) => PlacedStage::At(s),
    }
}

/// A placement stage as stored.
pub(crate) fn stage_text(stage: &PlacedStage) -> Option<&str> {
    match stage {
        PlacedStage::Unknown => None,
        PlacedStage::None => Some(""),
        PlacedStage::At(stage) => Some(stage.as_str()),
    }
}

/// A contact's sync state with one connection.
pub async fn sync_state(db: &mut Db, connection: &ConnectionId, contact_id: &str) -> Result<Option<ContactSync>> {
    on_backend!(db, events::sync_state(connection, contact_id))
}

/// The sync states of these contacts with any connection, as (contact_id, state).
pub async fn sync_states_of_contacts(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, ContactSync)>> {
    on_backend!(db, events::sync_states_of_contacts(workspace, contact_ids))
}

/// A contact's sync states with every live connection of the workspace.
pub async fn sync_states(db: &mut Db, workspace: &WorkspaceId, contact_id: &str) -> Result<Vec<ContactSync>> {
    on_backend!(db, events::sync_states(workspace, contact_id))
}

/// Writes a contact's sync state with one connection.
pub async fn put_sync_state(db: &mut Db, workspace: &WorkspaceId, contact_id: &str, s: &ContactSync) -> Result<()> {
    put_sync_states(db, workspace, &[(contact_id, s)]).await
}

/// Writes sync states given as (contact_id, state), each replacing what its contact and
/// connection had; a contact and connection may appear once (PostgreSQL refuses to upsert a
/// row twice).
pub async fn put_sync_states(db: &mut Db, workspace: &WorkspaceId, states: &[(&str, &ContactSync)]) -> Result<()> {
    if states.is_empty() {
        return Ok(());
    }
    on_backend!(db, events::put_sync_states(workspace, states, now_ms()))
}

/// The part of a contact's sync state with one connection that ingest decides (SPEC S1-S4):
/// where it stands, why it was skipped, the target it syncs to. The rest of the row (person,
/// placement, warnings) is the worker's, and ingest neither reads nor writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decided {
    /// The connection.
    pub connection_id: ConnectionId,
    /// pending / synced / skipped / failed.
    pub state: SyncState,
    /// Why skipped.
    pub reason: Option<String>,
    /// The target it syncs to.
    pub target: Option<Value>,
}

impl Decided {
    /// A contact and connection with nothing decided yet.
    pub fn new(connection_id: ConnectionId) -> Self {
        Self { connection_id, state: SyncState::None, reason: None, target: None }
    }
}

/// The decided part of these contacts' sync states with any connection, as (contact_id, state):
/// a batch of events reads a row per contact, and the columns it does not need made up most
/// of what the read carried.
pub async fn decided_of_contacts(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, Decided)>> {
    on_backend!(db, events::decided_of_contacts(workspace, contact_ids))
}

/// Writes the decided part of sync states given as (contact_id, state), creating rows that do
/// not exist and leaving the worker's columns of those that do as they are; a contact and
/// connection may appear once.
pub async fn put_decided(db: &mut Db, workspace: &WorkspaceId, states: &[(&str, &Decided)]) -> Result<()> {
    if states.is_empty() {
        return Ok(());
    }
    on_backend!(db, events::put_decided(workspace, states, now_ms()))
}

/// The contact already linked to this person on this connection, if any.
pub async fn contact_for_person(db: &mut Db, connection: &ConnectionId, person_id: &str) -> Result<Option<String>> {
    on_backend!(db, events::contact_for_person(connection, person_id))
}
