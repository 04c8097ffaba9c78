//! Bodies of `/v1/contacts`: the contact itself, its sync state per connection and its sync log.

use super::common::{FreeForm, Provider, TargetObject};
use hiresync_core::Employment;
use hiresync_core::decision::SyncOverride;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The contact's own say over syncing (SPEC S3).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncOverrideName {
    /// Sync whatever the trigger and sequence say.
    Sync,
    /// Never sync.
    DontSync,
}

impl From<SyncOverride> for SyncOverrideName {
    fn from(o: SyncOverride) -> Self {
        match o {
            SyncOverride::Sync => Self::Sync,
            SyncOverride::DontSync => Self::DontSync,
        }
    }
}

/// One role in a contact's work history.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "{company, title, start, end}")]
pub struct EmploymentObject {
    /// Employer.
    pub company: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Start, a date or a year-month.
    pub start: Option<String>,
    /// End; null while current.
    pub end: Option<String>,
}

impl From<Employment> for EmploymentObject {
    fn from(e: Employment) -> Self {
        Self { company: e.company, title: e.title, start: e.start, end: e.end }
    }
}

/// A contact of the outreach app, created or replaced whole. Texts are at most 1000 characters.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a contact object")]
#[schema(example = json!({"emails": ["ada@example.com"], "first_name": "Ada", "last_name": "Lovelace",
    "company": "Analytical Engines", "title": "CTO", "location": "London", "phones": ["+44 20 7946 0000"],
    "social": {"linkedin": "https://linkedin.com/in/ada"}, "source": "LinkedIn",
    "employment": [{"company": "Analytical Engines", "title": "CTO", "start": "1842-01", "end": null}],
    "education": [{"school": "Home", "degree": "Mathematics"}], "variables": {"github": "ada"},
    "sync_override": null, "sync_tags": ["rust"], "field_values": {"salary_expectation": "100k"}}))]
pub struct ContactIn {
    /// Email addresses, the first being the primary one.
    pub emails: Option<Vec<String>>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Current employer.
    pub company: Option<String>,
    /// Current title.
    pub title: Option<String>,
    /// Free-text location.
    pub location: Option<String>,
    /// Phone numbers.
    pub phones: Option<Vec<String>>,
    /// Social profile URLs by network (`linkedin`, `github`, ...).
    pub social: Option<BTreeMap<String, Option<String>>>,
    /// Where the contact came from.
    pub source: Option<String>,
    /// Work history, most recent first.
    pub employment: Option<Vec<EmploymentObject>>,
    /// Education, kept as given: `{school, degree, start, end}` objects or school names.
    pub education: Option<Vec<Value>>,
    /// The outreach app's custom variables.
    pub variables: Option<FreeForm>,
    /// The contact's own sync override; null for none.
    pub sync_override: Option<SyncOverrideName>,
    /// Tags pushed with the person.
    pub sync_tags: Option<Vec<String>>,
    /// Values for the connections' displayed provider fields, by field key; checked against
    /// each field's type and options.
    pub field_values: Option<FreeForm>,
}

impl ContactIn {
    /// The contact as JSON, for core's checks ([`hiresync_core::ContactIn::parse`]).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// A contact as stored: emails normalised, texts trimmed.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"external_id": "c-1", "emails": ["ada@example.com"], "first_name": "Ada",
    "last_name": "Lovelace", "company": "Analytical Engines", "title": "CTO", "location": "London",
    "phones": [], "social": {}, "source": null, "employment": [], "education": [], "variables": {},
    "sync_override": null, "sync_tags": [], "field_values": {}}))]
pub struct ContactOut {
    /// The outreach app's id for it.
    pub external_id: String,
    /// Email addresses, normalised, the first being the primary one.
    pub emails: Vec<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Current employer.
    pub company: Option<String>,
    /// Current title.
    pub title: Option<String>,
    /// Free-text location.
    pub location: Option<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
    /// Social profile URLs by network.
    pub social: BTreeMap<String, String>,
    /// Where the contact came from.
    pub source: Option<String>,
    /// Work history, most recent first.
    pub employment: Vec<EmploymentObject>,
    /// Education, kept as given.
    pub education: Vec<Value>,
    /// The outreach app's custom variables.
    pub variables: FreeForm,
    /// The contact's own sync override.
    pub sync_override: Option<SyncOverrideName>,
    /// Tags pushed with the person.
    pub sync_tags: Vec<String>,
    /// Values for displayed provider fields.
    pub field_values: FreeForm,
}

impl ContactOut {
    /// The validated contact under its external id.
    pub fn new(external_id: String, c: hiresync_core::ContactIn) -> Self {
        Self {
            external_id,
            emails: c.emails,
            first_name: c.first_name,
            last_name: c.last_name,
            company: c.company,
            title: c.title,
            location: c.location,
            phones: c.phones,
            social: c.social,
            source: c.source,
            employment: c.employment.into_iter().map(Into::into).collect(),
            education: c.education,
            variables: FreeForm(c.variables),
            sync_override: c.sync_override.map(Into::into),
            sync_tags: c.sync_tags,
            field_values: FreeForm(c.field_values),
        }
    }
}

/// Where a contact stands with one connection.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncStateName {
    /// Decided, its job not done yet.
    Pending,
    /// In the provider.
    Synced,
    /// Not synced, for the reason given.
    Skipped,
    /// Its job failed for good.
    Failed,
}

/// A contact's sync state with one connection (SPEC L2).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "provider": "greenhouse",
    "state": "synced", "reason": null, "person_id": "4471", "person_url": "https://app.greenhouse.io/people/4471",
    "open_label": "Open in Greenhouse", "target": {"job_id": 4012, "stage_id": 7}, "errors": ["Exists in Greenhouse"]}))]
