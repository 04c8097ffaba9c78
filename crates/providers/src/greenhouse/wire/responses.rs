//! Harvest v3 response types (greenhouse.md §7), read leniently: every field
//! but `id` may be missing or null, and unknown fields are ignored, since
//! Greenhouse adds fields and creation responses can be truncated.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /token` answer; `expires_at` recorded, `expires_in` seen in mocks.
#[derive(Clone, Debug, Deserialize)]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// `Bearer`.
    #[serde(default)]
    pub token_type: Option<String>,
    /// ISO-8601 expiry.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Seconds to expiry.
    #[serde(default)]
    pub expires_in: Option<i64>,
}

/// `{value, type}` contact item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Typed {
    /// Value.
    #[serde(default)]
    pub value: String,
    /// Type; absent on social media.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A job, as recorded.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Job {
    /// Id.
    pub id: i64,
    /// Title.
    pub name: Option<String>,
    /// `open`, `closed`, `draft`.
    pub status: Option<String>,
    /// Requisition id.
    pub requisition_id: Option<String>,
    /// Confidential.
    pub confidential: Option<bool>,
    /// Template (null on old jobs).
    pub is_template: Option<bool>,
    /// Source job.
    pub copied_from_id: Option<i64>,
    /// Department.
    pub department_id: Option<i64>,
    /// Offices.
    pub office_ids: Option<Vec<i64>>,
    /// Opening time.
    pub opened_at: Option<String>,
    /// Closing time.
    pub closed_at: Option<String>,
    /// Custom fields `{name_key: {name, type, value}}`.
    pub custom_fields: Option<Map<String, Value>>,
}

/// A job interview stage.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct JobStage {
    /// Id.
    pub id: i64,
    /// Job.
    pub job_id: Option<i64>,
    /// Name.
    pub name: Option<String>,
    /// Order; 0 = Application Review.
    pub sort_order: Option<i64>,
    /// Active.
    pub active: Option<bool>,
}

/// A prospect pool.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Pool {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Active.
    pub active: Option<bool>,
}

/// A prospect pool stage.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PoolStage {
    /// Id.
    pub id: i64,
    /// Pool.
    pub prospect_pool_id: Option<i64>,
    /// Name.
    pub name: Option<String>,
    /// Order.
    pub sort_order: Option<i64>,
}

/// A candidate (also a prospect's person record).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Candidate {
    /// Id.
    pub id: i64,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Employer.
    pub company: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Private (written as `is_private`).
    pub private: Option<bool>,
    /// Opted in to email.
    pub can_email: Option<bool>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Emails.
    pub email_addresses: Option<Vec<Typed>>,
    /// Phones.
    pub phone_numbers: Option<Vec<Typed>>,
    /// Addresses.
    pub addresses: Option<Vec<Typed>>,
    /// Websites.
    pub website_addresses: Option<Vec<Typed>>,
    /// Social profiles.
    pub social_media_addresses: Option<Vec<Typed>>,
    /// Custom fields `{name_key: {name, type, value}}`.
    pub custom_fields: Option<Map<String, Value>>,
    /// Creation time (ISO-8601).
    pub created_at: Option<String>,
}

/// `POST /v3/candidates` answer.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreatedCandidate {
    /// The candidate (possibly truncated to ids).
    pub candidate: Option<Candidate>,
    /// The nested application, when one was asked for.
    pub application: Option<Application>,
}

/// An application: a candidate on a job, or a prospect.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Application {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: Option<i64>,
    /// Job; null for jobless prospects.
    pub job_id: Option<i64>,
    /// Prospect flag.
    pub prospect: Option<bool>,
    /// Jobs a prospect is considered for.
    pub prospective_job_ids: Option<Vec<i64>>,
    /// `in_process`, `rejected`, `hired`, `converted`.
    pub status: Option<String>,
    /// Current `application_stages` row.
    pub stage_id: Option<i64>,
    /// Current stage name.
    pub stage_name: Option<String>,
}

/// A row of stage history.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationStage {
    /// Id.
    pub id: i64,
    /// Application.
    pub application_id: Option<i64>,
    /// Job stage.
    pub job_interview_stage_id: Option<i64>,
    /// Current row.
    pub current: Option<bool>,
}

/// Where a prospect sits.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProspectDetail {
    /// Id.
    pub id: i64,
    /// Application.
    pub application_id: Option<i64>,
    /// Pool.
    pub pool_id: Option<i64>,
    /// Pool stage.
    pub pool_stage_id: Option<i64>,
}

/// A Greenhouse user (`/v3/users`): who writes can be attributed to.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct User {
    /// Id (a token's `sub`).
    pub id: i64,
    /// Primary email.
    pub primary_email: Option<String>,
    /// Deactivated users cannot act.
    pub deactivated: Option<bool>,
}

/// A note or email record.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Note {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: Option<i64>,
    /// Text.
    pub body: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// `NOTE`, `ACTIVITY`, `EMAIL`, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Author.
    pub user_id: Option<i64>,
}

/// An employment.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Employment {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: Option<i64>,
    /// Employer.
    pub company_name: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Start date.
    pub start_date: Option<String>,
    /// End date.
    pub end_date: Option<String>,
}

/// A custom field definition.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CustomField {
    /// Id.
    pub id: i64,
    /// `candidate`, `application`, ...
    pub field_type: Option<String>,
    /// Label.
    pub name: Option<String>,
    /// Value type.
    pub value_type: Option<String>,
    /// Stable key.
    pub name_key: Option<String>,
    /// Active.
    pub active: Option<bool>,
}

/// A select option.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CustomFieldOption {
    /// Id.
    pub id: i64,
    /// Field.
    pub custom_field_id: Option<i64>,
    /// Label.
    pub name: Option<String>,
    /// Order.
    pub sort_order: Option<i64>,
}
