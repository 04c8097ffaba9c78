//! The body of every 4xx and 5xx answer.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An `application/problem+json` body (RFC 9457): every 4xx and 5xx answer has this shape.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"type": "https://hiresync.dev/problems/validation", "title": "Unprocessable Entity",
    "status": 422, "detail": "email: required: an email address",
    "errors": [{"field": "email", "message": "required: an email address"}]}))]
pub struct Problem {
    /// A stable URI naming the kind of problem, e.g. `https://hiresync.dev/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status's reason phrase.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, in words; never internal detail for a 5xx.
    pub detail: String,
    /// For a 422: each field at fault, as a JSON path (`emails[0]`, `[3].type`; empty for the whole body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub errors: Option<Vec<ProblemField>>,
}

/// One field at fault in a [`Problem`].
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProblemField {
    /// JSON path of the field, e.g. `emails[0]` or `[3].type`; empty for the body as a whole.
    pub field: String,
    /// What is wrong with it, in words a user can act on.
    pub message: String,
}
