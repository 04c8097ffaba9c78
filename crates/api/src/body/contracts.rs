//! Bodies of `/v1/contracts`.

#[cfg(feature = "server")]
use hiresync_store::contracts::ContractRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A Teamtailor candidate id: Teamtailor's string ids, or the number they hold.
#[derive(Clone, Serialize, Debug, Deserialize, ToSchema)]
#[serde(untagged, expecting = "must be a Teamtailor candidate id")]
pub enum CandidateId {
    /// The id as a number.
    Number(u64),
    /// The id as Teamtailor writes it (letters and digits).
    Text(String),
}

/// An Oneflow id: a positive integer, or a string of digits.
#[derive(Clone, Serialize, Debug, Deserialize, ToSchema)]
#[serde(untagged, expecting = "must be a positive integer (an Oneflow id)")]
pub enum OneflowId {
    /// The id as a number.
    Number(i64),
    /// The id as a string of digits.
    Text(String),
}

/// A contract to create in Oneflow for a Teamtailor candidate, prefilled from their mapped
/// custom fields. The four ids are required; they are optional to the parser only so that
/// one answer names every one missing.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a contract object")]
#[schema(example = json!({"oneflow_connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "candidate": "28491",
    "template_id": 9001, "workspace_id": 77, "name": "Employment contract, Ada Lovelace"}))]
pub struct ContractIn {
    /// The Oneflow connection to create it through; its settings name the Teamtailor connection.
    #[schema(required)]
    pub oneflow_connection_id: Option<String>,
    /// The Teamtailor candidate.
    #[schema(required)]
    pub candidate: Option<CandidateId>,
    /// The Oneflow template to create it from.
    #[schema(required)]
    pub template_id: Option<OneflowId>,
    /// The Oneflow workspace to create it in.
    #[schema(required)]
    pub workspace_id: Option<OneflowId>,
    /// Its name (at most 255 characters); Oneflow's default when absent.
    pub name: Option<String>,
}

/// One mapped field of a contract and its values as last synced.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ContractFieldOut {
    /// The Teamtailor custom field's `api-name`.
    pub teamtailor_custom_field: String,
    /// The Oneflow data field's `custom_id`.
    pub oneflow_data_field: String,
    /// The Oneflow value as last synced.
    pub oneflow_value: Option<String>,
    /// The Teamtailor value as last synced, as text.
    pub teamtailor_value: Option<String>,
}

/// A contract, its candidate, its field values as last synced and whether the signed file was attached.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "ctr_01jd5z8v6c4q2w3e4r5t6y7u8i", "contract_id": 5501,
    "url": "https://app.oneflow.com/contracts/5501", "name": "Employment contract, Ada Lovelace", "state": "draft",
    "candidate": "28491", "oneflow_connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i",
    "teamtailor_connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8j", "workspace_id": 77, "template_id": 9001,
    "values": {"salary_sek": "7000"}, "fields": [{"teamtailor_custom_field": "salary",
    "oneflow_data_field": "salary_sek", "oneflow_value": "7000", "teamtailor_value": "7000"}],
    "file_attached": false, "upload_id": null, "file_attached_at": null,
    "created_at": "2026-11-02T09:00:00+00:00", "updated_at": "2026-11-02T09:00:00+00:00",
    "prefilled": {"salary_sek": "7000"}}))]
pub struct ContractOut {
    /// Our id.
    pub id: String,
    /// Oneflow's contract id.
    pub contract_id: i64,
    /// Link to the contract in Oneflow.
    pub url: String,
    /// Its name, when one was given.
    pub name: Option<String>,
    /// Oneflow's state as last read (`draft`, `pending`, `signed`, ...).
    pub state: String,
    /// The Teamtailor candidate id.
    pub candidate: String,
    /// The Oneflow connection it was created through.
    pub oneflow_connection_id: String,
    /// The Teamtailor connection its candidate lives in.
    pub teamtailor_connection_id: String,
    /// The Oneflow workspace it was created in.
    pub workspace_id: i64,
    /// The Oneflow template it was created from.
    pub template_id: i64,
    /// Data field `custom_id` → its Oneflow value as last synced.
    pub values: BTreeMap<String, String>,
    /// Each mapped field with its values as last synced.
    pub fields: Vec<ContractFieldOut>,
    /// Whether the signed file was attached to the candidate.
    pub file_attached: bool,
    /// The Teamtailor upload holding the signed file.
    pub upload_id: Option<String>,
    /// When the signed file was attached (RFC 3339).
    pub file_attached_at: Option<String>,
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: Option<String>,
    /// On creation only: data field `custom_id` → the value it was created with.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub prefilled: Option<BTreeMap<String, String>>,
}

#[cfg(feature = "server")]
impl From<&ContractRecord> for ContractOut {
    fn from(r: &ContractRecord) -> Self {
        let fields = r
            .field_map
            .iter()
            .map(|m| {
                let synced = r.synced.get(&m.oneflow_data_field);
                ContractFieldOut {
                    teamtailor_custom_field: m.teamtailor_custom_field.clone(),
                    oneflow_data_field: m.oneflow_data_field.clone(),
                    oneflow_value: synced.map(|s| s.oneflow.clone()),
                    teamtailor_value: synced.map(|s| s.teamtailor.clone()),
                }
            })
            .collect();
        Self {
            id: r.id.as_str().to_owned(),
            contract_id: r.contract_id,
            url: r.url.clone(),
            name: r.name.clone(),
            state: r.state.clone(),
            candidate: r.candidate.clone(),
            oneflow_connection_id: r.oneflow_connection_id.clone(),
            teamtailor_connection_id: r.teamtailor_connection_id.clone(),
            workspace_id: r.oneflow_workspace_id,
            template_id: r.template_id,
            values: r.synced.iter().map(|(k, v)| (k.clone(), v.oneflow.clone())).collect(),
            fields,
            file_attached: r.attached_at.is_some(),
            upload_id: r.upload_id.clone(),
            file_attached_at: r.attached_at.and_then(super::common::rfc3339),
            created_at: super::common::rfc3339(r.created_at),
            updated_at: super::common::rfc3339(r.updated_at),
            prefilled: None,
        }
    }
}

/// The signed parts of a contract file link (`GET /v1/contract-files/{id}`), as hiresync made it.
#[derive(Debug, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileLink {
    /// The contract's workspace.
    pub workspace: String,
    /// When the link stops working (Unix seconds).
    pub expires: i64,
    /// HMAC-SHA256 of the workspace, contract and expiry under the server's link key, hex.
    pub signature: String,
}
