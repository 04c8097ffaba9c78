//! Teamtailor simulator: JSON:API v1 with `Authorization: Token token=…`,
//! a required `X-Api-Version` (406 without), the JSON:API media type on
//! writes (415 otherwise), kebab-case attributes, `page[size]` up to 30 with
//! `links.next`, `include` linkage, JSON:API `errors`, `X-Rate-Limit-*`
//! headers (50 requests / 10 s per key), and v2-signed company webhooks.
//!
//! Where Teamtailor's docs are silent the simulator assumes (as the client in
//! `hiresync-providers::teamtailor` does): the version is checked before the
//! key; a 401 has an empty body; unknown filters, includes and attributes are
//! 400s as in JSON:API resources; a new application lands in the job's Inbox
//! and a second one to the same job is a 422; one custom field value per
//! field and candidate; related-resource routes follow the recorded
//! relationship links (plus `/v1/candidates/{id}/notes`); webhooks are not
//! retried.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = hiresync_sim::teamtailor::TeamtailorSim::start().await?;
//! sim.app().add_api_key("tt-key");
//! let job = sim.app().add_job("Rust Engineer", &["Phone screen"]); // Inbox, Phone screen, Hired
//! let candidate = sim.app().add_candidate("Ada", "Lovelace", "ada@example.com");
//! // point a client at sim.base_url(), then inspect:
//! let applications = sim.state().job_applications.len();
//! # let _ = (job, candidate, applications); Ok(()) }
//! ```

mod app;
mod attributes;
mod auth;
mod body;
mod candidates;
mod collections;
mod control;
mod custom_field_values;
mod errors;
mod job_applications;
pub mod model;
mod paging;
mod render;
mod seed;
mod webhook;

pub use app::{TeamtailorSim, TtApp, config};
pub use auth::VERSIONS;
pub use errors::{CURRENT_VERSION, TtError};
pub use model::TeamtailorState;
pub use paging::MAX_PAGE_SIZE;
pub use seed::{SeededField, SeededJob};
pub use webhook::sign;
