//! People as the providers hold them, and what we ask providers to write.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A person record in a provider (Greenhouse candidate or prospect, Clockwork person, Teamtailor candidate).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// The provider's id, as text (Greenhouse ints exceed 32 bits; others use strings).
    pub id: String,
    /// Every email the provider holds for the person.
    pub emails: Vec<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Link to open the record in the provider's web app.
    pub url: Option<String>,
    /// Provider fields by provider field name, as the provider returned them.
    pub fields: BTreeMap<String, Value>,
}

/// One role in a person's employment history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Employment {
    /// Employer.
    pub company: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Start, as the outreach app gave it (a date or a year-month).
    pub start: Option<String>,
    /// End; none while current.
    pub end: Option<String>,
}

/// What we want a person record to hold: fields already mapped for the provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonDraft {
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
    /// Social profile URLs by network (`linkedin`, `github`, `twitter`, ...).
    pub social: BTreeMap<String, String>,
    /// Tags to add.
    pub tags: Vec<String>,
    /// Provider fields (custom or standard) by provider field name.
    pub fields: BTreeMap<String, Value>,
    /// Work history, most recent first.
    pub employment: Vec<Employment>,
    /// Create as a prospect rather than a candidate (Greenhouse, SPEC S11).
    pub as_prospect: bool,
}

/// An activity entry to write on a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteDraft {
    /// The outreach type it records (`message_sent`, `reply_received`, `task_completed`, ...).
    pub outreach_type: String,
    /// The provider's note type, from the connection's note-type mapping.
    pub note_type: Option<String>,
    /// Short title or email subject.
    pub subject: Option<String>,
    /// Body text.
    pub body: String,
    /// Sender and recipient, for providers that keep email records.
    pub from: Option<String>,
    /// Recipient.
    pub to: Option<String>,
    /// When it happened in the outreach app.
    pub occurred_at: DateTime<Utc>,
}
