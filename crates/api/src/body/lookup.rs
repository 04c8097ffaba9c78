//! Bodies of the outreach app's questions: the duplicate look-up, the send
//! permission and the people search.

use super::common::{FreeForm, Provider};
use hiresync_core::Person;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The address to look up.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// An email address.
    pub email: String,
}

/// Whether one of the caller's providers holds the email.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "provider": "greenhouse",
    "duplicate": true, "message": "Duplicate found in Greenhouse",
    "person_url": "https://app.greenhouse.io/people/4471", "person_id": "4471"}))]
pub struct LookupOut {
    /// The connection asked.
    pub connection_id: String,
    /// Its provider.
    pub provider: Provider,
    /// Whether the provider holds the email; null when it could not be asked, or was not because
    /// the connection's `dedup_warning` setting is off.
    pub duplicate: Option<bool>,
    /// Whether the provider was asked: the connection's deduplication setting (`dedup_warning`) is on.
    pub checked: bool,
    /// "Duplicate found in Greenhouse", "No duplicates found in Greenhouse", "Could not check
    /// Greenhouse" or "Deduplication is off for Greenhouse".
    pub message: String,
    /// Link to the person found.
    pub person_url: Option<String>,
    /// The provider's id of the person found.
    pub person_id: Option<String>,
    /// Why the provider could not be asked; only then present.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error: Option<String>,
}

/// Options of the send-permission question.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PermissionQuery {
    /// Ask the providers again instead of using answers of the last few minutes.
    #[serde(default, deserialize_with = "flag")]
    #[param(value_type = Option<bool>)]
    pub refresh: bool,
}

/// A query flag: `true`, `1` or bare is yes; `false` or `0` is no.
fn flag<'de, D: Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    match String::deserialize(de)?.trim() {
        "true" | "1" | "" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(serde::de::Error::custom("must be true or false")),
    }
}

/// Whether the contact may be emailed (SPEC S10).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"allowed": false, "reason": "Off limits in Clockwork",
    "connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "provider": "clockwork"}))]
pub struct PermissionOut {
    /// Whether it may.
    pub allowed: bool,
    /// Why not; null when allowed.
    pub reason: Option<String>,
    /// The connection whose provider said no; only then present.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub connection_id: Option<String>,
    /// That connection's provider; only then present.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub provider: Option<Provider>,
}

/// A person as the provider holds them.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "4471", "emails": ["ada@example.com"], "first_name": "Ada",
    "last_name": "Lovelace", "url": "https://app.greenhouse.io/people/4471", "fields": {"tags": ["Rust"]},
    "created_at": "2026-10-01T12:00:00Z"}))]
pub struct PersonOut {
    /// The provider's id.
    pub id: String,
    /// Every email the provider holds for them.
    pub emails: Vec<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Link to the person in the provider's web app.
    pub url: Option<String>,
    /// The provider's fields, by its own names, as it returned them.
    pub fields: FreeForm,
    /// When the provider created the record, when it says.
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<Person> for PersonOut {
    fn from(p: Person) -> Self {
        Self {
            id: p.id,
            emails: p.emails,
            first_name: p.first_name,
            last_name: p.last_name,
            url: p.url,
            fields: FreeForm(p.fields.into_iter().collect()),
            created_at: p.created_at,
        }
    }
}
