//! Request bodies Oneflow documents for the writes we make: contract
//! create (template, data fields, parties), publishing, data field updates
//! (one, or in bulk), parties and participants, and webhook registration.
//! Absent optional members are not sent.

use super::responses::{DataFieldOwnerside, Filter};
use serde::Serialize;

/// How a data field is addressed: its numeric id or its template custom id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataFieldRef {
    /// `/data_fields/{id}`.
    Id(i64),
    /// `/data_fields/c::{custom_id}`.
    CustomId(String),
}

/// `{custom_id, value}` of a contract create.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataFieldValue {
    /// The template's custom id.
    pub custom_id: String,
    /// The value.
    pub value: String,
}

/// A participant to add.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ParticipantWrite {
    /// Name.
    pub name: String,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Must sign.
    pub signatory: bool,
    /// `email`, `none`, `same_device`, `sms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_channel: Option<String>,
    /// `standard_esign`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_method: Option<String>,
}

/// A party to add, with its participants.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PartyWrite {
    /// `company` or `individual`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Company name (individuals are named by their participant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Organisation number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification_number: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Participants.
    pub participants: Vec<ParticipantWrite>,
}

/// `POST /contracts/create`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CreateContract {
    /// Workspace.
    pub workspace_id: i64,
    /// Template.
    pub template_id: i64,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Prefilled data fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_fields: Vec<DataFieldValue>,
    /// Counterparties.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<PartyWrite>,
}

/// `POST /webhooks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CreateWebhook {
    /// Receiver (1–1000 chars).
    pub callback_url: String,
    /// Signing key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_key: Option<String>,
    /// Event / workspace filters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
}

/// One item of a data field update; `value: None` leaves it unchanged, `Some("")` clears it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataFieldUpdate {
    /// Id (or give `custom_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// `{custom_id}`.
    #[serde(rename = "_private_ownerside", skip_serializing_if = "Option::is_none")]
    pub ownerside: Option<DataFieldOwnerside>,
    /// New value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl DataFieldUpdate {
    /// An update addressed by `field`.
    pub fn new(field: &DataFieldRef, value: Option<String>) -> Self {
        match field {
            DataFieldRef::Id(id) => Self { id: Some(*id), ownerside: None, value },
            DataFieldRef::CustomId(c) => Self {
                id: None,
                ownerside: Some(DataFieldOwnerside { custom_id: Some(c.clone()), ..DataFieldOwnerside::default() }),
                value,
            },
        }
    }
}

/// Bulk `PUT /contracts/{id}/data_fields`: `{"data_fields": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataFieldUpdates<'a> {
    /// The updates.
    pub data_fields: &'a [DataFieldUpdate],
}

/// `POST /contracts/{id}/publish`: what participants are told.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishContract<'a> {
    /// The email subject.
    pub subject: &'a str,
    /// The email message.
    pub message: &'a str,
}
