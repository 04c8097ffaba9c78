//! Greenhouse simulator: Harvest v3 (OAuth client-credentials tokens from its
//! own `/token`, cursor pagination, flat resources) and legacy Harvest v1
//! (Basic key, `On-Behalf-Of` on writes, `Link` page pagination), with
//! Greenhouse's rate-limit headers and error bodies.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = hiresync_sim::greenhouse::GreenhouseSim::start().await?;
//! sim.app().add_client("client", "secret");
//! let user = sim.app().add_user("Rita", "Recruiter", "rita@example.com");
//! let job = sim.app().add_job("Rust Engineer", &["Application Review", "Phone Screen"]);
//! // point a client at sim.base_url() and sim.auth_base_url(), then:
//! let state = sim.state();
//! let token_requests = sim.core().requests_to("POST", "/token").len();
//! # let _ = (user, job, state, token_requests); Ok(()) }
//! ```

mod app;
mod applications;
mod auth;
mod body;
mod candidate_table;
mod candidates;
mod control;
mod custom_fields;
mod errors;
mod jobs;
mod listing;
pub mod model;
mod notes;
mod paging;
mod person;
mod placements;
mod seed;
mod v1;
mod webhook;

pub use app::{GhApp, GreenhouseSim, config};
pub use auth::{IssuedToken, TOKEN_LIFETIME};
pub use errors::GhError;
pub use model::GreenhouseState;
pub use paging::MAX_PER_PAGE;
pub use seed::SeededTarget;
pub use webhook::sign;
