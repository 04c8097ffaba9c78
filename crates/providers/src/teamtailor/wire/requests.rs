//! Attributes of the Teamtailor resources we write, kebab-case as the API
//! takes them, each sent in a JSON:API write document
//! ([`super::WriteDocument`]). Absent optional members are not sent.

use serde::Serialize;
use serde_json::Value;

/// Candidate attributes we write; absent members are not sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CandidateWrite {
    /// Email (create only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Pitch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch: Option<String>,
    /// LinkedIn URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkedin_url: Option<String>,
    /// Tags (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Opt-out flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsubscribed: Option<bool>,
    /// Write-only: merge into an existing candidate with the same email instead of failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<bool>,
}

/// `POST /v1/job-applications`: a sourced application that notifies nobody.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct JobApplicationCreate {
    /// Added by a recruiter rather than applying.
    pub sourced: bool,
    /// Whether the job's team is notified.
    pub send_user_notifications: bool,
    /// Whether the candidate gets the job's default reply.
    pub send_default_reply: bool,
}

/// `POST /v1/notes`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteCreate {
    /// The text.
    pub note: String,
    /// A private note, seen by its author only (the one note type Teamtailor has; sent only when set).
    #[serde(rename = "private-note", skip_serializing_if = "std::ops::Not::not")]
    pub private_note: bool,
}

/// `POST`/`PATCH /v1/custom-field-values`; the value's JSON type follows the field's type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomFieldValueWrite {
    /// The value.
    pub value: Value,
}

/// `POST /v1/uploads`: Teamtailor fetches the file from `url`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct UploadCreate {
    /// A public URL of the file.
    pub url: String,
    /// The name it is shown under.
    pub file_name: String,
    /// Only visible to the company.
    pub internal: bool,
}
