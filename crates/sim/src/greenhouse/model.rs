//! The simulator's in-memory Greenhouse: one table per v3 resource, each row
//! serialising exactly as Harvest v3 returns it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub use super::candidate_table::{CandidateMut, Candidates};

/// `{value, type}` items of a candidate's contact arrays.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Typed {
    /// The address, number or URL.
    pub value: String,
    /// `personal`, `work`, `mobile`, ... (absent for social media).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A Greenhouse user (`/v3/users`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Primary email.
    pub primary_email: String,
    /// Site admins may call list endpoints.
    pub site_admin: bool,
    /// Deactivated users cannot act.
    pub deactivated: bool,
}

/// A write and the user Greenhouse credits with it (the token's `sub`; none: the
/// integration's service user), so tests can see who each write was attributed to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// `create candidate`, `create note`, ...
    pub what: String,
    /// The acting user.
    pub user_id: Option<i64>,
}

/// A job (`/v3/jobs`), shaped like the recorded fixture.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Id.
    pub id: i64,
    /// Title.
    pub name: String,
    /// Requisition id.
    pub requisition_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Confidential flag.
    pub confidential: bool,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
    /// Template flag (null on old jobs).
    pub is_template: Option<bool>,
    /// Source job.
    pub copied_from_id: Option<i64>,
    /// Opening time.
    pub opened_at: Option<String>,
    /// Closing time.
    pub closed_at: Option<String>,
    /// `open`, `closed` or `draft`.
    pub status: String,
    /// Offices.
    pub office_ids: Vec<i64>,
    /// Department.
    pub department_id: Option<i64>,
    /// Custom fields keyed by name_key: `{name, type, value}`.
    pub custom_fields: BTreeMap<String, Value>,
}

/// A job's interview stage (`/v3/job_interview_stages`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobStage {
    /// Id.
    pub id: i64,
    /// Job.
    pub job_id: i64,
    /// Name.
    pub name: String,
    /// 0 = Application Review.
    pub sort_order: i64,
    /// Active flag.
    pub active: bool,
}

/// A prospect pool (`/v3/prospect_pools`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pool {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Active flag.
    pub active: bool,
    /// Description.
    pub description: Option<String>,
    /// Departments.
    pub department_ids: Vec<i64>,
    /// Offices.
    pub office_ids: Vec<i64>,
    /// Jobs.
    pub job_ids: Vec<i64>,
}

/// A prospect pool stage (`/v3/prospect_pool_stages`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolStage {
    /// Id.
    pub id: i64,
    /// Pool.
    pub prospect_pool_id: i64,
    /// Name.
    pub name: String,
    /// Order in the pool.
    pub sort_order: i64,
}

/// A candidate (`/v3/candidates`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Id.
    pub id: i64,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Preferred name.
    pub preferred_name: Option<String>,
    /// Employer.
    pub company: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Private flag (written as `is_private`).
    pub private: bool,
    /// May be emailed.
    pub can_email: bool,
    /// Tag names.
    pub tags: Vec<String>,
    /// Emails.
    pub email_addresses: Vec<Typed>,
    /// Phones.
    pub phone_numbers: Vec<Typed>,
    /// Addresses.
    pub addresses: Vec<Typed>,
    /// Websites.
    pub website_addresses: Vec<Typed>,
    /// Social profiles (`{value}` only).
    pub social_media_addresses: Vec<Typed>,
    /// Linked users.
    pub linked_user_ids: Vec<i64>,
    /// Custom fields keyed by name_key: `{name, type, value}`.
    pub custom_fields: BTreeMap<String, Value>,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
    /// Last activity.
    pub last_activity_at: String,
}

/// An application (`/v3/applications`): a candidate on a job, or a prospect.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: i64,
    /// Job; null for jobless prospects.
    pub job_id: Option<i64>,
    /// Job post.
    pub job_post_id: Option<i64>,
    /// Prospect flag.
    pub prospect: bool,
    /// `in_process`, `rejected`, `hired` or `converted`.
    pub status: String,
    /// Current `application_stages` row; null for prospects.
    pub stage_id: Option<i64>,
    /// Current stage name.
    pub stage_name: Option<String>,
    /// Recruiter.
    pub recruiter_id: Option<i64>,
    /// Coordinator.
    pub coordinator_id: Option<i64>,
    /// Referrer.
    pub referrer_id: Option<i64>,
    /// Source.
    pub source_id: Option<i64>,
    /// Jobs a prospect is considered for.
    pub prospective_job_ids: Vec<i64>,
    /// Custom fields.
    pub custom_fields: BTreeMap<String, Value>,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
    /// Last activity.
    pub last_activity_at: String,
    /// Rejection time.
    pub rejected_at: Option<String>,
}

/// A row of an application's stage history (`/v3/application_stages`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationStage {
    /// Id.
    pub id: i64,
    /// Application.
    pub application_id: i64,
    /// The job stage.
    pub job_interview_stage_id: i64,
    /// Entry time.
    pub entered_at: String,
    /// Exit time; null while current.
    pub exited_at: Option<String>,
    /// Whole days spent.
    pub days_in_stage: i64,
    /// Whether this is the current stage.
    pub current: bool,
}

