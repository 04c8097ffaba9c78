//! Oneflow response types as the vendor-authored Swagger (`OF-MS`) and
//! developer.oneflow.com document them, read leniently: every member but the
//! id may be missing or null, unknown members are ignored.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `{"href": "…"}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Href {
    /// The link.
    pub href: Option<String>,
}

/// Collection links.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ListLinks {
    /// This page.
    #[serde(rename = "self")]
    pub this: Option<Href>,
    /// Next page; absent or null at the end.
    pub next: Option<Href>,
    /// Previous page.
    pub previous: Option<Href>,
}

/// A collection page: `{"_links", "count", "data"}`.
#[derive(Clone, Debug, Deserialize)]
pub struct List<T> {
    /// Paging links.
    #[serde(rename = "_links", default)]
    pub links: ListLinks,
    /// Total after permissions and filters.
    #[serde(default)]
    pub count: Option<i64>,
    /// The items.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
}

/// A data field's owner-side attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct DataFieldOwnerside {
    /// The stable external key templates define.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Creation time.
    #[serde(skip_serializing)]
    pub created_time: Option<String>,
    /// Update time.
    #[serde(skip_serializing)]
    pub updated_time: Option<String>,
}

/// A contract's data field.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DataField {
    /// Id.
    pub id: i64,
    /// Label.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Placeholder.
    pub placeholder: Option<String>,
    /// Value; empty or null when unset.
    pub value: Option<String>,
    /// Custom id and times.
    #[serde(rename = "_private_ownerside")]
    pub ownerside: Option<DataFieldOwnerside>,
}

impl DataField {
    /// The custom id, when the template gave one.
    pub fn custom_id(&self) -> Option<&str> {
        self.ownerside.as_ref()?.custom_id.as_deref()
    }
}

/// A participant of a party.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Participant {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone_number: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Must sign.
    pub signatory: Option<bool>,
    /// Organizer.
    pub organizer: Option<bool>,
    /// `standard_esign`, `sms`, `swedish_bankid`, ...
    pub sign_method: Option<String>,
    /// `undecided`, `signed`, `declined`.
    pub sign_state: Option<String>,
    /// When the sign state changed.
    pub sign_state_updated_time: Option<String>,
    /// `email`, `none`, `same_device`, `sms`.
    pub delivery_channel: Option<String>,
    /// `not_sent`, `pending`, `failure`, `bounce`, `success`, `opened`.
    pub delivery_status: Option<String>,
    /// `email`, `sms`, `none`.
    pub two_step_authentication_method: Option<String>,
}

/// A party (company or individual) with its participants.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Party {
    /// Id.
    pub id: i64,
    /// `company` or `individual`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Organisation or personal number.
    pub identification_number: Option<String>,
    /// Country.
    pub country_code: Option<String>,
    /// Our own side.
    pub my_party: Option<bool>,
    /// Participants.
    pub participants: Vec<Participant>,
}

/// A contract's `_private` block.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContractPrivate {
    /// Name.
    pub name: Option<String>,
    /// `{amount, currency}`.
    pub value: Option<Value>,
    /// Workspace.
    pub workspace_id: Option<i64>,
}

/// A contract's `_private_ownerside` block.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContractOwnerside {
    /// Creation time.
    pub created_time: Option<String>,
    /// Template.
    pub template_id: Option<i64>,
    /// Template type (holds the data field definitions).
    pub template_type_id: Option<i64>,
}

/// A contract.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Contract {
    /// Id.
    pub id: i64,
    /// `draft`, `pending`, `overdue`, `signed`, `declined`.
    pub state: Option<String>,
    /// When the state changed.
    pub state_updated_time: Option<String>,
    /// Update time.
    pub updated_time: Option<String>,
    /// Publication time.
    pub published_time: Option<String>,
    /// Signing deadline.
    pub signing_period_expiry_time: Option<String>,
    /// Name, value, workspace.
    #[serde(rename = "_private")]
    pub private: Option<ContractPrivate>,
    /// Template ids.
    #[serde(rename = "_private_ownerside")]
    pub ownerside: Option<ContractOwnerside>,
    /// Data fields.
    pub data_fields: Vec<DataField>,
    /// Parties.
    pub parties: Vec<Party>,
    /// `{lifecycle_state: awaiting|active|ended, ...}`.
    pub lifecycle_state: Option<Value>,
    /// Links.
    #[serde(rename = "_links")]
    pub links: Option<Map<String, Value>>,
}

/// A contract event (audit trail entry).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ContractEvent {
    /// Id.
    pub id: i64,
    /// `contract:publish`, `data_field:update`, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Time, possibly with a `+0000` offset.
    pub created_time: Option<String>,
    /// Who did it.
    pub actor: Option<Value>,
    /// `{changes[], subject}`.
    pub data: Option<Value>,
}

/// A template type's data field definition.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TemplateDataField {
    /// Id.
    pub id: i64,
    /// Custom id.
    pub custom_id: Option<String>,
    /// Label.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Placeholder.
    pub placeholder: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Default value.
    pub value: Option<String>,
}

/// A template type (`GET /template_types/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct TemplateType {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Data field definitions.
    pub data_fields: Vec<TemplateDataField>,
}

/// A template.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Template {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// `{id, name, ...}` when the template belongs to a template group.
    pub template_type: Option<Value>,
}

/// A workspace.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Workspace {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
}

/// An account user.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
}

/// A webhook filter rule: `{type: EVENT_TYPE|WORKSPACE, values}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct FilterRule {
    /// `EVENT_TYPE` or `WORKSPACE`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Event names or workspace ids.
    pub values: Vec<Value>,
}

/// A webhook filter: its rules.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Filter {
    /// Rules.
    pub filter_rules: Vec<FilterRule>,
}

/// A webhook.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Webhook {
    /// Id.
    pub webhook_id: i64,
    /// Receiver.
    pub callback_url: Option<String>,
    /// Filters.
    pub filters: Vec<Filter>,
    /// Integration instance.
    pub integration_instance: Option<i64>,
    /// Legacy delivery format.
    pub legacy_webhook: Option<bool>,
    /// Template group.
    pub template_group_id: Option<i64>,
}

/// A problem-style error body.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    /// Stable code starting with the status (`4040000` generic, others specific).
    pub error_code: Option<i64>,
    /// Explanation.
    pub detail: Option<String>,
    /// Per-parameter problems.
    pub parameter_problems: Option<Value>,
    /// Request id.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: Option<i64>,
    /// Short title.
    pub title: Option<String>,
    /// `https://api.oneflow.com/v1/error_codes/<code>`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}
