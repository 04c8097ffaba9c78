//! Legacy Harvest v1 request bodies (greenhouse.md §1.3), as sent. v1 takes
//! the same person fields as v3 and the same stage move; what differs is how
//! applications are named, and notes and emails written to the activity feed.

use crate::greenhouse::wire::{ApplicationWrite, CandidateWrite};
use serde::Serialize;

/// `POST /v1/prospects` and `POST /v1/candidates`: the person, and the applications v1 creates with
/// them (a candidate needs a job; a prospect's `application` names its pool or jobs).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CandidateCreate {
    /// The person's fields, and a prospect's nested `application`.
    #[serde(flatten)]
    pub candidate: CandidateWrite,
    /// A candidate's applications to jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications: Option<Vec<ApplicationWrite>>,
}

/// `PATCH /v1/applications/{id}`: a prospect's pool and pool stage (`null` for none).
pub use crate::greenhouse::wire::PoolMove as ProspectMove;

/// `POST /v1/candidates/{id}/activity_feed/notes`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoteCreate {
    /// The author: the acting user.
    pub user_id: i64,
    /// The text, subject first: v1 notes have no subject.
    pub body: String,
    /// `public`.
    pub visibility: &'static str,
}

/// `POST /v1/candidates/{id}/activity_feed/emails`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmailCreate {
    /// The author: the acting user.
    pub user_id: i64,
    /// Recipient.
    pub to: Option<String>,
    /// Sender.
    pub from: Option<String>,
    /// Copies.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
}

/// `POST /v1/candidates/{id}/employments`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmploymentCreate {
    /// Employer.
    pub company_name: String,
    /// Title.
    pub title: String,
    /// Start date (`YYYY-MM-DD`).
    pub start_date: String,
    /// End date; `null` while current.
    pub end_date: Option<String>,
}