/// Where a prospect sits (`/v3/prospect_details`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProspectDetail {
    /// Id.
    pub id: i64,
    /// Application.
    pub application_id: i64,
    /// Pool.
    pub pool_id: Option<i64>,
    /// Pool stage.
    pub pool_stage_id: Option<i64>,
    /// Owner.
    pub prospect_owner_id: Option<i64>,
    /// Department.
    pub department_id: Option<i64>,
    /// Office.
    pub office_id: Option<i64>,
}

/// A note or email record (`/v3/notes`); visibility uses the read enum.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Id.
    pub id: i64,
    /// Candidate (not validated, as in Greenhouse).
    pub candidate_id: Option<i64>,
    /// Application.
    pub application_id: Option<i64>,
    /// Text.
    pub body: String,
    /// Subject.
    pub subject: Option<String>,
    /// `NOTE`, `ACTIVITY`, `EMAIL`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Author.
    pub user_id: Option<i64>,
    /// Senders.
    pub email_from: Vec<String>,
    /// Recipients.
    pub email_to: Vec<String>,
    /// Copies.
    pub email_cc: Vec<String>,
    /// `admin_only_visible`, `privately_visible`, `publicly_visible`.
    pub visibility: String,
    /// Import hash.
    pub import_hash: Option<String>,
    /// Creation time.
    pub created_at: String,
}

/// A candidate's employment (`/v3/candidate_employments`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Employment {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: i64,
    /// Employer.
    pub company_name: String,
    /// Title.
    pub title: String,
    /// Start date.
    pub start_date: String,
    /// End date; null while current.
    pub end_date: Option<String>,
    /// Most recent role.
    pub latest: bool,
}

/// A custom field definition (`/v3/custom_fields`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    /// Id.
    pub id: i64,
    /// `candidate`, `application`, `job`, ...
    pub field_type: String,
    /// Label.
    pub name: String,
    /// `short_text`, `single_select`, ...
    pub value_type: String,
    /// Stable key.
    pub name_key: String,
    /// Private flag.
    pub private: bool,
    /// Required flag.
    pub required: bool,
    /// Active flag.
    pub active: bool,
}

/// A select option (`/v3/custom_field_options`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldOption {
    /// Id.
    pub id: i64,
    /// Field.
    pub custom_field_id: i64,
    /// Label.
    pub name: String,
    /// External id.
    pub external_id: Option<String>,
    /// Order.
    pub sort_order: i64,
    /// Active flag.
    pub active: bool,
}

/// Everything the simulated tenant holds. Tables are ordered by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GreenhouseState {
    /// OAuth clients: client_id → client_secret.
    pub clients: BTreeMap<String, String>,
    /// Legacy Harvest v1 keys.
    pub api_keys: Vec<String>,
    /// Users.
    pub users: BTreeMap<i64, User>,
    /// Jobs.
    pub jobs: BTreeMap<i64, Job>,
    /// Job stages.
    pub job_stages: BTreeMap<i64, JobStage>,
    /// Prospect pools.
    pub prospect_pools: BTreeMap<i64, Pool>,
    /// Pool stages.
    pub prospect_pool_stages: BTreeMap<i64, PoolStage>,
    /// Candidates and prospects.
    pub candidates: Candidates,
    /// Applications.
    pub applications: BTreeMap<i64, Application>,
    /// Stage history rows.
    pub application_stages: BTreeMap<i64, ApplicationStage>,
    /// Prospect placements.
    pub prospect_details: BTreeMap<i64, ProspectDetail>,
    /// Notes and email records.
    pub notes: BTreeMap<i64, Note>,
    /// Employments.
    pub employments: BTreeMap<i64, Employment>,
    /// Custom field definitions.
    pub custom_fields: BTreeMap<i64, CustomField>,
    /// Custom field options.
    pub custom_field_options: BTreeMap<i64, CustomFieldOption>,
    /// Every v3 write in order, with the user it is attributed to.
    pub attributions: Vec<Attribution>,
    /// Last id handed out; ids start above 32 bits like real tenants'.
    pub last_id: i64,
}

impl GreenhouseState {
    /// A fresh id, always beyond `u32::MAX` and ending in `002` as Greenhouse's do.
    pub fn next_id(&mut self) -> i64 {
        self.last_id = self.last_id.max(4_000_000_000_002) + 1_000;
        self.last_id
    }

    /// The candidate holding this email (exact, case-insensitive).
    pub fn candidates_with_email(&self, email: &str) -> Vec<&Candidate> {
        self.candidates.with_email(email).collect()
    }

    /// The current stage row of an application.
    pub fn current_stage(&self, application_id: i64) -> Option<&ApplicationStage> {
        self.application_stages.values().find(|s| s.application_id == application_id && s.current)
    }

    /// The prospect detail of an application.
    pub fn prospect_detail(&self, application_id: i64) -> Option<&ProspectDetail> {
        self.prospect_details.values().find(|d| d.application_id == application_id)
    }
}

/// Now as Greenhouse formats timestamps (`2026-05-05T22:36:04.296Z`).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
