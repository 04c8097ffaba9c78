//! Bodies of `/v1/imports`.

use super::common::TargetObject;
#[cfg(feature = "server")]
use hiresync_store::imports::{Import, ImportedContact};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A provider target's people to bring into a sequence, once or every hour.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "an import object")]
#[schema(example = json!({"connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i",
    "target": {"job_id": 4012, "stage_id": 7}, "sequence": "seq-1", "recurring": true}))]
pub struct ImportIn {
    /// The connection whose target is read; its provider must list a target's people.
    pub connection_id: String,
    /// The target, in the connection's provider's shape.
    pub target: TargetObject,
    /// The sequence's external id, PUT before, that people are enrolled in.
    pub sequence: String,
    /// Run again every hour, adding only new people; false when absent.
    pub recurring: Option<bool>,
}

/// An import with its counts and schedule.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "imp_01jd5z8v6c4q2w3e4r5t6y7u8i", "state": "scheduled", "recurring": true,
    "connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "target": {"job_id": 4012, "stage_id": 7},
    "sequence": "seq-1", "imported": 12, "skipped_no_email": 1, "already_present": 3, "runs": 1,
    "last_run_at": "2026-11-02T09:00:00+00:00", "next_run_at": "2026-11-02T10:00:00+00:00", "last_error": null,
    "created_at": "2026-11-02T09:00:00+00:00"}))]
pub struct ImportOut {
    /// Its id.
    pub id: String,
    /// `running`, `scheduled`, `done`, `stopped` or `failed`.
    pub state: String,
    /// Whether it runs every hour.
    pub recurring: bool,
    /// The connection whose target is read.
    pub connection_id: String,
    /// The target.
    #[schema(value_type = TargetObject)]
    pub target: Value,
    /// The sequence people are enrolled in.
    pub sequence: String,
    /// People made into new contacts.
    pub imported: i64,
    /// People skipped for having no email.
    pub skipped_no_email: i64,
    /// People already linked to a contact, enrolled without making one.
    pub already_present: i64,
    /// Runs completed.
    pub runs: i64,
    /// When the last run completed (RFC 3339).
    pub last_run_at: Option<String>,
    /// When the next run is due (RFC 3339).
    pub next_run_at: Option<String>,
    /// Why the last run failed.
    pub last_error: Option<String>,
    /// When it was asked for (RFC 3339).
    pub created_at: Option<String>,
}

#[cfg(feature = "server")]
impl From<&Import> for ImportOut {
    fn from(i: &Import) -> Self {
        Self {
            id: i.id.clone(),
            state: i.state.clone(),
            recurring: i.recurring,
            connection_id: i.connection_id.clone(),
            target: i.target.clone(),
            sequence: i.sequence.clone(),
            imported: i.imported,
            skipped_no_email: i.skipped_no_email,
            already_present: i.already_present,
            runs: i.runs,
            last_run_at: i.last_run_at.and_then(super::common::rfc3339),
            next_run_at: i.next_run_at.and_then(super::common::rfc3339),
            last_error: i.last_error.clone(),
            created_at: super::common::rfc3339(i.created_at),
        }
    }
}

/// Paging of an import's contacts.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactPage {
    /// At most this many (1 to 1000, default 500).
    pub limit: Option<i64>,
    /// Skip this many (default 0).
    pub offset: Option<i64>,
}

/// A contact an import brought into its sequence.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"external_id": "greenhouse-4471", "person_id": "4471", "outcome": "imported",
    "emails": ["ada@example.com"], "first_name": "Ada", "last_name": "Lovelace"}))]
pub struct ImportedContactOut {
    /// The contact's external id: `<provider>-<person id>` for one the import made.
    pub external_id: String,
    /// The person's id in the provider.
    pub person_id: String,
    /// `imported` or `already_present`.
    pub outcome: String,
    /// The contact's emails.
    #[schema(value_type = Option<Vec<String>>)]
    pub emails: Option<Value>,
    /// Given name.
    #[schema(value_type = Option<String>)]
    pub first_name: Option<Value>,
    /// Family name.
    #[schema(value_type = Option<String>)]
    pub last_name: Option<Value>,
}

#[cfg(feature = "server")]
impl From<ImportedContact> for ImportedContactOut {
    fn from(r: ImportedContact) -> Self {
        Self {
            emails: r.data.get("emails").cloned(),
            first_name: r.data.get("first_name").cloned(),
            last_name: r.data.get("last_name").cloned(),
            external_id: r.contact_id,
            person_id: r.person_id,
            outcome: r.outcome,
        }
    }
}
