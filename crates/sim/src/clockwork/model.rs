//! The simulator's in-memory Clockwork firm: one table per resource, rows
//! serialising in Clockwork's REST casing (camelCase, UUID string ids).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A per-user API key and its secret.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    /// Key.
    pub api_key: String,
    /// Secret.
    pub api_secret: String,
}

/// A person record (`/people`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Person {
    /// UUID.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Nickname.
    pub nick_name: Option<String>,
    /// Biography.
    pub biography: Option<String>,
    /// Assistant's name.
    pub assistant_name: Option<String>,
    /// Skype name.
    pub skype_name: Option<String>,
    /// Do Not Contact.
    pub do_not_contact: bool,
    /// Unwilling to relocate.
    pub no_relocation: bool,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
}

/// An email of a person.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EmailAddress {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// The address.
    pub address: String,
    /// `home`, `work`, `other`.
    pub location: Option<String>,
    /// The primary address (the first one added).
    pub is_preferred: bool,
    /// Creation time.
    pub created_at: String,
}

/// A phone number of a person.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PhoneNumber {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// Digits as given.
    pub digits: String,
    /// Extension.
    pub extension: Option<String>,
    /// Type.
    pub location: Option<String>,
    /// Creation time.
    pub created_at: String,
}

/// A LinkedIn profile of a person.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LinkedinUrl {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// Profile URL.
    pub url: String,
    /// Creation time.
    pub created_at: String,
}

/// An address of a person (`/people/{id}/addresses`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Address {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// Street.
    pub street: Option<String>,
    /// City.
    pub city: String,
    /// State or region.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Address type.
    pub location: Option<String>,
    /// The parts on one line.
    pub formatted_address: String,
}

/// A web site or social profile of a person (`/people/{id}/web_sites`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WebSite {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// URL.
    pub url: String,
    /// Kind (the network).
    pub location: Option<String>,
}

/// A firm custom field (`/custom_fields`): `text`, `single_select` or `multi_select`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomField {
    /// UUID.
    pub id: String,
    /// Label.
    pub name: String,
    /// `text`, `single_select`, `multi_select`.
    pub field_type: String,
    /// `person` or `company`.
    pub object_type: String,
    /// Options of a select.
    pub options: Vec<CustomFieldOption>,
}

/// An option of a select custom field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomFieldOption {
    /// UUID.
    pub id: String,
    /// Label.
    pub value: String,
}

/// A person's value of a custom field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomFieldValue {
    /// Person.
    pub person_id: String,
    /// Field.
    pub custom_field_id: String,
    /// A string, an option id or option ids.
    pub value: serde_json::Value,
}

/// A firm tag (`/tags`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Tag {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A tag on a person.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PersonTag {
    /// UUID.
    pub id: String,
    /// Person.
    pub person_id: String,
    /// Tag.
    pub tag_id: String,
}

/// A role of a person (`/people/{id}/positions`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Position {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// Job title.
    pub title: Option<String>,
    /// Employer name.
    pub company_name: Option<String>,
    /// Start month.
    pub start_month: Option<i64>,
    /// Start year.
    pub start_year: Option<i64>,
    /// End month.
    pub end_month: Option<i64>,
    /// End year.
    pub end_year: Option<i64>,
    /// Current role (no end).
    pub is_current: bool,
    /// Creation time.
    pub created_at: String,
}

/// A school of a person (`/people/{id}/educations`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Education {
    /// UUID.
    pub id: String,
    /// Owner.
    pub person_id: String,
    /// School name.
    pub school_name: String,
    /// Degree.
    pub degree: Option<String>,
    /// Field of study.
    pub field_of_study: Option<String>,
    /// Start month.
    pub start_month: Option<i64>,
    /// Start year.
    pub start_year: Option<i64>,
    /// End month.
    pub end_month: Option<i64>,
    /// End year.
    pub end_year: Option<i64>,
    /// Creation time.
    pub created_at: String,
}

/// A note on a person record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Note {
    /// UUID.
    pub id: String,
    /// Person.
    pub person_id: String,
    /// Content.
    pub content: String,
    /// `text/html` or `text/plain`.
    pub content_type: String,
    /// Note type.
    pub category: Option<String>,
    /// Creation time.
    pub created_at: String,
}

/// A project (`/projects`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Project {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Active, Pitch, On Hold, Closed, ...
    pub status: String,
    /// Retained, Contingency, ...
    pub project_type: Option<String>,
}

/// A candidate status (`/statuses`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Status {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Order.
    pub sort_order: i64,
}

