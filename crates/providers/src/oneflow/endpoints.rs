//! Every Oneflow endpoint the client calls (API v1): its path and query,
//! and the typed method that calls it. Contracts (create from a template,
//! read, list by data field, publish), data fields (one by id or custom id,
//! or in bulk), parties and participants, events, contract files, template
//! types, webhooks, and `/ping`.

use super::client::{OneflowClient, permanent};
use super::wire::{
    Contract, ContractEvent, CreateContract, CreateWebhook, DataField, DataFieldRef, DataFieldUpdate, DataFieldUpdates,
    List, Participant, ParticipantWrite, Party, PartyWrite, PublishContract, Template, TemplateType, User, Webhook,
    Workspace,
};
use crate::Result;
use bytes::Bytes;
use http::Method;
use serde_json::Value;

const PING: &str = "/v1/ping";
const USERS: &str = "/v1/users";
const WORKSPACES: &str = "/v1/workspaces";
const TEMPLATES: &str = "/v1/templates";
const TEMPLATE_TYPES: &str = "/v1/template_types";
const CONTRACTS: &str = "/v1/contracts";
const CREATE_CONTRACT: &str = "/v1/contracts/create";
const WEBHOOKS: &str = "/v1/webhooks";

/// A contract, or one of its sub-resources (`parties`, `data_fields/…`, ...).
fn contract(id: i64, sub: &str) -> String {
    if sub.is_empty() { format!("{CONTRACTS}/{id}") } else { format!("{CONTRACTS}/{id}/{sub}") }
}

/// A contract file: Oneflow answers with the bytes or a redirect to its storage.
#[derive(Clone, Debug, PartialEq)]
pub enum ContractFile {
    /// `302 Location`: a short-lived storage URL, fetchable without credentials.
    Redirect(String),
    /// The file itself.
    Content {
        /// `Content-Type`.
        content_type: Option<String>,
        /// The bytes.
        bytes: Bytes,
    },
}

/// Contract PDF (`file_id` 1).
pub const CONTRACT_PDF: i64 = 1;
/// Verification document (`file_id` 2).
pub const VERIFICATION: i64 = 2;

impl OneflowClient {
    /// `GET /ping`: 200 `{}` for a valid token and user.
    pub async fn ping(&self) -> Result<()> {
        self.request::<()>(Method::GET, self.url(PING, &[])?, None, "check credentials").await.map(|_| ())
    }

    /// Account users.
    pub async fn users(&self) -> Result<Vec<User>> {
        self.all(USERS, &[], "list users").await
    }

    /// Workspaces the user can see.
    pub async fn workspaces(&self) -> Result<Vec<Workspace>> {
        self.all(WORKSPACES, &[], "list workspaces").await
    }

    /// Templates.
    pub async fn templates(&self) -> Result<Vec<Template>> {
        self.all(TEMPLATES, &[], "list templates").await
    }

    /// A template type with its data field definitions.
    pub async fn template_type(&self, id: i64) -> Result<TemplateType> {
        self.get(self.url(&format!("{TEMPLATE_TYPES}/{id}"), &[])?, "read template type").await
    }

    /// `POST /contracts/create` from a template, data fields prefilled.
    pub async fn create_contract(&self, body: &CreateContract) -> Result<Contract> {
        self.json(Method::POST, self.url(CREATE_CONTRACT, &[])?, Some(body), "create contract").await
    }

    /// One contract.
    pub async fn contract(&self, id: i64) -> Result<Contract> {
        self.get(self.url(&contract(id, ""), &[])?, "read contract").await
    }

    /// A contract's data fields with their values and custom ids.
    pub async fn data_fields(&self, contract_id: i64) -> Result<Vec<DataField>> {
        Ok(self.contract(contract_id).await?.data_fields)
    }

    /// Contracts matching `filter[...]` pairs (`("filter[states]", "signed,pending")`, ...).
    pub async fn contracts(&self, filters: &[(&str, &str)]) -> Result<Vec<Contract>> {
        self.all(CONTRACTS, filters, "list contracts").await
    }

    /// Contracts whose data field `custom_id` holds `value` (`filter[data_field_match]`).
    pub async fn contracts_with_data_field(&self, custom_id: &str, value: &str) -> Result<Vec<Contract>> {
        let matcher = format!("{custom_id}:{value}");
        self.contracts(&[("filter[data_field_match]", &matcher)]).await
    }

