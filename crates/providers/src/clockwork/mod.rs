//! Clockwork Recruiting **v3** (`https://api.clockworkrecruiting.com/v3.0/{firm}`).
//!
//! The vendor spec (SwaggerHub `clockwork-recruiting/cw-public-api/3.0.0`)
//! could not be obtained, so every path and verb lives in `endpoints.rs`,
//! every body in [`wire`], each tagged `[S]` or `[U]` as in
//! `shared/providers/clockwork.md`, and `ASSUMPTIONS.md` beside this file
//! lists them with their sources. The simulator (`hiresync_sim::clockwork`)
//! answers in exactly these shapes; a live check corrects both in one place each.

mod client;
mod config;
mod details;
pub mod endpoints;
mod errors;
mod mapping;
mod people;
pub mod webhook;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use client::{ClockworkClient, Listing, MAX_PAGES, auth_headers, decode};
pub use config::{APP_DOMAIN, ClockworkConfig, ClockworkCredentials, DEFAULT_BASE_URL, FirmDomain, parse_firm_domain};
pub use endpoints::{Route, SEARCH_LIMIT};
pub use errors::{classify, error_message};
pub use mapping::{DEFAULT_STATUS, STANDARD_FIELDS};
pub use people::ClockworkProvider;
