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

mod auth;
mod control;
mod details;
mod errors;
pub mod model;
mod paging;
mod people;
mod projects;
mod render;
mod request;
mod seed;
mod webhook;

pub use errors::CwError;
pub use model::ClockworkState;
pub use paging::{DEFAULT_LIMIT, MAX_LIMIT};
pub use seed::DEFAULT_STATUSES;
pub use webhook::sign;

use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{SimConfig, SimCore, SimServer};
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// The firm a fresh simulator serves.
pub const DEFAULT_FIRM: &str = "acme";

/// Clockwork publishes no limits; the simulator allows 300 requests per minute per API key and
/// announces them as `X-RateLimit-{Limit,Remaining,Reset}` with a reset in seconds (all assumed).
pub fn config() -> SimConfig {
    SimConfig {
        name: "clockwork",
        rate_limits: RateLimitConfig {
            enabled: true,
            style: RateLimitStyle {
                limit_header: "X-RateLimit-Limit".into(),
                remaining_header: "X-RateLimit-Remaining".into(),
                reset_header: "X-RateLimit-Reset".into(),
                reset_is_epoch: false,
            },
            rules: vec![RateLimitRule { path_prefix: "/v3.0/".into(), limit: 300, window_secs: 60 }],
        },
        error_body: errors::status_body,
        rate_key: auth::rate_key,
        signer: webhook::sign,
    }
}

/// Shared state of the Clockwork routes; also the seeding surface. Cheap to clone.
#[derive(Clone, Debug)]
pub struct CwApp {
    /// Faults, log, rate limits, webhooks.
    pub core: SimCore,
    state: Arc<Mutex<ClockworkState>>,
}

impl CwApp {
    /// An empty firm named [`DEFAULT_FIRM`] using `config`.
    pub fn new(config: SimConfig) -> Self {
        let state = ClockworkState { firm: DEFAULT_FIRM.into(), ..ClockworkState::default() };
        Self { core: SimCore::new(config), state: Arc::new(Mutex::new(state)) }
    }

    /// Locks the firm's data.
    pub fn lock(&self) -> MutexGuard<'_, ClockworkState> {
        // A panicking handler must not wedge the simulator for every later request.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The full router: the v3 routes and the `/_sim/` control routes.
    pub fn router(&self) -> Router {
        let routes = Router::new()
            .merge(people::routes())
            .merge(details::routes())
            .merge(projects::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

/// A running Clockwork simulator.
#[derive(Debug)]
pub struct ClockworkSim {
    app: CwApp,
    server: SimServer,
}

impl ClockworkSim {
    /// Starts an empty firm on a loopback port with the default config.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(config(), "127.0.0.1:0".parse().map_err(std::io::Error::other)?).await
    }

    /// Starts on `addr` with `config`.
    pub async fn start_with(config: SimConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let app = CwApp::new(config);
        let server = SimServer::bind(addr, app.router()).await?;
        Ok(Self { app, server })
    }

    /// API root (`ConnectOptions::base_url`); paths continue with `/v3.0/{firm}`.
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// The firm name, usable as the credentials' `firm_domain`.
    pub fn firm(&self) -> String {
        self.app.lock().firm.clone()
    }

    /// Seeding helpers.
    pub fn app(&self) -> &CwApp {
        &self.app
    }

    /// Faults, request log, rate limits, webhooks.
    pub fn core(&self) -> &SimCore {
        &self.app.core
    }

    /// A snapshot of the firm's data.
    pub fn state(&self) -> ClockworkState {
        self.app.lock().clone()
    }

    /// Runs `f` on the firm's data (to seed or inspect in place).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut ClockworkState) -> R) -> R {
        f(&mut self.app.lock())
    }
}
