//! Harvest v3 request bodies, as sent: person fields, the nested or
//! standalone application, stage and pool moves, notes, employments and the
//! token request. Which members each write takes where the sources are silent
//! is in `../ASSUMPTIONS.md`. Absent optional members are not sent, except
//! where Greenhouse reads a `null` (a pool move without a stage, an open end date).

use super::responses::Typed;
use serde::Serialize;
use serde_json::{Map, Value};

/// Person fields of `POST`/`PATCH /v3/candidates`; absent fields are not sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CandidateWrite {
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Employer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Standard fields set through `PersonDraft::fields` (`is_private`, `can_email`, ...).
    #[serde(flatten)]
    pub standard: Map<String, Value>,
    /// Emails (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_addresses: Option<Vec<Typed>>,
    /// Phones (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<Typed>>,
    /// Addresses (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Typed>>,
    /// Social profiles (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_media_addresses: Option<Vec<Typed>>,
    /// Tags (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Custom field values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomFieldWrite>>,
    /// The application created with the person (v3 create only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<ApplicationWrite>,
}

/// `{name_key, value}`: a custom field value, select values as option names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomFieldWrite {
    /// The field's stable key.
    pub name_key: String,
    /// The value, as the field's type reads it.
    pub value: Value,
}

/// An application: nested in `POST /v3/candidates`, or `POST /v3/applications` with `candidate_id`.
/// A prospect goes to a pool (`prospect_pool_id`) or is considered for jobs (`job_ids`); a
/// candidate applies to `job_id` at `initial_stage_id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ApplicationWrite {
    /// The person, when not created in the same request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_id: Option<i64>,
    /// Set for a prospect application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prospect: Option<bool>,
    /// The pool a prospect goes to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prospect_pool_id: Option<i64>,
    /// The pool stage a prospect starts at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prospect_pool_stage_id: Option<i64>,
    /// The jobs a prospect is considered for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_ids: Option<Vec<i64>>,
    /// The job a candidate applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// The job stage a candidate starts at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_stage_id: Option<i64>,
}

/// `PATCH /v3/applications/{id}`: puts a prospect in a pool, at a pool stage (`null` for none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolMove {
    /// The pool.
    pub prospect_pool_id: i64,
    /// The pool stage.
    pub prospect_stage_id: Option<i64>,
}

/// `POST /v3/applications/{id}/move` between two job interview stages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageMove {
    /// The stage the application is at.
    pub from_stage_id: i64,
    /// The stage it goes to.
    pub to_stage_id: i64,
}

/// `POST /v3/applications/{id}/convert_to_candidate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConvertToCandidate {
    /// The job the prospect becomes a candidate on.
    pub job_id: i64,
    /// The job interview stage they start at.
    pub to_job_interview_stage_id: i64,
}

/// `POST /v3/notes`: a note, activity or email record on a candidate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteWrite {
    /// The candidate.
    pub candidate_id: i64,
    /// The author: the acting user.
    pub user_id: i64,
    /// The text.
    pub body: String,
    /// `public`.
    pub visibility: &'static str,
    /// `NOTE`, `ACTIVITY` or `EMAIL`.
    pub note_type: &'static str,
    /// Subject (an email record's is required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// An email record's senders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_from: Option<Vec<String>>,
    /// An email record's recipients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_to: Option<Vec<String>>,
    /// An email record's copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_cc: Option<Vec<String>>,
}

/// `POST /v3/candidate_employments`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmploymentWrite {
    /// The candidate.
    pub candidate_id: i64,
    /// Employer.
    pub company_name: String,
    /// Title.
    pub title: String,
    /// Start date (`YYYY-MM-DD`).
    pub start_date: String,
    /// End date; `null` while current.
    pub end_date: Option<String>,
}

/// The `POST /token` form: client credentials, minted for the acting user.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TokenRequest {
    /// `client_credentials`.
    pub grant_type: &'static str,
    /// The user the token acts as.
    pub sub: String,
}
