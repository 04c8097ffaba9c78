//! Provider clients: Greenhouse (Harvest v3, legacy v1), Clockwork
//! Recruiting, Teamtailor and Oneflow, each in its own folder laid out the
//! same way. Every client is a [`Provider`] (its kind, the live credential
//! check); an ATS also has the [`People`] capability, and Oneflow's client
//! is the contracts capability. [`connect`] builds a connection's [`Client`]
//! from its credentials, and shared HTTP concerns (rate limits, retries,
//! redaction) live in `http`.

// `ProviderError` is the crate's shared contract type (over 128 bytes): every fallible function
// returns it, and a box would cost every caller an allocation to save stack space.
#![allow(clippy::result_large_err)]

pub mod clockwork;
pub mod credentials;
pub mod error;
pub mod greenhouse;
pub mod http;
pub mod oneflow;
pub mod people;
pub mod provider;
pub mod registry;
pub mod search;
pub mod stages;
pub mod teamtailor;

pub use credentials::Credentials;
pub use error::{ErrorKind, ProviderError};
pub use people::{Arrived, Capabilities, Created, CustomField, Page, People, Placement, TargetOption, id_text};
pub use provider::Provider;
pub use registry::{Client, ConnectOptions, connect};

/// Result alias for provider calls.
pub type Result<T, E = ProviderError> = std::result::Result<T, E>;

/// A provider's recorded fixtures, found through the package directory cargo gives the running
/// test: a test binary reused from another checkout (a shared target directory) still names
/// that one in `env!`, which may be gone.
#[cfg(test)]
fn fixtures_dir(provider: &str) -> String {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    format!("{root}/tests/fixtures/{provider}")
}
