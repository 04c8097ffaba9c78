//! The events webhooks out announce, each with its small typed `data`. The
//! body sent is `{"type", "timestamp", "data"}`; the API documents each
//! `data` shape in `/openapi.json` (`hiresync_api::body::webhook_endpoints`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Every event type an endpoint may ask for, as the API spells them.
pub const EVENT_TYPES: [&str; 9] = [
    "contact.synced",
    "contact.sync_failed",
    "contact.exists",
    "import.finished",
    "resync.finished",
    "connection.failing",
    "connection.recovered",
    "contract.field_changed",
    "contract.signed",
];

/// An event to announce: its type is its tag, its fields the body's `data`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum Event {
    /// A contact was linked to a person in the provider (created or found) and placed.
    #[serde(rename = "contact.synced")]
    ContactSynced(ContactSynced),
    /// A contact's sync failed for good.
    #[serde(rename = "contact.sync_failed")]
    ContactSyncFailed(ContactSyncFailed),
    /// A contact's email was already in the provider before it was added (the dedup warning).
    #[serde(rename = "contact.exists")]
    ContactExists(ContactExists),
    /// An import's run ended (each run of a recurring import), or the import failed.
    #[serde(rename = "import.finished")]
    ImportFinished(ImportFinished),
    /// Every contact of a resync was synced, skipped or failed.
    #[serde(rename = "resync.finished")]
    ResyncFinished(ResyncFinished),
    /// The provider refuses a connection's credentials; its jobs wait.
    #[serde(rename = "connection.failing")]
    ConnectionFailing(ConnectionFailing),
    /// A failing connection works again; its jobs run.
    #[serde(rename = "connection.recovered")]
    ConnectionRecovered(ConnectionRecovered),
    /// A contract's mapped field changed on one side and was carried to the other.
    #[serde(rename = "contract.field_changed")]
    ContractFieldChanged(ContractFieldChanged),
    /// Every party signed a contract.
    #[serde(rename = "contract.signed")]
    ContractSigned(ContractSigned),
}

impl Event {
    /// The event's type, as endpoints subscribe to it.
    pub fn name(&self) -> &'static str {
        match self {
            Event::ContactSynced(_) => "contact.synced",
            Event::ContactSyncFailed(_) => "contact.sync_failed",
            Event::ContactExists(_) => "contact.exists",
            Event::ImportFinished(_) => "import.finished",
            Event::ResyncFinished(_) => "resync.finished",
            Event::ConnectionFailing(_) => "connection.failing",
            Event::ConnectionRecovered(_) => "connection.recovered",
            Event::ContractFieldChanged(_) => "contract.field_changed",
            Event::ContractSigned(_) => "contract.signed",
        }
    }
}

/// `data` of `contact.synced`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactSynced {
    /// The workspace.
    pub workspace_id: String,
    /// The connection synced to.
    pub connection_id: String,
    /// Its provider (`greenhouse`, `clockwork`, `teamtailor`).
    pub provider: String,
    /// The contact's `external_id`.
    pub contact: String,
    /// The person's id in the provider.
    pub person_id: Option<String>,
    /// "Open in <Provider>" link.
    pub person_url: Option<String>,
    /// The target the person was put on, if any.
    pub target: Option<Value>,
}

/// `data` of `contact.sync_failed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactSyncFailed {
    /// The workspace.
    pub workspace_id: String,
    /// The connection the sync failed on.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The contact's `external_id`.
    pub contact: String,
    /// Why, as the contact's sync status shows it.
    pub error: String,
}

/// `data` of `contact.exists`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactExists {
    /// The workspace.
    pub workspace_id: String,
    /// The connection whose provider had the person.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The contact's `external_id`.
    pub contact: String,
    /// The existing person's id.
    pub person_id: Option<String>,
    /// Link to the existing person.
    pub person_url: Option<String>,
    /// The warning shown, e.g. "Exists in Greenhouse".
    pub message: String,
}

/// `data` of `import.finished`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportFinished {
    /// The workspace.
    pub workspace_id: String,
    /// The import.
    pub import_id: String,
    /// The connection read from.
    pub connection_id: String,
    /// The import's state after the run: `done`, `scheduled` (recurring) or `failed`.
    pub state: String,
    /// People made into new contacts, over all runs.
    pub imported: i64,
    /// People skipped for having no email.
    pub skipped_no_email: i64,
    /// People already linked to a contact.
    pub already_present: i64,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// `data` of `resync.finished`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResyncFinished {
    /// The workspace.
    pub workspace_id: String,
    /// The resync.
    pub resync_id: String,
    /// The connection synced to.
    pub connection_id: String,
    /// Contacts in it.
    pub total: i64,
    /// Contacts synced.
    pub synced: i64,
    /// Contacts skipped.
    pub skipped: i64,
    /// Contacts whose sync failed.
    pub failed: i64,
}

/// `data` of `connection.failing`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionFailing {
    /// The workspace.
    pub workspace_id: String,
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The provider's refusal.
    pub error: String,
}

/// `data` of `connection.recovered`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionRecovered {
    /// The workspace.
    pub workspace_id: String,
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
}

/// `data` of `contract.field_changed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractFieldChanged {
    /// The workspace.
    pub workspace_id: String,
    /// hiresync's contract id (`ctr_...`).
    pub contract_id: String,
    /// Oneflow's contract id.
    pub oneflow_contract_id: i64,
    /// The Teamtailor candidate.
    pub candidate: String,
    /// The Oneflow data field's custom id.
    pub field: String,
    /// Its value in Oneflow now.
    pub oneflow_value: String,
    /// The candidate's custom field's value in Teamtailor now.
    pub teamtailor_value: String,
}

/// `data` of `contract.signed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractSigned {
    /// The workspace.
    pub workspace_id: String,
    /// hiresync's contract id (`ctr_...`).
    pub contract_id: String,
    /// Oneflow's contract id.
    pub oneflow_contract_id: i64,
    /// The Teamtailor candidate.
    pub candidate: String,
    /// Link to the contract in Oneflow.
    pub url: String,
    /// Whether the signed file is attached to the candidate.
    pub attached: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_tagged_with_a_listed_type_and_carries_its_data() {
        let e = Event::ConnectionRecovered(ConnectionRecovered {
            workspace_id: "ws_1".into(),
            connection_id: "conn_1".into(),
            provider: "greenhouse".into(),
        });
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], e.name());
        assert_eq!(v["data"]["connection_id"], "conn_1");
        assert!(EVENT_TYPES.contains(&e.name()));
        assert_eq!(serde_json::from_value::<Event>(v).unwrap(), e);
    }
}
