//! Attributes of the Teamtailor resources we read, kebab-case as the API
//! serves them; every member is optional so new or missing attributes never
//! break parsing. Names follow `shared/fixtures/teamtailor` and the legacy docs.

use super::jsonapi::{Resource, opt_id_text};
use serde::Deserialize;
use serde_json::Value;

/// A candidate's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CandidateAttributes {
    /// Unique email.
    pub email: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Short pitch (140 chars).
    pub pitch: Option<String>,
    /// LinkedIn profile URL.
    pub linkedin_url: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Opted out of job notifications.
    pub unsubscribed: Option<bool>,
    /// Connected to the company.
    pub connected: Option<bool>,
    /// Added by a recruiter rather than applying.
    pub sourced: Option<bool>,
    /// Referred by an employee.
    pub referred: Option<bool>,
    /// Internal candidate.
    pub internal: Option<bool>,
    /// Where they came from.
    pub referring_site: Option<String>,
    /// Referring URL.
    pub referring_url: Option<String>,
    /// Resume URL.
    pub resume: Option<String>,
    /// Picture URL.
    pub picture: Option<Value>,
    /// Creation time.
    pub created_at: Option<String>,
    /// Update time.
    pub updated_at: Option<String>,
}

/// A job's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct JobAttributes {
    /// Title.
    pub title: Option<String>,
    /// `open`, `draft`, `archived`, `unlisted`, `temp`.
    pub status: Option<String>,
    /// `published`, `unlisted`, `archived`, `expired`, `draft`, `scheduled`, `unsaved`.
    pub human_status: Option<String>,
    /// Internal job.
    pub internal: Option<bool>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Body HTML.
    pub body: Option<String>,
    /// Pitch.
    pub pitch: Option<String>,
    /// Creation time.
    pub created_at: Option<String>,
}

/// A stage's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct StageAttributes {
    /// Name.
    pub name: Option<String>,
    /// `Inbox`, `In process`, `Hired`.
    pub stage_type: Option<String>,
    /// Order within the job.
    pub row_order: Option<i64>,
    /// Active applications.
    pub active_job_applications_count: Option<i64>,
    /// Rejected applications.
    pub rejected_job_applications_count: Option<i64>,
}

/// A job application's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct JobApplicationAttributes {
    /// Cover letter.
    pub cover_letter: Option<String>,
    /// Sourced by a recruiter.
    pub sourced: Option<bool>,
    /// Non-null when rejected.
    pub rejected_at: Option<String>,
    /// Last stage change.
    pub changed_stage_at: Option<String>,
    /// Referring site.
    pub referring_site: Option<String>,
    /// Referring URL.
    pub referring_url: Option<String>,
    /// Creation time.
    pub created_at: Option<String>,
    /// Update time.
    pub updated_at: Option<String>,
}

/// A note's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct NoteAttributes {
    /// Text.
    pub note: Option<String>,
    /// Candidate.
    #[serde(deserialize_with = "opt_id_text")]
    pub candidate_id: Option<String>,
    /// Author.
    #[serde(deserialize_with = "opt_id_text")]
    pub user_id: Option<String>,
    /// Written by an automation.
    pub created_by_trigger: Option<bool>,
    /// Private note.
    pub private_note: Option<bool>,
    /// Creation time.
    pub created_at: Option<String>,
}

/// A custom field definition's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CustomFieldAttributes {
    /// Sanitised key.
    pub api_name: Option<String>,
    /// Label.
    pub name: Option<String>,
    /// `CustomField::Text`, `::Email`, `::Url`, `::Phone`, `::Date`, `::Checkbox`, `::Number`, `::Select`, `::MultiSelect`.
    pub field_type: Option<String>,
    /// Creation time.
    pub created_at: Option<String>,
    /// Update time.
    pub updated_at: Option<String>,
}

/// A select option's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CustomFieldOptionAttributes {
    /// The option's label.
    pub value: Option<String>,
}

/// A custom field value's attributes; `value` is a string, bool, number or id list by field type.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CustomFieldValueAttributes {
    /// The field's type.
    pub field_type: Option<String>,
    /// The value.
    pub value: Value,
}

/// A user's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct UserAttributes {
    /// Display name.
    pub name: Option<String>,
    /// Public email (null when hidden).
    pub email: Option<String>,
    /// Login email.
    pub login_email: Option<String>,
    /// `admin`, `recruiter`, `user`, ...
    pub role: Option<String>,
    /// Username.
    pub username: Option<String>,
}

/// An upload's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct UploadAttributes {
    /// Signed download URL.
    pub url: Option<String>,
    /// File name.
    pub file_name: Option<String>,
    /// Only visible to the company.
    pub internal: Option<bool>,
}

/// A department's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct DepartmentAttributes {
    /// Name.
    pub name: Option<String>,
    /// Order.
    pub row_order: Option<i64>,
}

/// A location's attributes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct LocationAttributes {
    /// Name.
    pub name: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Headquarters flag.
    pub headquarters: Option<bool>,
}

/// A candidate.
pub type Candidate = Resource<CandidateAttributes>;
/// A job.
pub type Job = Resource<JobAttributes>;
/// A stage.
pub type Stage = Resource<StageAttributes>;
/// A job application.
pub type JobApplication = Resource<JobApplicationAttributes>;
/// A note.
pub type Note = Resource<NoteAttributes>;
/// A custom field definition.
pub type CustomFieldDef = Resource<CustomFieldAttributes>;
/// A select option.
pub type CustomFieldOption = Resource<CustomFieldOptionAttributes>;
/// A custom field value.
pub type CustomFieldValue = Resource<CustomFieldValueAttributes>;
/// A user.
pub type User = Resource<UserAttributes>;
/// An upload.
pub type Upload = Resource<UploadAttributes>;
