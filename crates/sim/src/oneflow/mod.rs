//! Oneflow simulator: API v1 with `x-oneflow-api-token` and
//! `x-oneflow-user-email` (401 for either unknown), problem-style errors with
//! `error_code`, `limit` (≤ 100) / `offset` (≤ 19900) paging, contracts from
//! templates with data fields, parties and participants, the event log,
//! files behind a 302, and webhook notifications signed
//! `sha1(callback_id + sign_key)` in the body, retried until answered 200.
//! Oneflow documents no rate-limit headers, so none are sent; its 2000
//! requests / 5 min per token still answer 429 when spent.
//!
//! Where Oneflow's docs are silent the simulator assumes (as the client in
//! `hiresync-providers::oneflow` does): a new contract has an owner party
//! holding the acting user; publishing needs a counterparty signatory (409
//! otherwise); data fields change until the contract is signed or declined
//! (409 after), and API writes notify like participants' edits do; the bulk
//! data field update answers `{"data": [...]}`; files need `download=true`
//! and the verification file (2) exists only once signed.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = hiresync_sim::oneflow::OneflowSim::start().await?;
//! sim.app().add_token("of-token");
//! sim.app().add_user("Rita Recruiter", "rita@example.com");
//! let workspace = sim.app().add_workspace("Recruiting");
//! let template = sim.app().add_template(workspace, "Offer letter", &[("salary", "Salary")]);
//! // point a client at sim.base_url(); participants act with sim.app().participant_sets_field(...)
//! # let _ = template; Ok(()) }
//! ```

mod account;
mod app;
mod auth;
mod contracts;
mod control;
mod errors;
mod lifecycle;
pub mod model;
mod paging;
mod parties;
mod render;
mod seed;
mod webhook;

pub use app::{OfApp, OneflowSim, config};
pub use errors::OfError;
pub use model::OneflowState;
pub use paging::{MAX_LIMIT, MAX_OFFSET};
pub use seed::SeededTemplate;
pub use webhook::{RETRY_DELAYS, sign};
