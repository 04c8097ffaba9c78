//! Teamtailor JSON:API v1, pinned to `X-Api-Version: 20240404` (the latest
//! version seen in recent clients; the current one is not published), with
//! company webhooks signed v2 (`TT-Signature`).
//!
//! Assumptions where `shared/providers/teamtailor.md` marks facts [U] or
//! is silent, all mirrored by `hiresync-sim`:
//! - A candidate's applications are read from the related-resource route
//!   `/v1/candidates/{id}/job-applications?include=job,stage` (the link every
//!   recorded candidate carries); `include` fills relationship `data`.
//! - A new application lands in the job's Inbox (the stage of type `Inbox`,
//!   read once a minute per job); another stage is reached by
//!   `PATCH /v1/job-applications/{id}` with a `stage` relationship. A second
//!   application to the same job is a 422, so on that refusal the existing one
//!   (even rejected) is read and reused. A later move reads the application
//!   first: moving into a stage may fire its triggers, even into the same one.
//! - Custom field definitions and options are read once a minute per
//!   connection (again at once when a field is not found); a candidate made
//!   just now gets its values created without reading, others have theirs read
//!   once and each created, updated or left as it is.
//! - Notes are read back from `/v1/candidates/{id}/notes` to avoid writing a
//!   note twice, and are written without a `user` (the credential carries no
//!   acting user); the subject, when set, heads the note text.
//! - Select options come from `/v1/custom-field-options?include=custom-field`;
//!   Select values are option ids, MultiSelect values arrays of option ids.
//! - `unsubscribed` is reported as off-limits ("opted out", SPEC S10);
//!   there is no employment history resource, so history is unsupported.
//! - `person_url` is `<app>/candidates/<id>` on the region's web app.
//! - A 429 without `Retry-After` waits `X-Rate-Limit-Reset` seconds.

mod candidates;
mod catalog;
mod client;
mod config;
mod errors;
mod jobs;
mod mapping;
mod provider;
mod resources;
pub mod webhook;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use candidates::FieldValue;
pub use client::{Collected, MAX_PAGES, MEDIA_TYPE, PAGE_SIZE, TeamtailorClient, decode};
pub use config::{API_VERSION, EU_APP_URL, EU_BASE_URL, NA_APP_URL, NA_BASE_URL, Region, TeamtailorConfig};
pub use errors::{classify, error_message};
pub use mapping::{custom_value, custom_value_text};
pub use provider::TeamtailorProvider;
