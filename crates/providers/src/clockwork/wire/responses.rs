//! Response types, read leniently: REST bodies are camelCase (`projectId`,
//! `stoplightStatus`, `personPositions`), ids are UUID strings (v1 used
//! integers, so numbers are accepted too), every field but `id` may be
//! missing, and unknown fields are ignored.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn text_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(text_id(d)?).filter(|s| !s.is_empty()))
}

fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A person (`[S]` field names from CW-PD writes, community reads and the v1 sample of CW-ZAP;
/// that v3 still embeds the collections is `[U]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Person {
    /// UUID.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Full name.
    pub name: Option<String>,
    /// Given name, when sent (`[U]`).
    pub first_name: Option<String>,
    /// Family name, when sent (`[U]`).
    pub last_name: Option<String>,
    /// Nickname.
    pub nick_name: Option<String>,
    /// Primary email (`[S]` community search results).
    pub preferred_email_address: Option<String>,
    /// Every email (`[U]`).
    pub email_addresses: Option<Vec<EmailAddress>>,
    /// Phones (`[U]`).
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// LinkedIn profiles (`[U]`).
    pub linkedin_urls: Option<Vec<LinkedinUrl>>,
    /// Tags (`[S]` `[{name}]`).
    pub tags: Option<Vec<Tag>>,
    /// Addresses (`[S]` community read shape `addresses[{id, city, state, formattedAddress}]`).
    pub addresses: Option<Vec<Address>>,
    /// Web sites and social profiles other than LinkedIn (`[U]`).
    pub web_sites: Option<Vec<WebSite>>,
    /// Custom field values (`[U]`).
    pub custom_field_values: Option<Vec<CustomFieldValue>>,
    /// Do Not Contact (`[S]`); the closest thing to off-limits found.
    pub do_not_contact: Option<bool>,
    /// Unwilling to relocate.
    pub no_relocation: Option<bool>,
    /// Biography.
    pub biography: Option<String>,
    /// Assistant's name.
    pub assistant_name: Option<String>,
    /// Skype name.
    pub skype_name: Option<String>,
    /// Creation time (RFC 3339 in v3 samples, unix seconds in v1; `[S]`).
    pub created_at: Option<Value>,
    /// Last change.
    pub updated_at: Option<String>,
}

/// An email of a person (`personEmailAddress`; v1 sample `{id, address, location, isPreferred}`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EmailAddress {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// The address.
    pub address: Option<String>,
    /// Its type (`home`, `work`, `other`).
    pub location: Option<String>,
    /// The primary address.
    pub is_preferred: Option<bool>,
}

/// A phone number (`personPhoneNumber`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PhoneNumber {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// The digits.
    pub digits: Option<String>,
    /// Extension.
    pub extension: Option<String>,
    /// Its type.
    pub location: Option<String>,
}

/// A LinkedIn profile (`personLinkedinUrl`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LinkedinUrl {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Profile URL.
    pub url: Option<String>,
}

/// A firm tag (`GET /tags` items, `[S]` `{id, name}`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Tag {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Name.
    pub name: Option<String>,
}

/// A company reference inside a position.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CompanyRef {
    /// Id.
    #[serde(deserialize_with = "opt_id")]
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
}

/// A role (`personPositions` items, `[S]` community: `title`, `company{name}`, `isCurrent`, months/years).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Position {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Job title.
    pub title: Option<String>,
    /// Employer.
    pub company: Option<CompanyRef>,
    /// Employer name, as written (`[U]` on reads).
    pub company_name: Option<String>,
    /// Current role.
    pub is_current: Option<bool>,
    /// Start month.
    #[serde(deserialize_with = "opt_int")]
    pub start_month: Option<i64>,
    /// Start year.
    #[serde(deserialize_with = "opt_int")]
    pub start_year: Option<i64>,
    /// End month.
    #[serde(deserialize_with = "opt_int")]
    pub end_month: Option<i64>,
    /// End year.
    #[serde(deserialize_with = "opt_int")]
    pub end_year: Option<i64>,
}

/// A school (`personEducations` items, `[U]`: named and cased like positions).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Education {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// School name.
    pub school_name: Option<String>,
    /// Degree.
    pub degree: Option<String>,
    /// Field of study.
    pub field_of_study: Option<String>,
    /// Start month.
    #[serde(deserialize_with = "opt_int")]
    pub start_month: Option<i64>,
    /// Start year.
    #[serde(deserialize_with = "opt_int")]
    pub start_year: Option<i64>,
    /// End month.
    #[serde(deserialize_with = "opt_int")]
    pub end_month: Option<i64>,
    /// End year.
    #[serde(deserialize_with = "opt_int")]
    pub end_year: Option<i64>,
}

