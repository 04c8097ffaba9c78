//! The simulator's in-memory Oneflow account: users, workspaces, templates
//! and their template types (data field definitions), contracts with data
//! fields, parties and participants, the contract event log, webhooks.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// An account user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email (`x-oneflow-user-email`).
    pub email: String,
}

/// A workspace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A data field definition of a template type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// Id.
    pub id: i64,
    /// External key.
    pub custom_id: String,
    /// Label.
    pub name: String,
}

/// A template type (template group): the data fields its templates share.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateType {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Data field definitions.
    pub data_fields: Vec<FieldDef>,
}

/// A template in a workspace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Workspace.
    pub workspace_id: i64,
    /// Template type.
    pub template_type_id: i64,
}

/// A contract's data field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DataField {
    /// Id.
    pub id: i64,
    /// External key.
    pub custom_id: String,
    /// Label.
    pub name: String,
    /// Value (empty when unset).
    pub value: String,
    /// Creation time.
    pub created_time: String,
    /// Update time.
    pub updated_time: String,
}

/// A participant of a party.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone_number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Must sign.
    pub signatory: bool,
    /// Organizer.
    pub organizer: bool,
    /// `undecided`, `signed`, `declined`.
    pub sign_state: String,
    /// When the sign state changed.
    pub sign_state_updated_time: Option<String>,
    /// `email`, `none`, `same_device`, `sms`.
    pub delivery_channel: String,
    /// `standard_esign`, ...
    pub sign_method: String,
    /// `not_sent`, `pending`, `success`, `opened`, ...
    pub delivery_status: String,
}

/// A party of a contract.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// Id.
    pub id: i64,
    /// `company` or `individual`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Organisation number.
    pub identification_number: Option<String>,
    /// Country.
    pub country_code: Option<String>,
    /// Our own side.
    pub my_party: bool,
    /// Participants.
    pub participants: Vec<Participant>,
}

/// A contract.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Workspace.
    pub workspace_id: i64,
    /// Template.
    pub template_id: i64,
    /// Template type.
    pub template_type_id: i64,
    /// `draft`, `pending`, `overdue`, `signed`, `declined`.
    pub state: String,
    /// When the state changed.
    pub state_updated_time: String,
    /// Creation time.
    pub created_time: String,
    /// Update time.
    pub updated_time: String,
    /// Publication time.
    pub published_time: Option<String>,
    /// Data fields.
    pub data_fields: Vec<DataField>,
    /// Parties.
    pub parties: Vec<Party>,
}

/// A contract event (audit trail).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Id.
    pub id: i64,
    /// Contract.
    pub contract_id: i64,
    /// `contract:publish`, `data_field:update`, ...
    pub kind: String,
    /// Time with a `+0000` offset.
    pub created_time: String,
    /// Who did it.
    pub actor: Option<Value>,
    /// `{changes[], subject}`.
    pub data: Value,
}

/// A registered webhook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// Id.
    pub webhook_id: i64,
    /// Receiver.
    pub callback_url: String,
    /// Sign key (empty when none was set).
    pub sign_key: String,
    /// Filters as sent.
    pub filters: Value,
}

/// Everything the simulated account holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OneflowState {
    /// API tokens.
    pub tokens: Vec<String>,
    /// Users.
    pub users: BTreeMap<i64, User>,
    /// Workspaces.
    pub workspaces: BTreeMap<i64, Workspace>,
    /// Template types.
    pub template_types: BTreeMap<i64, TemplateType>,
    /// Templates.
    pub templates: BTreeMap<i64, Template>,
    /// Contracts.
    pub contracts: BTreeMap<i64, Contract>,
    /// Contract events.
    pub events: BTreeMap<i64, Event>,
    /// Webhooks.
    pub webhooks: BTreeMap<i64, Webhook>,
    /// File downloads answer 200 with the file itself rather than 302 to storage (both are documented).
    pub files_inline: bool,
    /// Last id handed out.
    pub last_id: i64,
}

impl OneflowState {
    /// A fresh id.
    pub fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }

    /// The user with `email` (case-insensitive).
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users.values().find(|u| u.email.eq_ignore_ascii_case(email.trim()))
    }
}

/// Now as Oneflow formats it in webhooks and events (`2020-07-06T15:14:14+0000`).
pub fn now_compact() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

/// Now as the REST API formats it (`2026-05-04T09:12:40+00:00`).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
