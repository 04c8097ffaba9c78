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

mod admin;
mod auth;
mod contracts;
mod control;
mod errors;
pub mod model;
mod ops;
mod paging;
mod parties;
mod render;
mod seed;
mod webhook;

pub use errors::OfError;
pub use model::OneflowState;
pub use paging::{MAX_LIMIT, MAX_OFFSET};
pub use seed::SeededTemplate;
pub use webhook::{RETRY_DELAYS, sign};

use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{SimConfig, SimCore, SimServer};
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The Oneflow defaults: 2000 requests per 5 minutes per token, no rate-limit headers.
pub fn config() -> SimConfig {
    SimConfig {
        name: "oneflow",
        rate_limits: RateLimitConfig {
            enabled: true,
            // Empty names are not valid headers, so the core sends none, as Oneflow documents none.
            style: RateLimitStyle {
                limit_header: String::new(),
                remaining_header: String::new(),
                reset_header: String::new(),
                reset_is_epoch: false,
            },
            rules: vec![RateLimitRule { path_prefix: "/v1".into(), limit: 2000, window_secs: 300 }],
        },
        error_body: errors::status_body,
        rate_key: auth::rate_key,
        signer: webhook::no_headers,
    }
}

/// Shared state of the Oneflow routes; also the seeding surface. Cheap to clone.
#[derive(Clone, Debug)]
pub struct OfApp {
    /// Faults, log, rate limits, webhooks.
    pub core: SimCore,
    state: Arc<Mutex<OneflowState>>,
    delays: Arc<Mutex<Vec<Duration>>>,
}

impl OfApp {
    /// An empty account using `config`.
    pub fn new(config: SimConfig) -> Self {
        Self {
            core: SimCore::new(config),
            state: Arc::default(),
            delays: Arc::new(Mutex::new(webhook::documented_delays())),
        }
    }

    /// Locks the account's data.
    pub fn lock(&self) -> MutexGuard<'_, OneflowState> {
        // A panicking handler must not wedge the simulator for every later request.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The full router: the v1 API, file storage and the `/_sim/` control routes.
    pub fn router(&self) -> Router {
        let routes = Router::new()
            .merge(admin::routes())
            .merge(contracts::routes())
            .merge(parties::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

/// A running Oneflow simulator.
#[derive(Debug)]
pub struct OneflowSim {
    app: OfApp,
    server: SimServer,
}

impl OneflowSim {
    /// Starts an empty account on a loopback port with the default config.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(config(), "127.0.0.1:0".parse().map_err(std::io::Error::other)?).await
    }

    /// Starts on `addr` with `config`.
    pub async fn start_with(config: SimConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let app = OfApp::new(config);
        let server = SimServer::bind(addr, app.router()).await?;
        Ok(Self { app, server })
    }

    /// API root (`ConnectOptions::base_url`); paths start with `/v1`.
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// Seeding helpers and participant actions.
    pub fn app(&self) -> &OfApp {
        &self.app
    }

    /// Faults, request log, rate limits, webhooks.
    pub fn core(&self) -> &SimCore {
        &self.app.core
    }

    /// A snapshot of the account's data.
    pub fn state(&self) -> OneflowState {
        self.app.lock().clone()
    }

    /// Runs `f` on the account's data (to seed or inspect in place).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut OneflowState) -> R) -> R {
        f(&mut self.app.lock())
    }
}
