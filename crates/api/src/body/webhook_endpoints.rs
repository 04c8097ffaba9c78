//! Bodies of `/v1/webhook-endpoints` and `/v1/webhook-deliveries`, and the
//! bodies hiresync sends to an endpoint (`WebhookMessage` and one `data`
//! shape per event type), documented here for receivers.

#[cfg(feature = "server")]
use hiresync_store::webhooks_out::{Delivery, Endpoint};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// An endpoint to register: where to send which events.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a webhook endpoint object")]
#[schema(example = json!({"url": "https://outreach.example.com/hooks/hiresync",
    "events": ["contact.synced", "contact.sync_failed"], "description": "sync status"}))]
pub struct WebhookEndpointIn {
    /// An https URL resolving to a public address (the same policy as a connection's `base_url`).
    pub url: String,
    /// Event types to receive, at least one: `contact.synced`, `contact.sync_failed`,
    /// `contact.exists`, `import.finished`, `resync.finished`, `connection.failing`,
    /// `connection.recovered`, `contract.field_changed`, `contract.signed`.
    pub events: Vec<String>,
    /// A note for people reading the list (up to 500 characters).
    pub description: Option<String>,
}

/// An endpoint as registered, with its signing secret: the only time the secret is shown.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "whe_01jd5z8v6c4q2w3e4r5t6y7u8i", "url": "https://outreach.example.com/hooks/hiresync",
    "events": ["contact.synced"], "description": null, "secret": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oDAQIDBA=="}))]
pub struct WebhookEndpointCreatedOut {
    /// Its id.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<String>,
    /// The note given.
    pub description: Option<String>,
    /// `whsec_` and the base64 of the signing key (Standard Webhooks); shown only here and on rotation.
    pub secret: String,
}

/// A new signing secret, shown once; the old one stops signing at once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "whe_01jd5z8v6c4q2w3e4r5t6y7u8i", "secret": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oDAQIDBA=="}))]
pub struct WebhookSecretOut {
    /// The endpoint's id.
    pub id: String,
    /// `whsec_` and the base64 of the new signing key.
    pub secret: String,
}

/// An endpoint, without its secret.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "whe_01jd5z8v6c4q2w3e4r5t6y7u8i", "url": "https://outreach.example.com/hooks/hiresync",
    "events": ["contact.synced"], "description": null, "created_at": "2026-11-02T09:00:00+00:00",
    "failing": true, "failing_since": "2026-11-02T10:00:00+00:00", "disabled": false,
    "disabled_at": null, "disabled_reason": null}))]
pub struct WebhookEndpointOut {
    /// Its id.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<String>,
    /// The note given.
    pub description: Option<String>,
    /// When it was registered (RFC 3339).
    pub created_at: Option<String>,
    /// Whether its deliveries fail with none taken since.
    pub failing: bool,
    /// Since when (RFC 3339).
    pub failing_since: Option<String>,
    /// Whether it was disabled: it gets no deliveries until registered again.
    pub disabled: bool,
    /// When (RFC 3339).
    pub disabled_at: Option<String>,
    /// Why: it failed for days, or answered 410 Gone.
    pub disabled_reason: Option<String>,
}

#[cfg(feature = "server")]
impl From<&Endpoint> for WebhookEndpointOut {
    fn from(e: &Endpoint) -> Self {
        Self {
            id: e.id.clone(),
            url: e.url.clone(),
            events: e.events.clone(),
            description: e.description.clone(),
            created_at: super::common::rfc3339(e.created_at),
            failing: e.failing_since.is_some(),
            failing_since: e.failing_since.and_then(super::common::rfc3339),
            disabled: e.disabled_at.is_some(),
            disabled_at: e.disabled_at.and_then(super::common::rfc3339),
            disabled_reason: e.disabled_reason.clone(),
        }
    }
}

/// How many deliveries to list.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryPage {
    /// At most this many, newest first (1 to 200, default 50).
    pub limit: Option<i64>,
}

/// A delivery of one event to one endpoint, and where its attempts stand.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "whd_01jd5z8v6c4q2w3e4r5t6y7u8i", "endpoint_id": "whe_01jd5z8v6c4q2w3e4r5t6y7u8i",
    "event_id": "msg_01jd5z8v6c4q2w3e4r5t6y7u8i", "type": "contact.synced", "state": "pending", "attempts": 2,
    "response_status": 500, "error": "the endpoint answered 500", "next_attempt_at": "2026-11-02T09:35:00+00:00",
    "last_attempt_at": "2026-11-02T09:05:00+00:00", "created_at": "2026-11-02T09:00:00+00:00", "delivered_at": null}))]
