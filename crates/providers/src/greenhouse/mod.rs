//! Greenhouse Harvest **v3** (`harvestdocs.greenhouse.io`): OAuth client
//! credentials minted per acting user, cursor pagination, flat resources.
//! Legacy Harvest v1 keys are served by [`v1`], kept apart so it can be
//! deleted as a unit. What the sources leave open, and what the client
//! assumes instead, is in `ASSUMPTIONS.md` beside this file; `hiresync-sim`
//! answers in the same shapes.

mod client;
mod config;
mod endpoints;
mod errors;
mod mapping;
mod people;
mod placing;
mod token;
mod users;
pub mod v1;
pub mod webhook;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use client::{Auth, GreenhouseClient, MAX_PAGES, decode, next_link};
pub use config::{APP_URL, DEFAULT_AUTH_BASE_URL, DEFAULT_BASE_URL, GreenhouseConfig, GreenhouseCredentials, connect};
pub use endpoints::{MAX_IDS, MAX_PER_PAGE};
pub use errors::{classify, error_message};
pub use people::GreenhouseProvider;
