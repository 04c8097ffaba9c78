//! Contracts created in Oneflow for Teamtailor candidates (SPEC B): the link
//! between the two, the field mapping they were created with, each field's
//! value as last synced on either side (a change is a value that differs from
//! it, so an echo of our own write is no change), the contract's last seen
//! state and whether its signed file was attached.

use crate::db::on_backend;
use crate::{Db, Result, StoreError, now_ms};
use hiresync_core::{ContractFieldMapping, ContractId, WorkspaceId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// States in which a contract no longer changes.
pub const CLOSED_STATES: [&str; 3] = ["signed", "declined", "deleted"];

/// One field as last synced: the value each side held (or was given) then. The two
/// differ only where Teamtailor stores a value in its own form (a date, an option).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedValue {
    /// The Oneflow data field's value.
    pub oneflow: String,
    /// The Teamtailor custom field's value as text.
    pub teamtailor: String,
}

/// A stored contract.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractRecord {
    /// Our id.
    pub id: ContractId,
    /// Its workspace.
    pub workspace_id: WorkspaceId,
    /// The Oneflow connection it was created through.
    pub oneflow_connection_id: String,
    /// The Teamtailor connection its candidate lives in.
    pub teamtailor_connection_id: String,
    /// Oneflow's contract id.
    pub contract_id: i64,
    /// Teamtailor's candidate id.
    pub candidate: String,
    /// The Oneflow workspace it was created in.
    pub oneflow_workspace_id: i64,
    /// The Oneflow template it was created from.
    pub template_id: i64,
    /// Its name, when one was given.
    pub name: Option<String>,
    /// Link to the contract in Oneflow.
    pub url: String,
    /// The mapping it syncs with, as it was when the contract was created.
    pub field_map: Vec<ContractFieldMapping>,
    /// Data field custom id → its value on each side as last synced.
    pub synced: BTreeMap<String, SyncedValue>,
    /// Oneflow's state as last read (`draft`, `pending`, `signed`, ...).
    pub state: String,
    /// The Teamtailor upload holding the signed file, once attached.
    pub upload_id: Option<String>,
    /// When the signed file was attached (epoch ms).
    pub attached_at: Option<i64>,
    /// When it was created (epoch ms).
    pub created_at: i64,
    /// When it last changed (epoch ms).
    pub updated_at: i64,
}

impl ContractRecord {
    /// Whether participants can still change it (not signed, declined or deleted).
    pub fn is_open(&self) -> bool {
        !CLOSED_STATES.contains(&self.state.as_str())
    }
}

/// Stores a new contract.
pub async fn insert(db: &mut Db, r: &ContractRecord) -> Result<()> {
    on_backend!(db, contracts::insert(r))
}

/// A contract of this workspace.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, id: &str) -> Result<ContractRecord> {
    on_backend!(db, contracts::get(workspace, id))?.ok_or(StoreError::NotFound)
}

/// The contract Oneflow knows as `contract_id` on this Oneflow connection, if we created it.
pub async fn by_oneflow_id(
    db: &mut Db,
    oneflow_connection_id: &str,
    contract_id: i64,
) -> Result<Option<ContractRecord>> {
    on_backend!(db, contracts::by_oneflow_id(oneflow_connection_id, contract_id))
}

/// A candidate's contracts that are still open, oldest first.
pub async fn open_for_candidate(
    db: &mut Db,
    teamtailor_connection_id: &str,
    candidate: &str,
) -> Result<Vec<ContractRecord>> {
    on_backend!(db, contracts::open_for_candidate(teamtailor_connection_id, candidate))
}

/// Records what a sync found and did: the agreed values, the state, the attached file.
pub async fn record_sync(db: &mut Db, r: &ContractRecord) -> Result<()> {
    let found = on_backend!(db, contracts::record_sync(r, now_ms()))?;
    if found { Ok(()) } else { Err(StoreError::NotFound) }
}
