//! Contracts on PostgreSQL.

use super::types::{from_json, ms, ms_opt, ts, ts_opt};
use crate::contracts::ContractRecord;
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use hiresync_core::{ContractId, WorkspaceId};
use serde_json::Value;
use sqlx::PgConnection;
use sqlx::types::Json;

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
    field_map: Value,
    synced: Value,
    state: String,
    upload_id: Option<String>,
    attached_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
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
            field_map: from_json("contracts.field_map", r.field_map)?,
            synced: from_json("contracts.synced", r.synced)?,
            state: r.state,
            upload_id: r.upload_id,
            attached_at: ms_opt(r.attached_at),
            created_at: ms(r.created_at),
            updated_at: ms(r.updated_at),
        })
    }
}

const COLUMNS: &str = "id, workspace_id, oneflow_connection_id, teamtailor_connection_id, contract_id, candidate, \
                       oneflow_workspace_id, template_id, name, url, field_map, synced, state, upload_id, attached_at, \
                       created_at, updated_at";

pub(crate) async fn insert(c: &mut PgConnection, r: &ContractRecord) -> Result<()> {
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
    .bind(Json(&r.field_map))
    .bind(Json(&r.synced))
    .bind(&r.state)
    .bind(r.upload_id.as_deref())
    .bind(ts_opt(r.attached_at))
    .bind(ts(r.created_at))
    .bind(ts(r.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, id: &str) -> Result<Option<ContractRecord>> {
    let row: Option<ContractRow> =
        sqlx::query_as(&format!("select {COLUMNS} from contracts where workspace_id = $1 and id = $2"))
            .bind(ws.as_str())
            .bind(id)
            .fetch_optional(c)
            .await?;
    row.map(ContractRecord::try_from).transpose()
}

pub(crate) async fn by_oneflow_id(
    c: &mut PgConnection,
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

pub(crate) async fn open_for_candidate(
    c: &mut PgConnection,
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

pub(crate) async fn record_sync(c: &mut PgConnection, r: &ContractRecord, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update contracts set synced = $3, state = $4, upload_id = $5, attached_at = $6, updated_at = $7
         where workspace_id = $1 and id = $2",
    )
    .bind(r.workspace_id.as_str())
    .bind(r.id.as_str())
    .bind(Json(&r.synced))
    .bind(&r.state)
    .bind(r.upload_id.as_deref())
    .bind(ts_opt(r.attached_at))
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}
