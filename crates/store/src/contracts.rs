//! Contracts created in Oneflow for Teamtailor candidates (SPEC B): the link
//! between the two, the field mapping they were created with, each field's
//! value as last synced on either side (a change is a value that differs from
//! it, so an echo of our own write is no change), the contract's last seen
//! state and whether its signed file was attached.

use crate::{Conn, Result, StoreError, error::json_col, now_ms};
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

#[derive(sqlx::FromRow)]
struct ContractRow {
    id: String,
    workspace_id: String,
    oneflow_connection_id: String,
    teamtailor_connection_id: String,
    contract_id: i64,
    candidate: String,
    oneflow_workspace_id: i64,
    template_id: i64,
    name: Option<String>,
    url: String,
    field_map: String,
    synced: String,
    state: String,
    upload_id: Option<String>,
    attached_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<ContractRow> for ContractRecord {
    type Error = StoreError;
    fn try_from(r: ContractRow) -> Result<Self> {
        Ok(ContractRecord {
            id: ContractId::from_stored(r.id),
            workspace_id: WorkspaceId::from_stored(r.workspace_id),
            oneflow_connection_id: r.oneflow_connection_id,
            teamtailor_connection_id: r.teamtailor_connection_id,
            contract_id: r.contract_id,
            candidate: r.candidate,
            oneflow_workspace_id: r.oneflow_workspace_id,
            template_id: r.template_id,
            name: r.name,
            url: r.url,
            field_map: json_col("contracts.field_map", &r.field_map)?,
            synced: json_col("contracts.synced", &r.synced)?,
            state: r.state,
            upload_id: r.upload_id,
            attached_at: r.attached_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, workspace_id, oneflow_connection_id, teamtailor_connection_id, contract_id, candidate, \
                       oneflow_workspace_id, template_id, name, url, field_map, synced, state, upload_id, attached_at, \
                       created_at, updated_at";

fn json(value: &impl serde::Serialize, column: &'static str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt { column, message: e.to_string() })
}

/// Stores a new contract.
pub async fn insert(c: &mut Conn, r: &ContractRecord) -> Result<()> {
    sqlx::query(&format!(
        "insert into contracts ({COLUMNS})
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    ))
    .bind(r.id.as_str())
    .bind(r.workspace_id.as_str())
    .bind(&r.oneflow_connection_id)
    .bind(&r.teamtailor_connection_id)
    .bind(r.contract_id)
    .bind(&r.candidate)
    .bind(r.oneflow_workspace_id)
    .bind(r.template_id)
    .bind(r.name.as_deref())
    .bind(&r.url)
    .bind(json(&r.field_map, "contracts.field_map")?)
    .bind(json(&r.synced, "contracts.synced")?)
    .bind(&r.state)
    .bind(r.upload_id.as_deref())
    .bind(r.attached_at)
    .bind(r.created_at)
    .bind(r.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

/// A contract of this workspace.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<ContractRecord> {
    let row: Option<ContractRow> =
        sqlx::query_as(&format!("select {COLUMNS} from contracts where workspace_id = $1 and id = $2"))
            .bind(workspace.as_str())
            .bind(id)
            .fetch_optional(c)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The contract Oneflow knows as `contract_id` on this Oneflow connection, if we created it.
pub async fn by_oneflow_id(
    c: &mut Conn,
    oneflow_connection_id: &str,
    contract_id: i64,
) -> Result<Option<ContractRecord>> {
    let row: Option<ContractRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from contracts where oneflow_connection_id = $1 and contract_id = $2"
    ))
    .bind(oneflow_connection_id)
    .bind(contract_id)
    .fetch_optional(c)
    .await?;
    row.map(ContractRecord::try_from).transpose()
}

/// A candidate's contracts that are still open, oldest first.
pub async fn open_for_candidate(
    c: &mut Conn,
    teamtailor_connection_id: &str,
    candidate: &str,
) -> Result<Vec<ContractRecord>> {
    let rows: Vec<ContractRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from contracts
         where teamtailor_connection_id = $1 and candidate = $2 and state not in ('signed', 'declined', 'deleted')
         order by created_at, id"
    ))
    .bind(teamtailor_connection_id)
    .bind(candidate)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(ContractRecord::try_from).collect()
}

/// Records what a sync found and did: the agreed values, the state, the attached file.
pub async fn record_sync(c: &mut Conn, r: &ContractRecord) -> Result<()> {
    let done = sqlx::query(
        "update contracts set synced = $3, state = $4, upload_id = $5, attached_at = $6, updated_at = $7
         where workspace_id = $1 and id = $2",
    )
    .bind(r.workspace_id.as_str())
    .bind(r.id.as_str())
    .bind(json(&r.synced, "contracts.synced")?)
    .bind(&r.state)
    .bind(r.upload_id.as_deref())
    .bind(r.attached_at)
    .bind(now_ms())
    .execute(c)
    .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
