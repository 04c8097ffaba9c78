//! SPEC B1: a contract created in Oneflow from a template for a Teamtailor
//! candidate, its mapped data fields prefilled from the candidate's custom
//! fields (empty ones left for the participants), and stored with the values
//! each side holds, so later changes are measured against them.

use super::fields::CandidateFields;
use super::{ContractError, link};
use crate::clients::Clients;
use hiresync_core::{ContractId, ValidationError, WorkspaceId};
use hiresync_providers::oneflow::wire::TemplateDataField;
use hiresync_providers::oneflow::{OneflowClient, contract_url, create_body, data_field_values};
use hiresync_providers::{ErrorKind, ProviderError};
use hiresync_store::connections::Connection;
use hiresync_store::contracts::{self, ContractRecord, SyncedValue};
use hiresync_store::{Store, now_ms};
use serde_json::Value;
use std::collections::BTreeMap;

/// A contract to create.
#[derive(Clone, Debug)]
pub struct NewContract {
    /// The caller's workspace.
    pub workspace: WorkspaceId,
    /// The Oneflow connection to create it through.
    pub oneflow: Connection,
    /// Teamtailor's candidate id.
    pub candidate: String,
    /// The Oneflow template.
    pub template_id: i64,
    /// The Oneflow workspace.
    pub oneflow_workspace_id: i64,
    /// A name; the template's when none.
    pub name: Option<String>,
}

/// A created contract and the data fields it was prefilled with.
#[derive(Clone, Debug)]
pub struct Created {
    /// The stored contract.
    pub record: ContractRecord,
    /// Data field custom id → the value it was created with (empty fields are left out).
    pub prefilled: BTreeMap<String, String>,
}

fn invalid(field: &str, message: String) -> ContractError {
    ContractError::Invalid(ValidationError::field(field, message))
}

/// A refusal that is about the request, not the provider's health, named on `field`.
fn refused(e: ProviderError, field: &str) -> ContractError {
    match e.kind() {
        ErrorKind::Permanent => invalid(field, format!("{} refused it: {}", e.provider, e.message)),
        _ => e.into(),
    }
}

/// Creates the contract in Oneflow and stores it (SPEC B1).
#[tracing::instrument(skip_all, fields(connection_id = new.oneflow.id.as_str(), candidate = new.candidate.as_str()))]
pub async fn create(store: &Store, clients: &Clients, new: NewContract) -> Result<Created, ContractError> {
    let link = link(store, clients, &new.oneflow, "oneflow_connection_id").await?;
    let tt = clients.teamtailor(&link.teamtailor)?;
    let of = clients.oneflow(&new.oneflow)?;
    let fields = match CandidateFields::read(&tt, &new.candidate, &link.field_map).await {
        Ok(f) => f,
        Err(e) if e.status == Some(404) => {
            return Err(invalid("candidate", format!("Teamtailor has no candidate {}", new.candidate)));
        }
        Err(e) => return Err(e.into()),
    };
    let values = fields.texts();
    let definitions = template_fields(&of, new.template_id, new.oneflow_workspace_id).await?;
    let body = create_body(new.oneflow_workspace_id, new.template_id, new.name.as_deref(), &definitions, &values);
    let contract = of.create_contract(&body).await.map_err(|e| refused(e, "template_id"))?;
    let created = data_field_values(&contract);
    // Fields the template lacks are not synced; the others start from what each side holds now.
    let synced = link
        .field_map
        .iter()
        .filter_map(|m| {
            let oneflow = created.get(&m.oneflow_data_field)?.clone();
            let teamtailor = values.get(&m.oneflow_data_field).cloned().unwrap_or_default();
            Some((m.oneflow_data_field.clone(), SyncedValue { oneflow, teamtailor }))
        })
        .collect();
    let now = now_ms();
    let record = ContractRecord {
        id: ContractId::generate(),
        workspace_id: new.workspace.clone(),
        oneflow_connection_id: new.oneflow.id.as_str().to_owned(),
        teamtailor_connection_id: link.teamtailor.id.as_str().to_owned(),
        contract_id: contract.id,
        candidate: new.candidate.clone(),
        oneflow_workspace_id: new.oneflow_workspace_id,
        template_id: new.template_id,
        name: contract.private.as_ref().and_then(|p| p.name.clone()).or(new.name),
        url: contract_url(contract.id),
        field_map: link.field_map,
        synced,
        state: contract.state.clone().unwrap_or_else(|| "draft".to_owned()),
        upload_id: None,
        attached_at: None,
        created_at: now,
        updated_at: now,
    };
    let mut c = store.db().await?;
    contracts::insert(&mut c, &record).await?;
    let prefilled = body.data_fields.into_iter().map(|d| (d.custom_id, d.value)).collect();
    Ok(Created { record, prefilled })
}

/// The template's data field definitions, after checking the workspace and template exist.
async fn template_fields(
    of: &OneflowClient,
    template_id: i64,
    workspace_id: i64,
) -> Result<Vec<TemplateDataField>, ContractError> {
    if !of.workspaces().await?.iter().any(|w| w.id == workspace_id) {
        return Err(invalid("workspace_id", format!("Oneflow has no workspace {workspace_id} for this user")));
    }
    let template = of.templates().await?.into_iter().find(|t| t.id == template_id);
    let template = template.ok_or_else(|| invalid("template_id", format!("Oneflow has no template {template_id}")))?;
    let type_id = template.template_type.as_ref().and_then(|t| t.get("id")).and_then(Value::as_i64);
    match type_id {
        Some(id) => Ok(of.template_type(id).await?.data_fields),
        // A template outside any template type defines no data fields to fill.
        None => Ok(Vec::new()),
    }
}