    /// `POST /contracts/{id}/publish`: sends it to the participants.
    pub async fn publish_contract(&self, id: i64, subject: &str, message: &str) -> Result<Contract> {
        let body = PublishContract { subject, message };
        self.json(Method::POST, self.url(&contract(id, "publish"), &[])?, Some(&body), "publish contract").await
    }

    /// `PUT /contracts/{id}/data_fields/{field}`; the body repeats the path's id as Oneflow requires.
    pub async fn update_data_field(
        &self,
        contract_id: i64,
        field: &DataFieldRef,
        value: Option<&str>,
    ) -> Result<DataField> {
        let segment = match field {
            DataFieldRef::Id(id) => id.to_string(),
            DataFieldRef::CustomId(c) => format!("c::{c}"),
        };
        let body = DataFieldUpdate::new(field, value.map(str::to_owned));
        let url = self.url(&contract(contract_id, &format!("data_fields/{segment}")), &[])?;
        self.json(Method::PUT, url, Some(&body), "update data field").await
    }

    /// Bulk `PUT /contracts/{id}/data_fields` with `{"data_fields": [...]}`.
    pub async fn update_data_fields(&self, contract_id: i64, updates: &[DataFieldUpdate]) -> Result<Vec<DataField>> {
        if updates.is_empty() {
            return Ok(Vec::new());
        }
        let url = self.url(&contract(contract_id, "data_fields"), &[])?;
        let body = DataFieldUpdates { data_fields: updates };
        let list: List<DataField> = self.json(Method::PUT, url, Some(&body), "update data fields").await?;
        Ok(list.data)
    }

    /// A contract's parties.
    pub async fn parties(&self, contract_id: i64) -> Result<Vec<Party>> {
        self.all(&contract(contract_id, "parties"), &[], "read parties").await
    }

    /// `POST /contracts/{id}/parties`.
    pub async fn create_party(&self, contract_id: i64, party: &PartyWrite) -> Result<Party> {
        let url = self.url(&contract(contract_id, "parties"), &[])?;
        self.json(Method::POST, url, Some(party), "add party").await
    }

    /// `POST /contracts/{id}/parties/{party_id}/participants`.
    pub async fn create_participant(
        &self,
        contract_id: i64,
        party_id: i64,
        participant: &ParticipantWrite,
    ) -> Result<Participant> {
        let url = self.url(&contract(contract_id, &format!("parties/{party_id}/participants")), &[])?;
        self.json(Method::POST, url, Some(participant), "add participant").await
    }

    /// A contract's events, newest first (`sort=-id`).
    pub async fn contract_events(&self, contract_id: i64) -> Result<Vec<ContractEvent>> {
        self.all(&contract(contract_id, "events"), &[("sort", "-id")], "read contract events").await
    }

    /// `GET /contracts/{id}/files/{file_id}?download=true`: the bytes, or where Oneflow stores them.
    pub async fn contract_file(&self, contract_id: i64, file_id: i64) -> Result<ContractFile> {
        let op = "download contract file";
        let url = self.url(&contract(contract_id, &format!("files/{file_id}")), &[("download", "true")])?;
        let response = self.request::<()>(Method::GET, url, None, op).await?;
        if response.status.as_u16() == 302 {
            let location = response.header("location").ok_or_else(|| permanent(op, "redirect without a Location"))?;
            return Ok(ContractFile::Redirect(location.to_owned()));
        }
        Ok(ContractFile::Content {
            content_type: response.header("content-type").map(str::to_owned),
            bytes: response.body,
        })
    }

    /// Webhooks of the account.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>> {
        self.all(WEBHOOKS, &[], "list webhooks").await
    }

    /// `POST /webhooks`.
    pub async fn create_webhook(&self, body: &CreateWebhook) -> Result<Webhook> {
        if body.callback_url.is_empty() || body.callback_url.len() > 1000 {
            return Err(permanent("create webhook", "callback_url must be 1–1000 characters"));
        }
        self.json(Method::POST, self.url(WEBHOOKS, &[])?, Some(body), "create webhook").await
    }

    /// `DELETE /webhooks/{id}`.
    pub async fn delete_webhook(&self, id: i64) -> Result<()> {
        let url = self.url(&format!("{WEBHOOKS}/{id}"), &[])?;
        self.request::<Value>(Method::DELETE, url, None, "delete webhook").await.map(|_| ())
    }
}
