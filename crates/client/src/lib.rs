//! A typed client for the hiresync HTTP API (`/openapi.json`), sending and
//! reading the server's own body types so the two cannot drift apart, and
//! [`webhooks`]: signing and verifying hiresync's webhooks per the Standard
//! Webhooks specification, for the outreach app's receiver.
//!
//! ```no_run
//! # async fn run() -> Result<(), hiresync_client::Error> {
//! let client = hiresync_client::Client::new("http://127.0.0.1:8080", "hs_...")?;
//! for job in client.jobs(Some("dead")).await? {
//!     client.retry_job(job.id).await?;
//! }
//! # Ok(()) }
//! ```

mod client;
mod error;

pub use client::Client;
pub use error::Error;
/// The request and response bodies, as the server defines them.
pub use hiresync_api::body;
/// Verifying (and signing) hiresync's webhooks: [`webhooks::Secret::verify`] on the raw body.
pub use hiresync_core::webhook_signature as webhooks;
