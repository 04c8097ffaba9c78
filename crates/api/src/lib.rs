//! The hiresync HTTP API (axum): the REST endpoints of API.md, problem+json
//! errors, bearer-token auth, health, metrics and the OpenAPI document.
//! [`app`] builds the router so tests can drive it without a socket;
//! [`serve`] runs it on a listener until shutdown.
//!
//! Without the `server` feature the crate is only [`body`], the wire format,
//! which `hiresync-client` speaks.

pub mod body;

#[cfg(feature = "server")]
pub mod base_url;
#[cfg(feature = "server")]
pub mod error;
#[cfg(feature = "server")]
pub mod extract;
#[cfg(feature = "server")]
pub mod field_defs;
#[cfg(feature = "server")]
pub mod limits;
#[cfg(feature = "server")]
pub mod metrics;
#[cfg(feature = "server")]
pub mod operations;
#[cfg(feature = "server")]
pub mod rest;
#[cfg(feature = "server")]
mod router;
#[cfg(feature = "server")]
pub mod state;
#[cfg(feature = "server")]
pub mod ttl_cache;
#[cfg(feature = "server")]
pub mod ui;

#[cfg(feature = "server")]
pub use error::{ApiError, ApiResult};
#[cfg(feature = "server")]
pub use router::{app, openapi, operations_app, serve};
#[cfg(feature = "server")]
pub use state::AppState;