pub struct SyncOut {
    /// The connection.
    pub connection_id: String,
    /// Its provider.
    pub provider: Option<Provider>,
    /// Where the contact stands.
    #[schema(value_type = SyncStateName)]
    pub state: String,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    /// The person's id in the provider.
    pub person_id: Option<String>,
    /// Link to the person in the provider's web app.
    pub person_url: Option<String>,
    /// The link's label ("Open in Greenhouse").
    pub open_label: Option<String>,
    /// The target the person was put on.
    #[schema(value_type = Option<TargetObject>)]
    pub target: Option<Value>,
    /// Warnings such as "Exists in Greenhouse".
    pub errors: Vec<String>,
}

/// Paging of a contact's sync log.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// At most this many entries (1 to 1000, default 200).
    pub limit: Option<i64>,
}

/// One provider call made for a contact (SPEC L4).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"at": "2026-11-02T09:00:03+00:00", "connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i",
    "provider": "greenhouse", "job_id": 118, "operation": "create person", "outcome": "ok", "detail": null}))]
pub struct LogEntryOut {
    /// When (RFC 3339).
    pub at: Option<String>,
    /// The connection called through.
    pub connection_id: Option<String>,
    /// Its provider.
    pub provider: Option<Provider>,
    /// The job that made the call; a failed one can be retried with `POST /v1/jobs/{id}/retry`.
    pub job_id: Option<i64>,
    /// What was done (`lookup person`, `create person`, `write note`).
    pub operation: String,
    /// `ok`, `skipped`, `retry` or `failed`.
    pub outcome: String,
    /// The provider's message or our note.
    pub detail: Option<String>,
}

/// Which connection to preview a sync to.
#[derive(Debug, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The connection (required): one the caller may sync through.
    pub connection_id: Option<String>,
}

/// What a sync would do with the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreviewAction {
    /// Create a person.
    Create,
    /// Write on the person the provider already holds for the contact.
    Link,
    /// Write nothing, for the reason given.
    Skip,
}

#[cfg(feature = "server")]
impl From<hiresync_engine::preview::Action> for PreviewAction {
    fn from(a: hiresync_engine::preview::Action) -> Self {
        use hiresync_engine::preview::Action;
        match a {
            Action::Create => Self::Create,
            Action::Link => Self::Link,
            Action::Skip => Self::Skip,
        }
    }
}

/// A person's fields as a sync would write them, already mapped for the provider.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct PreviewPerson {
    /// Emails, the first being the primary one.
    pub emails: Vec<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Current employer.
    pub company: Option<String>,
    /// Current title.
    pub title: Option<String>,
    /// Free-text location.
    pub location: Option<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
    /// Social profile URLs by network.
    pub social: BTreeMap<String, String>,
    /// Provider fields (custom or standard) by provider field name.
    pub fields: FreeForm,
    /// Fields of the person's company by provider field name.
    pub company_fields: FreeForm,
    /// Work history written, most recent first.
    pub employment: Vec<EmploymentObject>,
    /// Education written: `{school, degree, field, start, end}` objects.
    pub education: Vec<Value>,
}

impl From<hiresync_core::PersonDraft> for PreviewPerson {
    fn from(d: hiresync_core::PersonDraft) -> Self {
        Self {
            emails: d.emails,
            first_name: d.first_name,
            last_name: d.last_name,
            company: d.company,
            title: d.title,
            location: d.location,
            phones: d.phones,
            social: d.social,
            fields: FreeForm(d.fields.into_iter().collect()),
            company_fields: FreeForm(d.company_fields.into_iter().collect()),
            employment: d.employment.into_iter().map(Into::into).collect(),
            education: d.education.iter().filter_map(|e| serde_json::to_value(e).ok()).collect(),
        }
    }
}

/// A note a sync would write.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct PreviewNote {
    /// The outreach event it records (`message_sent`, `reply_received`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its subject, when it has one.
    pub subject: Option<String>,
}

/// What a sync of the contact to the connection would write now, found by the sync's own steps
/// without storing anything or writing to the provider.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"action": "create", "reason": null, "person": {"emails": ["ada@example.com"],
    "first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines", "title": "CTO",
    "location": "London", "phones": [], "social": {}, "fields": {}, "company_fields": {},
    "employment": [{"company": "Analytical Engines", "title": "CTO", "start": "1842-01", "end": null}],
    "education": []}, "target": {"job_id": 4012, "stage_id": 7}, "tags": ["rust"], "stage": null,
    "notes": [{"type": "message_sent", "subject": "Hello"}], "errors": []}))]
pub struct PreviewOut {
    /// What it would do with the person.
    pub action: PreviewAction,
    /// Why it would write nothing (missing mandatory fields, no email, "don't sync", already synced).
    pub reason: Option<String>,
    /// The fields it would create the person with, or write on the person found.
    pub person: Option<PreviewPerson>,
    /// Where it would place the person.
    pub target: Option<TargetObject>,
    /// Tags it would add to the person.
    pub tags: Vec<String>,
    /// The stage it would move the person's placement to.
    pub stage: Option<String>,
    /// Notes it would write, in order.
    pub notes: Vec<PreviewNote>,
    /// Warnings it would record ("Exists in Greenhouse").
    pub errors: Vec<String>,
}

#[cfg(feature = "server")]
impl From<hiresync_engine::preview::Preview> for PreviewOut {
    fn from(p: hiresync_engine::preview::Preview) -> Self {
        Self {
            action: p.action.into(),
            reason: p.reason,
            person: p.person.map(Into::into),
            target: p.target.as_ref().map(Into::into),
            tags: p.tags,
            stage: p.stage,
            notes: p.notes.into_iter().map(|n| PreviewNote { kind: n.outreach_type, subject: n.subject }).collect(),
            errors: p.errors,
        }
    }
}