pub struct WebhookDeliveryOut {
    /// Its id, for `POST /v1/webhook-deliveries/{id}/redeliver`.
    pub id: String,
    /// The endpoint.
    pub endpoint_id: String,
    /// The `webhook-id` header: the event's id, the same at every attempt and every endpoint.
    pub event_id: String,
    /// The event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts made (since it was last redelivered).
    pub attempts: i64,
    /// The endpoint's HTTP status at the last attempt, when it answered.
    pub response_status: Option<i64>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// When the next attempt is due (RFC 3339), while pending.
    pub next_attempt_at: Option<String>,
    /// When the last attempt was made (RFC 3339).
    pub last_attempt_at: Option<String>,
    /// When the event happened (RFC 3339).
    pub created_at: Option<String>,
    /// When the endpoint took it (RFC 3339).
    pub delivered_at: Option<String>,
}

#[cfg(feature = "server")]
impl From<&Delivery> for WebhookDeliveryOut {
    fn from(d: &Delivery) -> Self {
        Self {
            id: d.id.clone(),
            endpoint_id: d.endpoint_id.clone(),
            event_id: d.message_id.clone(),
            event_type: d.event_type.clone(),
            state: d.state.clone(),
            attempts: d.attempts,
            response_status: d.response_status,
            error: d.last_error.clone(),
            next_attempt_at: d.next_attempt_at.and_then(super::common::rfc3339),
            last_attempt_at: d.last_attempt_at.and_then(super::common::rfc3339),
            created_at: super::common::rfc3339(d.created_at),
            delivered_at: d.delivered_at.and_then(super::common::rfc3339),
        }
    }
}

/// What hiresync POSTs to an endpoint, signed per Standard Webhooks (`webhook-id`,
/// `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"type": "contact.synced", "timestamp": "2026-11-02T09:00:00.000Z",
    "data": {"workspace_id": "ws_01jd5z8v6c4q2w3e4r5t6y7u8i", "connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i",
    "provider": "greenhouse", "contact": "c-42", "person_id": "4471",
    "person_url": "https://app.greenhouse.io/people/4471", "target": {"job_id": 4012, "stage_id": 7}}}))]
pub struct WebhookMessage {
    /// The event type; `data` has the shape of that type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the event happened (RFC 3339).
    pub timestamp: String,
    /// The event's data.
    pub data: WebhookData,
}

/// The `data` of each event type.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum WebhookData {
    /// `contact.synced`.
    ContactSynced(ContactSyncedData),
    /// `contact.sync_failed`.
    ContactSyncFailed(ContactSyncFailedData),
    /// `contact.exists`.
    ContactExists(ContactExistsData),
    /// `import.finished`.
    ImportFinished(ImportFinishedData),
    /// `resync.finished`.
    ResyncFinished(ResyncFinishedData),
    /// `connection.failing`.
    ConnectionFailing(ConnectionFailingData),
    /// `connection.recovered`.
    ConnectionRecovered(ConnectionRecoveredData),
    /// `contract.field_changed`.
    ContractFieldChanged(ContractFieldChangedData),
    /// `contract.signed`.
    ContractSigned(ContractSignedData),
}

/// `data` of `contact.synced`: the contact was linked to a person in the provider and placed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactSyncedData {
    /// The workspace.
    pub workspace_id: String,
    /// The connection synced to.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The contact's `external_id`.
    pub contact: String,
    /// The person's id in the provider.
    pub person_id: Option<String>,
    /// "Open in <Provider>" link.
    pub person_url: Option<String>,
    /// The target the person was put on.
    #[schema(value_type = Option<Object>)]
    pub target: Option<Value>,
}

/// `data` of `contact.sync_failed`: the contact's sync failed for good.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactSyncFailedData {
    /// The workspace.
    pub workspace_id: String,
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The contact's `external_id`.
    pub contact: String,
    /// Why, as the contact's sync status shows it.
    pub error: String,
}

/// `data` of `contact.exists`: the provider had the person before the contact was added.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactExistsData {
    /// The workspace.
    pub workspace_id: String,
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The contact's `external_id`.
    pub contact: String,
    /// The existing person's id.
    pub person_id: Option<String>,
    /// Link to the existing person.
    pub person_url: Option<String>,
    /// The warning, e.g. "Exists in Greenhouse".
    pub message: String,
}

/// `data` of `import.finished`: an import's run ended (each run of a recurring one), or it failed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFinishedData {
    /// The workspace.
    pub workspace_id: String,
    /// The import.
    pub import_id: String,
    /// The connection read from.
    pub connection_id: String,
    /// `done`, `scheduled` (recurring) or `failed`.
    pub state: String,
    /// People made into new contacts, over all runs.
    pub imported: i64,
    /// People skipped for having no email.
    pub skipped_no_email: i64,
    /// People already linked to a contact.
    pub already_present: i64,
    /// Why it failed.
    pub error: Option<String>,
}

/// `data` of `resync.finished`: every contact of a resync was synced, skipped or failed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResyncFinishedData {
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
    /// Contacts that failed.
    pub failed: i64,
}

/// `data` of `connection.failing`: the provider refuses the connection's credentials.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionFailingData {
    /// The workspace.
    pub workspace_id: String,
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
    /// The provider's refusal.
    pub error: String,
}

