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
    /// When the provider created the record, when it says (tells a pre-existing record from ours, SPEC S5).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
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

/// One school in a person's education.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Education {
    /// School, university or other institution.
    pub school: Option<String>,
    /// Degree earned or sought.
    pub degree: Option<String>,
    /// Field of study.
    pub field: Option<String>,
    /// Start, as the outreach app gave it (a date, a year-month or a year).
    pub start: Option<String>,
    /// End; none while studying.
    pub end: Option<String>,
}

impl Education {
    /// Reads one education entry as the outreach app sent it: an object (`school` or
    /// `school_name` / `institution` / `name`, `degree`, `field` or `field_of_study` / `major`,
    /// `start`, `end`, or `*_date` / `*_year`) or a bare school name. `None` without a school.
    pub fn from_value(v: &Value) -> Option<Self> {
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| match v.get(*k) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        let e = match v {
            Value::String(s) if !s.trim().is_empty() => {
                Education { school: Some(s.trim().to_owned()), ..Education::default() }
            }
            Value::Object(_) => Education {
                school: text(&["school", "school_name", "institution", "name"]),
                degree: text(&["degree"]),
                field: text(&["field", "field_of_study", "major", "discipline"]),
                start: text(&["start", "start_date", "start_year"]),
                end: text(&["end", "end_date", "end_year"]),
            },
            _ => return None,
        };
        e.school.is_some().then_some(e)
    }
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
    /// Education history, as the provider gets it.
    pub education: Vec<Education>,
    /// Company fields (SPEC M1 `object: "company"`) by provider field name: written where the
    /// provider holds the person's company (Clockwork: the current position).
    pub company_fields: BTreeMap<String, Value>,
    /// Create as a prospect rather than a candidate (Greenhouse, SPEC S11).
    pub as_prospect: bool,
}

impl PersonDraft {
    /// Names of the draft's own fields, as outreach names them; `fields` holds provider field names.
    pub const OWN_FIELDS: [&'static str; 11] = [
        "first_name",
        "last_name",
        "company",
        "title",
        "location",
        "emails",
        "phones",
        "social",
        "tags",
        "employment",
        "education",
    ];

    /// Keeps only the fields `keep` accepts: own fields by their outreach name, others (person
    /// and company fields) by provider name.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let clear_text = |v: &mut Option<String>, name: &str| {
            if !keep(name) {
                *v = None;
            }
        };
        clear_text(&mut self.first_name, "first_name");
        clear_text(&mut self.last_name, "last_name");
        clear_text(&mut self.company, "company");
        clear_text(&mut self.title, "title");
        clear_text(&mut self.location, "location");
        for (name, list) in [("emails", &mut self.emails), ("phones", &mut self.phones), ("tags", &mut self.tags)] {
            if !keep(name) {
                list.clear();
            }
        }
        self.social.retain(|network, _| keep("social") || keep(&format!("social.{network}")));
        if !keep("employment") {
            self.employment.clear();
        }
        if !keep("education") {
            self.education.clear();
        }
        self.fields.retain(|k, _| keep(k));
        self.company_fields.retain(|k, _| keep(k));
    }

    /// Whether the draft fills the provider field `name` (person or company) with a value.
    pub fn fills(&self, name: &str) -> bool {
        let filled = |v: &Value| match v {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        };
        self.fields.get(name).is_some_and(filled) || self.company_fields.get(name).is_some_and(filled)
    }

    /// Whether the draft asks for no write at all.
    pub fn is_empty(&self) -> bool {
        let PersonDraft {
            emails,
            first_name,
            last_name,
            company,
            title,
            location,
            phones,
            social,
            tags,
            fields,
            employment,
            education,
            company_fields,
            as_prospect: _,
        } = self;
        emails.is_empty()
            && [first_name, last_name, company, title, location].iter().all(|v| v.is_none())
            && phones.is_empty()
            && social.is_empty()
            && tags.is_empty()
            && fields.is_empty()
            && employment.is_empty()
            && education.is_empty()
            && company_fields.is_empty()
    }
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
