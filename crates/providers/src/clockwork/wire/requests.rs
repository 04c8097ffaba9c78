//! Request bodies exactly as Clockwork is believed to take them: each wrapped
//! in one object key, with the mixed casing Pipedream sends (`nickName` but
//! `tag_names`; `startMonth`; `phone_number.digits`).

use serde::Serialize;

/// `{"person": {...}}` for `POST /people` (`[S]` CW-PD) and `PATCH /people/{id}` (`[U]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PersonBody {
    /// The person's fields.
    pub person: PersonFields,
}

/// Person fields; absent ones are not sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PersonFields {
    /// Full name; Clockwork takes one name, not first/last (`[S]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Nickname (`[S]`).
    #[serde(rename = "nickName", skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    /// Biography (`[S]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biography: Option<String>,
    /// Assistant's name (`[S]`).
    #[serde(rename = "assistantName", skip_serializing_if = "Option::is_none")]
    pub assistant_name: Option<String>,
    /// Skype name (`[S]`).
    #[serde(rename = "skypeName", skip_serializing_if = "Option::is_none")]
    pub skype_name: Option<String>,
    /// Unwilling to relocate (`[S]`).
    #[serde(rename = "noRelocation", skip_serializing_if = "Option::is_none")]
    pub no_relocation: Option<bool>,
    /// Tags by name, created when unknown (`[S]` on create; adding-not-replacing on PATCH is `[U]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tag_names: Vec<String>,
}

/// `{"email": {"address", "location"}}` (`[S]` CW-PD add-person-email).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmailBody {
    /// The address.
    pub email: EmailFields,
}

/// One email.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmailFields {
    /// The address.
    pub address: String,
    /// Its type: `home`, `work`, `other` (`[S]` v1 sample; the same in v3 is `[U]`).
    pub location: String,
}

/// `{"phone_number": {"digits", "location"}}` (`[S]` CW-PD add-person-phone-number; its optional
/// `extension` is not sent).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhoneBody {
    /// The number.
    pub phone_number: PhoneFields,
}

/// One phone number.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhoneFields {
    /// The digits as given.
    pub digits: String,
    /// Its type: `mobile`, `home`, `work`, `other` (`[S]` v1 fields; `[U]` in v3).
    pub location: String,
}

/// `{"linkedin_url": {"url"}}` (`[S]` CW-PD add-person-linkedin).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkedinBody {
    /// The profile.
    pub linkedin_url: LinkedinFields,
}

/// One LinkedIn profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkedinFields {
    /// Profile URL.
    pub url: String,
}

/// `{"person_tag": {"tag_id"}}` (`[S]` CW-PD add-person-tag).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonTagBody {
    /// The tag.
    pub person_tag: PersonTagFields,
}

/// A tag reference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonTagFields {
    /// Tag id.
    pub tag_id: String,
}

/// `{"position": {"title", "startMonth", "startYear", "endMonth", "endYear", "companyName"}}`
/// (`[S]` CW-PD add-person-position); an open end means a current role (`[U]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionBody {
    /// The role.
    pub position: PositionFields,
}

/// One role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PositionFields {
    /// Job title; a current role known only by its company has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Employer name; Clockwork links or creates the company (`[S]`).
    #[serde(rename = "companyName")]
    pub company_name: String,
    /// Start month 1–12.
    #[serde(rename = "startMonth", skip_serializing_if = "Option::is_none")]
    pub start_month: Option<u32>,
    /// Start year.
    #[serde(rename = "startYear", skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i32>,
    /// End month 1–12.
    #[serde(rename = "endMonth", skip_serializing_if = "Option::is_none")]
    pub end_month: Option<u32>,
    /// End year.
    #[serde(rename = "endYear", skip_serializing_if = "Option::is_none")]
    pub end_year: Option<i32>,
}

/// `{"education": {"schoolName", "degree", "fieldOfStudy", "startMonth", "startYear", "endMonth",
/// "endYear"}}` (`[U]`: wrapped and cased like [`PositionBody`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EducationBody {
    /// The school.
    pub education: EducationFields,
}

/// One school of a person's education.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EducationFields {
    /// School name.
    #[serde(rename = "schoolName")]
    pub school_name: String,
    /// Degree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degree: Option<String>,
    /// Field of study.
    #[serde(rename = "fieldOfStudy", skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    /// Start month 1–12.
    #[serde(rename = "startMonth", skip_serializing_if = "Option::is_none")]
    pub start_month: Option<u32>,
    /// Start year.
    #[serde(rename = "startYear", skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i32>,
    /// End month 1–12.
    #[serde(rename = "endMonth", skip_serializing_if = "Option::is_none")]
    pub end_month: Option<u32>,
    /// End year.
    #[serde(rename = "endYear", skip_serializing_if = "Option::is_none")]
    pub end_year: Option<i32>,
}

/// `{"note": {"content", "contentType", "category"}}`: the v1 note fields (`[S]` CW-ZAP
/// add_note) wrapped the way v3 wraps other creates (`[U]`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteBody {
    /// The note.
    pub note: NoteFields,
}

/// One note on the person (contact) record, never the client-visible candidacy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteFields {
    /// HTML content.
    pub content: String,
    /// `text/html`, as v1 took it.
    #[serde(rename = "contentType")]
    pub content_type: String,
    /// Note type (v1 categories: Call, Email, Follow Up, ...).
    pub category: String,
}

/// `{"candidacy": {"personId", "statusId"}}` for candidacy create and status update (`[U]`;
/// camelCase as REST reads `projectId`, `stoplightStatus`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CandidacyBody {
    /// The candidacy.
    pub candidacy: CandidacyFields,
}

/// Candidacy fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CandidacyFields {
    /// The person (create only).
    #[serde(rename = "personId", skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The candidate status; Clockwork defaults new candidacies to Research (`[S]` support site).
    #[serde(rename = "statusId", skip_serializing_if = "Option::is_none")]
    pub status_id: Option<String>,
}

/// `{"custom_field_value": {"value"}}` for `PUT /people/{id}/custom_fields/{field_id}` (`[U]`: no
/// public code writes custom fields). Text fields take a string, Single Select an option id,
/// Multiple Select a list of option ids.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomFieldValueBody {
    /// The value.
    pub custom_field_value: CustomFieldValueFields,
}

/// One custom field value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomFieldValueFields {
    /// A string, an option id or a list of option ids, by the field's type.
    pub value: serde_json::Value,
}

/// `{"address": {"street", "city", "state", "country", "location"}}` (`[S]` CW-PD
/// add-person-address; Pipedream asks for city and state, `location` is the address type).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddressBody {
    /// The address.
    pub address: AddressFields,
}

/// One address, as parts of a free-text location.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AddressFields {
    /// City (the location's first part).
    pub city: String,
    /// State or region (its second part of three, or of two).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country (the last of three parts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The address type: `work`, `home`, `other` (`[S]` the write's `location`; values `[U]`).
    pub location: String,
}

/// `{"web_site": {"url", "location"}}` for `POST /people/{id}/web_sites` (`[U]`: the read shape's
/// `preferredWebSite` suggests the sub-resource; `location` names the network, `github`, `twitter`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebSiteBody {
    /// The site.
    pub web_site: WebSiteFields,
}

/// One web site or social profile other than LinkedIn.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebSiteFields {
    /// Its URL.
    pub url: String,
    /// Its kind: the social network's name.
    pub location: String,
}
