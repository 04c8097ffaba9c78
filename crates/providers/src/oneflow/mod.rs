//! Oneflow API v1 (`api.oneflow.com/v1`): contracts created from templates
//! with data fields, parties and participants, events, contract files, and
//! webhooks signed `sha1(callback_id + sign_key)`. Oneflow is not a people
//! ATS: [`OneflowClient`] is a [`Provider`](crate::Provider) (it checks its
//! credentials) and is itself the contracts capability (SPEC B).
//!
//! Assumptions where `shared/providers/oneflow.md` marks facts [U], all
//! mirrored by `hiresync-sim`:
//! - Every call sends `x-oneflow-user-email` (the credential's user), so
//!   writes are attributed to that user, never to the anonymous admin.
//! - A single data field is updated by `PUT …/data_fields/{id}` or
//!   `…/data_fields/c::{custom_id}` with the id repeated in the body; the bulk
//!   update wraps its items as `{"data_fields": [...]}` and answers
//!   `{"data": [<data field>, ...]}`.
//! - A 429 carries no documented `Retry-After`; without one the client waits
//!   for the next 5-minute boundary of the per-token window.
//! - A file is fetched with `?download=true`; Oneflow may answer `302` to its
//!   storage, which is returned as [`ContractFile::Redirect`] and never
//!   followed with our credentials. That short-lived public URL is what
//!   Teamtailor's `POST /v1/uploads` needs to attach a signed contract (SPEC B3).
//! - Only the current webhook format is parsed (the legacy one is undocumented).
//! - Contract event `data.changes[]` items are kept as raw JSON; the simulator
//!   writes them as `{"attribute": "value", "from", "to"}`.

mod client;
mod config;
mod contracts;
mod errors;
mod mapping;
mod requests;
pub mod webhook;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use client::{MAX_OFFSET, MAX_PAGES, OneflowClient, PAGE_LIMIT, decode};
pub use config::{APP_URL, DEFAULT_BASE_URL, OneflowConfig};
pub use contracts::{CONTRACT_PDF, ContractFile, DataFieldRef, DataFieldUpdate, VERIFICATION};
pub use errors::{RATE_WINDOW, classify, error_message, until_next_window};
pub use mapping::{
    changed_values, contract_url, create_body, data_field_values, fully_signed, parse_time, prefill, signed_file_name,
};