/// A note (`GET /people/{id}/notes` items; fields `[U]` beyond id and content).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Note {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Content (HTML).
    pub content: Option<String>,
    /// Note type.
    pub category: Option<String>,
    /// Creation time.
    pub created_at: Option<String>,
}

/// A project (`projects` items; `status` as free text is `[U]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Project {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Project status (Active, Pitch, On Hold, Closed, ...).
    pub status: Option<String>,
    /// Retained, Contingency, ...
    pub project_type: Option<String>,
}

/// A candidate status (`statuses` items, `[U]` shape).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Status {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Research, Potential Candidate, Pursuing, ...
    pub name: Option<String>,
    /// Order in the firm's list.
    #[serde(deserialize_with = "opt_int")]
    pub sort_order: Option<i64>,
}

/// A person on a project (`[S]` `{id, projectId, rank, stoplightStatus, person}`; `personId`, `statusId` `[U]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Candidacy {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Project.
    #[serde(deserialize_with = "opt_id")]
    pub project_id: Option<String>,
    /// Person.
    #[serde(deserialize_with = "opt_id")]
    pub person_id: Option<String>,
    /// Candidate status.
    #[serde(deserialize_with = "opt_id")]
    pub status_id: Option<String>,
    /// Rank in the project.
    #[serde(deserialize_with = "opt_int")]
    pub rank: Option<i64>,
    /// `red`, `yellow`, `green`.
    pub stoplight_status: Option<String>,
    /// The person, with `include=person`.
    pub person: Option<Person>,
}

impl Candidacy {
    /// The person's id, from `personId` or the included person.
    pub fn person_ref(&self) -> Option<&str> {
        self.person_id.as_deref().or(self.person.as_ref().map(|p| p.id.as_str())).filter(|s| !s.is_empty())
    }
}

fn find<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let inner = value.get("data").unwrap_or(value);
    inner.get(key).or_else(|| value.get(key))
}

/// One record from a body `{"<key>": {...}}`, `{"data": {"<key>": {...}}}` (v1) or the bare
/// record (the create-person answer is read as top-level `id`, `[S]`).
pub fn one<T: serde::de::DeserializeOwned>(value: &Value, key: &str) -> Option<T> {
    let record = find(value, key).filter(|v| v.is_object()).unwrap_or(value);
    record.get("id")?;
    serde_json::from_value(record.clone()).ok()
}

/// The records of a listing `{"<key>": [...]}`, `{"data": {"<key>": [...]}}` or v1's
/// `{"data": {"<key>": {"records": [...]}}}`; `None` when the body has no such list.
pub fn many<T: serde::de::DeserializeOwned>(value: &Value, key: &str) -> Option<Vec<T>> {
    let list = find(value, key)?;
    let list = list.get("records").unwrap_or(list).as_array()?;
    Some(list.iter().filter_map(|v| serde_json::from_value(v.clone()).ok()).collect())
}

/// How many records a listing holds, parsed or not.
pub fn count(value: &Value, key: &str) -> Option<usize> {
    let list = find(value, key)?;
    Some(list.get("records").unwrap_or(list).as_array()?.len())
}

/// `meta.total`, when the listing reports one (`[U]`; one community client reads it on search).
pub fn total(value: &Value) -> Option<u64> {
    value.get("meta")?.get("total")?.as_u64()
}

/// An address of a person (`personAddress`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Address {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// The whole address as one line (`[S]` community read shape).
    pub formatted_address: Option<String>,
}

/// A web site or social profile of a person (`personWebSite`, `[U]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct WebSite {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Its URL.
    pub url: Option<String>,
    /// Its kind (the social network).
    pub location: Option<String>,
}

/// A custom field value of a person (`[U]`): a string, an option id or a list of option ids.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomFieldValue {
    /// The field.
    #[serde(deserialize_with = "text_id")]
    pub custom_field_id: String,
    /// The value.
    pub value: Value,
}

/// A custom field definition (`GET /custom_fields` items, `[U]`): types as the support site
/// names them (Text, Single Select, Multiple Select) in snake case.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomFieldDef {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Label.
    pub name: Option<String>,
    /// `text`, `single_select`, `multi_select`.
    pub field_type: Option<String>,
    /// `person` or `company`.
    pub object_type: Option<String>,
    /// Options of a select, in order.
    pub options: Vec<CustomFieldChoice>,
}

/// One option of a select custom field (`[U]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CustomFieldChoice {
    /// Id.
    #[serde(deserialize_with = "text_id")]
    pub id: String,
    /// Label.
    pub value: Option<String>,
}
