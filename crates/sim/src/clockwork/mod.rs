//! Clockwork Recruiting simulator: the v3 API as `hiresync-providers`
//! assumes it (`crates/providers/src/clockwork/ASSUMPTIONS.md`): routes under
//! `/v3.0/{firm}`, `Authorization: Token base64(key:secret)` plus
//! `X-API-Key`, wrapped request bodies, camelCase records with UUID ids,
//! `limit`/`offset` pages with `meta.total`, v1-style error bodies,
//! `X-RateLimit-*` headers, and `candidacy_updated` webhooks.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = hiresync_sim::clockwork::ClockworkSim::start().await?;
//! sim.app().add_credentials("key", "secret", "firm-key");
//! let statuses = sim.app().seed_default_statuses();
//! let project = sim.app().add_project("CFO search", "Pitch");
//! let person = sim.app().add_person("Ada Lovelace", "ada@example.com");
//! sim.app().set_do_not_contact(&person, true);
//! // connect with {"firm_domain": sim.firm(), ...} and base_url = sim.base_url(), then:
//! let placed = sim.app().add_candidacy(&person, &project, Some(&statuses[2]));
//! # let _ = placed; Ok(()) }
//! ```

mod app;
mod auth;
mod body;
mod control;
mod details;
mod errors;
mod extras;
pub mod model;
mod paging;
mod people;
mod projects;
mod render;
mod seed;
mod webhook;

pub use app::{ClockworkSim, CwApp, DEFAULT_FIRM, config};
pub use errors::CwError;
pub use model::ClockworkState;
pub use paging::{DEFAULT_LIMIT, MAX_LIMIT};
pub use seed::DEFAULT_STATUSES;
pub use webhook::sign;