/// `data` of `connection.recovered`: a failing connection works again.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionRecoveredData {
    /// The workspace.
    pub workspace_id: String,
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: String,
}

/// `data` of `contract.field_changed`: a mapped field was carried between Oneflow and Teamtailor.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractFieldChangedData {
    /// The workspace.
    pub workspace_id: String,
    /// hiresync's contract id.
    pub contract_id: String,
    /// Oneflow's contract id.
    pub oneflow_contract_id: i64,
    /// The Teamtailor candidate.
    pub candidate: String,
    /// The Oneflow data field's custom id.
    pub field: String,
    /// Its value in Oneflow now.
    pub oneflow_value: String,
    /// The candidate's field's value in Teamtailor now.
    pub teamtailor_value: String,
}

/// `data` of `contract.signed`: every party signed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractSignedData {
    /// The workspace.
    pub workspace_id: String,
    /// hiresync's contract id.
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
    use hiresync_engine::outbox::{self, Event};

    /// The engine's events, each as its documented shape reads it: a field added to or renamed
    /// in one and not the other fails here.
    #[test]
    fn every_event_the_engine_sends_matches_its_documented_data() {
        let events = [
            Event::ContactSynced(outbox::ContactSynced {
                workspace_id: "ws".into(),
                connection_id: "conn".into(),
                provider: "greenhouse".into(),
                contact: "c".into(),
                person_id: Some("1".into()),
                person_url: None,
                target: None,
            }),
            Event::ContactSyncFailed(outbox::ContactSyncFailed {
                workspace_id: "ws".into(),
                connection_id: "conn".into(),
                provider: "greenhouse".into(),
                contact: "c".into(),
                error: "e".into(),
            }),
            Event::ContactExists(outbox::ContactExists {
                workspace_id: "ws".into(),
                connection_id: "conn".into(),
                provider: "greenhouse".into(),
                contact: "c".into(),
                person_id: None,
                person_url: None,
                message: "Exists in Greenhouse".into(),
            }),
            Event::ImportFinished(outbox::ImportFinished {
                workspace_id: "ws".into(),
                import_id: "imp".into(),
                connection_id: "conn".into(),
                state: "done".into(),
                imported: 1,
                skipped_no_email: 2,
                already_present: 3,
                error: None,
            }),
            Event::ResyncFinished(outbox::ResyncFinished {
                workspace_id: "ws".into(),
                resync_id: "rsy".into(),
                connection_id: "conn".into(),
                total: 3,
                synced: 1,
                skipped: 1,
                failed: 1,
            }),
            Event::ConnectionFailing(outbox::ConnectionFailing {
                workspace_id: "ws".into(),
                connection_id: "conn".into(),
                provider: "greenhouse".into(),
                error: "401".into(),
            }),
            Event::ConnectionRecovered(outbox::ConnectionRecovered {
                workspace_id: "ws".into(),
                connection_id: "conn".into(),
                provider: "greenhouse".into(),
            }),
            Event::ContractFieldChanged(outbox::ContractFieldChanged {
                workspace_id: "ws".into(),
                contract_id: "ctr".into(),
                oneflow_contract_id: 7,
                candidate: "9".into(),
                field: "salary".into(),
                oneflow_value: "1".into(),
                teamtailor_value: "1".into(),
            }),
            Event::ContractSigned(outbox::ContractSigned {
                workspace_id: "ws".into(),
                contract_id: "ctr".into(),
                oneflow_contract_id: 7,
                candidate: "9".into(),
                url: "https://app.oneflow.com/contracts/7".into(),
                attached: true,
            }),
        ];
        assert_eq!(events.len(), outbox::EVENT_TYPES.len());
        for e in events {
            let v = serde_json::to_value(&e).unwrap();
            let data = v["data"].clone();
            let read = match e.name() {
                "contact.synced" => serde_json::from_value::<ContactSyncedData>(data).map(drop),
                "contact.sync_failed" => serde_json::from_value::<ContactSyncFailedData>(data).map(drop),
                "contact.exists" => serde_json::from_value::<ContactExistsData>(data).map(drop),
                "import.finished" => serde_json::from_value::<ImportFinishedData>(data).map(drop),
                "resync.finished" => serde_json::from_value::<ResyncFinishedData>(data).map(drop),
                "connection.failing" => serde_json::from_value::<ConnectionFailingData>(data).map(drop),
                "connection.recovered" => serde_json::from_value::<ConnectionRecoveredData>(data).map(drop),
                "contract.field_changed" => serde_json::from_value::<ContractFieldChangedData>(data).map(drop),
                "contract.signed" => serde_json::from_value::<ContractSignedData>(data).map(drop),
                other => panic!("undocumented event type {other}"),
            };
            assert!(read.is_ok(), "{}: {read:?}", e.name());
        }
    }
}
