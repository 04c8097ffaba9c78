//! Teamtailor simulator: JSON:API v1 with `Authorization: Token token=…`,
//! a required `X-Api-Version` (406 without), the JSON:API media type on
//! writes (415 otherwise), kebab-case attributes, `page[size]` up to 30 with
//! `links.next`, `include` linkage, JSON:API `errors`, `X-Rate-Limit-*`
//! headers (50 requests / 10 s per key), and v2-signed company webhooks.
//!
//! Where Teamtailor's docs are silent the simulator assumes (as the client in
//! `hiresync-providers::teamtailor` does): the version is checked before the
//! key; a 401 has an empty body; unknown filters, includes and attributes are
//! 400s as in JSON:API resources; a new application lands in the job's Inbox
//! and a second one to the same job is a 422; one custom field value per
//! field and candidate; related-resource routes follow the recorded
//! relationship links (plus `/v1/candidates/{id}/notes`); webhooks are not
//! retried.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = hiresync_sim::teamtailor::TeamtailorSim::start().await?;
//! sim.app().add_api_key("tt-key");
//! let job = sim.app().add_job("Rust Engineer", &["Phone screen"]); // Inbox, Phone screen, Hired
//! let candidate = sim.app().add_candidate("Ada", "Lovelace", "ada@example.com");
//! // point a client at sim.base_url(), then inspect:
//! let applications = sim.state().job_applications.len();
//! # let _ = (job, candidate, applications); Ok(()) }
//! ```

mod attributes;
mod auth;
mod body;
mod control;
mod errors;
pub mod model;
mod paging;
mod read;
mod render;
mod seed;
mod values;
mod webhook;
mod write;

pub use auth::VERSIONS;
pub use errors::{CURRENT_VERSION, TtError};
pub use model::TeamtailorState;
pub use paging::MAX_PAGE_SIZE;
pub use seed::{SeededField, SeededJob};
pub use webhook::sign;

use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{SimConfig, SimCore, SimServer};
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// The Teamtailor defaults: 50 requests per 10 s per key, reset counted in seconds.
pub fn config() -> SimConfig {
    SimConfig {
        name: "teamtailor",
        rate_limits: RateLimitConfig {
            enabled: true,
            style: RateLimitStyle {
                limit_header: "X-Rate-Limit-Limit".into(),
                remaining_header: "X-Rate-Limit-Remaining".into(),
                reset_header: "X-Rate-Limit-Reset".into(),
                reset_is_epoch: false,
            },
            rules: vec![RateLimitRule { path_prefix: "/v1".into(), limit: 50, window_secs: 10 }],
        },
        error_body: errors::status_body,
        rate_key: auth::rate_key,
        signer: webhook::no_headers,
    }
}

/// Shared state of the Teamtailor routes; also the seeding surface. Cheap to clone.
#[derive(Clone, Debug)]
pub struct TtApp {
    /// Faults, log, rate limits, webhooks.
    pub core: SimCore,
    state: Arc<Mutex<TeamtailorState>>,
}

impl TtApp {
    /// An empty company using `config`.
    pub fn new(config: SimConfig) -> Self {
        Self { core: SimCore::new(config), state: Arc::default() }
    }

    /// Locks the company's data.
    pub fn lock(&self) -> MutexGuard<'_, TeamtailorState> {
        // A panicking handler must not wedge the simulator for every later request.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The full router: the v1 API and the `/_sim/` control routes.
    pub fn router(&self) -> Router {
        let routes = Router::new()
            .merge(read::routes())
            .merge(write::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

/// A running Teamtailor simulator.
#[derive(Debug)]
pub struct TeamtailorSim {
    app: TtApp,
    server: SimServer,
}

impl TeamtailorSim {
    /// Starts an empty company on a loopback port with the default config.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(config(), "127.0.0.1:0".parse().map_err(std::io::Error::other)?).await
    }

    /// Starts on `addr` with `config`.
    pub async fn start_with(config: SimConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let app = TtApp::new(config);
        let server = SimServer::bind(addr, app.router()).await?;
        Ok(Self { app, server })
    }

    /// API root (`ConnectOptions::base_url`); paths start with `/v1`.
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// Seeding helpers and recruiter actions.
    pub fn app(&self) -> &TtApp {
        &self.app
    }

    /// Faults, request log, rate limits, webhooks.
    pub fn core(&self) -> &SimCore {
        &self.app.core
    }

    /// A snapshot of the company's data.
    pub fn state(&self) -> TeamtailorState {
        self.app.lock().clone()
    }

    /// Runs `f` on the company's data (to seed or inspect in place).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut TeamtailorState) -> R) -> R {
        f(&mut self.app.lock())
    }
}
