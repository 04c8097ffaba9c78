//! The simulator's in-memory Teamtailor company: one table per resource.
//! Rows are plain data; `render` turns them into JSON:API resources.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A user (`/v1/users`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Login and public email.
    pub email: String,
    /// `admin`, `recruiter`, `user`.
    pub role: String,
}

/// A job (`/v1/jobs`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// `open`, `draft`, `archived`, `unlisted`, `temp`.
    pub status: String,
    /// Internal job.
    pub internal: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// Creation time.
    pub created_at: String,
}

impl Job {
    /// `human-status` as Teamtailor derives it from `status`.
    pub fn human_status(&self) -> &'static str {
        match self.status.as_str() {
            "open" => "published",
            "unlisted" => "unlisted",
            "archived" => "archived",
            "draft" => "draft",
            _ => "unsaved",
        }
    }
}

/// A job's stage (`/v1/stages`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Id.
    pub id: i64,
    /// Job.
    pub job_id: i64,
    /// Name.
    pub name: String,
    /// `Inbox`, `In process`, `Hired`.
    pub stage_type: String,
    /// Order within the job.
    pub row_order: i64,
    /// Creation time.
    pub created_at: String,
}

/// A candidate (`/v1/candidates`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Id.
    pub id: i64,
    /// Unique email (none for some sourced candidates).
    pub email: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Pitch.
    pub pitch: Option<String>,
    /// LinkedIn URL.
    pub linkedin_url: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Opted out.
    pub unsubscribed: bool,
    /// Connected.
    pub connected: bool,
    /// Sourced.
    pub sourced: bool,
    /// Internal.
    pub internal: bool,
    /// Referring site.
    pub referring_site: Option<String>,
    /// Referring URL.
    pub referring_url: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
}

/// A job application (`/v1/job-applications`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobApplication {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: i64,
    /// Job.
    pub job_id: i64,
    /// Current stage.
    pub stage_id: i64,
    /// Cover letter.
    pub cover_letter: Option<String>,
    /// Sourced.
    pub sourced: bool,
    /// Rejection time.
    pub rejected_at: Option<String>,
    /// Last stage change.
    pub changed_stage_at: String,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
}

/// A note (`/v1/notes`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: i64,
    /// Author.
    pub user_id: Option<i64>,
    /// Text.
    pub note: String,
    /// Visible to its author only.
    #[serde(default)]
    pub private_note: bool,
    /// Creation time.
    pub created_at: String,
}

/// A custom field definition (`/v1/custom-fields`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    /// Id.
    pub id: i64,
    /// Sanitised key.
    pub api_name: String,
    /// Label.
    pub name: String,
    /// `CustomField::Text`, ..., `CustomField::MultiSelect`.
    pub field_type: String,
    /// Creation time.
    pub created_at: String,
}

impl CustomField {
    /// Select fields are served as `custom-field-selects`.
    pub fn is_select(&self) -> bool {
        self.field_type.ends_with("Select")
    }
}

/// A select option (`/v1/custom-field-options`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldOption {
    /// Id.
    pub id: i64,
    /// Field.
    pub custom_field_id: i64,
    /// Label.
    pub value: String,
}

/// A custom field value on a candidate (`/v1/custom-field-values`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldValue {
    /// Id.
    pub id: i64,
    /// Field.
    pub custom_field_id: i64,
    /// Owner candidate.
    pub candidate_id: i64,
    /// The value, typed by the field.
    pub value: Value,
}

/// A file on a candidate (`/v1/uploads`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: i64,
    /// Where Teamtailor fetched it from.
    pub url: String,
    /// File name.
    pub file_name: String,
    /// Company-only.
    pub internal: bool,
    /// The status Teamtailor got fetching `url` (0: unreachable); none until it has tried.
    #[serde(default)]
    pub fetch_status: Option<u16>,
    /// The content type it got.
    #[serde(default)]
    pub content_type: Option<String>,
    /// The file it got (as text), when the fetch answered 200.
    #[serde(default)]
    pub content: Option<String>,
}

/// Everything the simulated company holds. Tables are ordered by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamtailorState {
    /// Admin API keys.
    pub api_keys: Vec<String>,
    /// Users.
    pub users: BTreeMap<i64, User>,
    /// Jobs.
    pub jobs: BTreeMap<i64, Job>,
    /// Stages.
    pub stages: BTreeMap<i64, Stage>,
    /// Candidates.
    pub candidates: BTreeMap<i64, Candidate>,
    /// Job applications.
    pub job_applications: BTreeMap<i64, JobApplication>,
    /// Notes.
    pub notes: BTreeMap<i64, Note>,
    /// Custom field definitions.
    pub custom_fields: BTreeMap<i64, CustomField>,
    /// Select options.
    pub custom_field_options: BTreeMap<i64, CustomFieldOption>,
    /// Custom field values.
    pub custom_field_values: BTreeMap<i64, CustomFieldValue>,
    /// Uploads.
    pub uploads: BTreeMap<i64, Upload>,
    /// Last id handed out.
    pub last_id: i64,
}

impl TeamtailorState {
    /// A fresh id.
    pub fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }

    /// The candidate holding `email` (case-insensitive).
    pub fn candidate_by_email(&self, email: &str) -> Option<&Candidate> {
        self.candidates.values().find(|c| c.email.as_deref().is_some_and(|e| same_email(e, email)))
    }

    /// A job's stages ordered by `row_order`.
    pub fn job_stages(&self, job_id: i64) -> Vec<&Stage> {
        let mut stages: Vec<&Stage> = self.stages.values().filter(|s| s.job_id == job_id).collect();
        stages.sort_by_key(|s| (s.row_order, s.id));
        stages
    }
}

/// Now as Teamtailor formats timestamps (`2020-03-18T11:39:32.440+01:00`).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// Teamtailor keeps emails unique without regard to case, and its `filter[email]` matches the
/// same way; a Rails app on PostgreSQL lowers text with Unicode rules, so `Émile@…` and
/// `émile@…` are one address there [U: not stated in Teamtailor's docs].
pub fn same_email(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}
