//! Legacy Harvest v1 response types (greenhouse.md §1.3), read leniently like the v3 ones. A
//! v1 candidate embeds its applications (with current stage and prospect
//! pool) and employments, and spells fields differently (`is_private`,
//! `keyed_custom_fields`); [`V1Candidate::candidate`] turns it into the v3
//! [`Candidate`] so one mapping serves both versions.

use crate::greenhouse::wire::{Candidate, Employment, Typed};
use serde::Deserialize;
use serde_json::{Map, Value};

/// `{id, name}` references (`current_stage`, `jobs[]`, `prospect_pool`, `user`, ...).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct IdName {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
}

/// Where a prospect application sits.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1ProspectDetail {
    /// Pool.
    pub prospect_pool: Option<IdName>,
    /// Pool stage.
    pub prospect_stage: Option<IdName>,
}

/// An application as v1 embeds and returns it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Application {
    /// Id.
    pub id: i64,
    /// Candidate.
    pub candidate_id: Option<i64>,
    /// Prospect flag.
    pub prospect: Option<bool>,
    /// `active`, `rejected`, `hired`, `converted`.
    pub status: Option<String>,
    /// The job (one at most for candidate applications).
    pub jobs: Option<Vec<IdName>>,
    /// Current job stage.
    pub current_stage: Option<IdName>,
    /// Pool placement of a prospect.
    pub prospect_detail: Option<V1ProspectDetail>,
}

impl V1Application {
    /// The job id of a candidate application.
    pub fn job_id(&self) -> Option<i64> {
        self.jobs.as_ref()?.first().map(|j| j.id)
    }

    /// The pool and pool stage of a prospect application.
    pub fn pool(&self) -> (Option<i64>, Option<i64>) {
        let d = self.prospect_detail.as_ref();
        (
            d.and_then(|d| d.prospect_pool.as_ref()).map(|p| p.id),
            d.and_then(|d| d.prospect_stage.as_ref()).map(|s| s.id),
        )
    }
}

/// An employment embedded in a v1 candidate.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Employment {
    /// Id.
    pub id: i64,
    /// Employer.
    pub company_name: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Start date.
    pub start_date: Option<String>,
    /// End date.
    pub end_date: Option<String>,
}

/// A v1 candidate (`GET /v1/candidates`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Candidate {
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
    /// Private.
    pub is_private: Option<bool>,
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
    /// Custom fields `{name_key: {name, type, value}}` (`custom_fields` holds bare values).
    pub keyed_custom_fields: Option<Map<String, Value>>,
    /// Applications.
    pub applications: Option<Vec<V1Application>>,
    /// Employments.
    pub employments: Option<Vec<V1Employment>>,
    /// Creation time (ISO-8601).
    pub created_at: Option<String>,
}

impl V1Candidate {
    /// The same person as a v3 candidate.
    pub fn candidate(&self) -> Candidate {
        Candidate {
            id: self.id,
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
            private: self.is_private,
            can_email: self.can_email,
            tags: self.tags.clone(),
            email_addresses: self.email_addresses.clone(),
            phone_numbers: self.phone_numbers.clone(),
            addresses: self.addresses.clone(),
            website_addresses: self.website_addresses.clone(),
            social_media_addresses: self.social_media_addresses.clone(),
            custom_fields: self.keyed_custom_fields.clone(),
            created_at: self.created_at.clone(),
        }
    }

    /// The embedded employments as v3 rows.
    pub fn employments(&self) -> Vec<Employment> {
        self.employments
            .iter()
            .flatten()
            .map(|e| Employment {
                id: e.id,
                candidate_id: Some(self.id),
                company_name: e.company_name.clone(),
                title: e.title.clone(),
                start_date: e.start_date.clone(),
                end_date: e.end_date.clone(),
            })
            .collect()
    }
}

/// A job stage (`GET /v1/jobs/{id}/stages`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1JobStage {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Job.
    pub job_id: Option<i64>,
    /// Order.
    pub priority: Option<i64>,
    /// Active.
    pub active: Option<bool>,
}

/// A prospect pool with its stages (`GET /v1/prospect_pools`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Pool {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Stages in order.
    pub prospect_stages: Option<Vec<IdName>>,
}

/// A select option of a custom field.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Option {
    /// Id.
    pub id: i64,
    /// Label.
    pub name: Option<String>,
    /// Order.
    pub priority: Option<i64>,
}

/// A custom field definition with its options (`GET /v1/custom_fields/candidate`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1CustomField {
    /// Id.
    pub id: i64,
    /// Label.
    pub name: Option<String>,
    /// Active.
    pub active: Option<bool>,
    /// Value type.
    pub value_type: Option<String>,
    /// Stable key.
    pub name_key: Option<String>,
    /// Options of selects.
    pub custom_field_options: Option<Vec<V1Option>>,
}

/// A note of the activity feed.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Note {
    /// Id.
    pub id: i64,
    /// Text.
    pub body: Option<String>,
    /// Author.
    pub user: Option<IdName>,
}

/// An email of the activity feed; `to`, `from` and `cc` are read as sent (string or list).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Email {
    /// Id.
    pub id: i64,
    /// Subject.
    pub subject: Option<String>,
    /// Text.
    pub body: Option<String>,
    /// Recipient.
    pub to: Option<Value>,
    /// Author.
    pub user: Option<IdName>,
}

/// `GET /v1/candidates/{id}/activity_feed`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1ActivityFeed {
    /// Notes.
    pub notes: Vec<V1Note>,
    /// Emails.
    pub emails: Vec<V1Email>,
}

/// A created note or email: only its id is read.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct V1Created {
    /// Id.
    pub id: i64,
}
