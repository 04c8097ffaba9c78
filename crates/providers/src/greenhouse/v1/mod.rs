//! Legacy Harvest v1 (Basic key, `On-Behalf-Of` on writes, `Link` page
//! pagination), reported switched off after 2026-08-31. A connection speaks
//! v1 when its credentials are `{"api_key", "on_behalf_of_user_id"}`; the
//! choices v1 needed are in `ASSUMPTIONS.md` beside this file.
//!
//! Everything v1 is in this folder. Removing v1 is deleting it, its `mod`
//! line, and the `api_key` arm of `greenhouse::config::connect`.

mod auth;
mod config;
mod endpoints;
mod people;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use config::{V1Credentials, connect};
pub use endpoints::V1_PER_PAGE;
pub use people::GreenhouseV1Provider;