/// A person on a project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Candidacy {
    /// UUID.
    pub id: String,
    /// Project.
    pub project_id: String,
    /// Person.
    pub person_id: String,
    /// Candidate status.
    pub status_id: Option<String>,
    /// Rank in the project.
    pub rank: i64,
    /// `red`, `yellow`, `green`.
    pub stoplight_status: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Update time.
    pub updated_at: String,
}

/// A webhook registered through `POST /webhooks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Hook {
    /// UUID.
    pub id: String,
    /// Receiver URL.
    pub hook_url: String,
}

/// Everything the simulated firm holds; tables are keyed by id, and ids sort by creation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClockworkState {
    /// The firm's subdomain, the `{firm}` path segment.
    pub firm: String,
    /// API keys with their secrets.
    pub api_keys: Vec<ApiKey>,
    /// Firm service keys accepted in `X-API-Key`.
    pub firm_service_keys: Vec<String>,
    /// People.
    pub people: BTreeMap<String, Person>,
    /// Emails.
    pub emails: BTreeMap<String, EmailAddress>,
    /// Phones.
    pub phones: BTreeMap<String, PhoneNumber>,
    /// LinkedIn profiles.
    pub linkedin_urls: BTreeMap<String, LinkedinUrl>,
    /// Addresses.
    pub addresses: BTreeMap<String, Address>,
    /// Web sites and social profiles.
    pub web_sites: BTreeMap<String, WebSite>,
    /// Custom field definitions.
    pub custom_fields: BTreeMap<String, CustomField>,
    /// Custom field values by `(person id, field id)`.
    pub custom_field_values: BTreeMap<String, CustomFieldValue>,
    /// Firm tags.
    pub tags: BTreeMap<String, Tag>,
    /// Tags on people.
    pub person_tags: BTreeMap<String, PersonTag>,
    /// Roles.
    pub positions: BTreeMap<String, Position>,
    /// Schools.
    pub educations: BTreeMap<String, Education>,
    /// Notes.
    pub notes: BTreeMap<String, Note>,
    /// Projects.
    pub projects: BTreeMap<String, Project>,
    /// Candidate statuses.
    pub statuses: BTreeMap<String, Status>,
    /// Candidacies.
    pub candidacies: BTreeMap<String, Candidacy>,
    /// Registered webhooks.
    pub hooks: BTreeMap<String, Hook>,
    /// Ids handed out so far; the counter leads each UUID so tables list in creation order.
    pub last_id: u64,
}

impl ClockworkState {
    /// A fresh UUID-shaped id whose first group counts up.
    pub fn next_id(&mut self) -> String {
        self.last_id += 1;
        let r = rand::random::<u128>();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            self.last_id,
            r & 0xffff,
            (r >> 16) & 0xfff,
            8 + ((r >> 28) & 0x3),
            (r >> 30) & 0xfff,
            (r >> 42) & 0xffff_ffff_ffff
        )
    }

    /// Emails of a person, the preferred first.
    pub fn emails_of(&self, person_id: &str) -> Vec<&EmailAddress> {
        let mut out: Vec<&EmailAddress> = self.emails.values().filter(|e| e.person_id == person_id).collect();
        out.sort_by_key(|e| !e.is_preferred);
        out
    }

    /// A person's custom field values.
    pub fn custom_values_of(&self, person_id: &str) -> Vec<&CustomFieldValue> {
        self.custom_field_values.values().filter(|v| v.person_id == person_id).collect()
    }

    /// The tags a person carries.
    pub fn tags_of(&self, person_id: &str) -> Vec<(&PersonTag, &Tag)> {
        self.person_tags
            .values()
            .filter(|pt| pt.person_id == person_id)
            .filter_map(|pt| self.tags.get(&pt.tag_id).map(|t| (pt, t)))
            .collect()
    }

    /// The tag with this name (case-insensitive).
    pub fn tag_named(&self, name: &str) -> Option<&Tag> {
        self.tags.values().find(|t| t.name.eq_ignore_ascii_case(name.trim()))
    }

    /// People holding this email (exact, case-insensitive).
    pub fn people_with_email(&self, email: &str) -> Vec<&Person> {
        let owners: Vec<&str> = self
            .emails
            .values()
            .filter(|e| e.address.eq_ignore_ascii_case(email.trim()))
            .map(|e| e.person_id.as_str())
            .collect();
        self.people.values().filter(|p| owners.contains(&p.id.as_str())).collect()
    }
}

/// Now as Clockwork formats timestamps (`2023-10-02T15:52:27Z`).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
