//! Teamtailor JSON:API v1, pinned to `X-Api-Version: 20240404` (the latest
//! version seen in recent clients; the current one is not published), with
//! company webhooks signed v2 (`TT-Signature`). Where
//! `shared/providers/teamtailor.md` marks facts unconfirmed or is silent, the
//! client's choices are in `ASSUMPTIONS.md` beside this file; `hiresync-sim`
//! answers in the same shapes.

mod catalog;
mod client;
mod config;
mod endpoints;
mod errors;
mod mapping;
mod people;
pub mod webhook;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use client::{Collected, MAX_PAGES, MEDIA_TYPE, PAGE_SIZE, TeamtailorClient, decode};
pub use config::{
    API_VERSION, EU_APP_URL, EU_BASE_URL, NA_APP_URL, NA_BASE_URL, Region, TeamtailorConfig, TeamtailorCredentials,
};
pub use endpoints::FieldValue;
pub use errors::{classify, error_message};
pub use mapping::{custom_value, custom_value_text};
pub use people::TeamtailorProvider;
