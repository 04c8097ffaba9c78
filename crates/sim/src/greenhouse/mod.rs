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

mod auth;
mod control;
mod errors;
pub mod model;
mod ops;
mod paging;
mod seed;
mod v1;
mod v1_render;
mod v1_write;
mod v3_read;
mod v3_write;
mod webhook;

pub use auth::{IssuedToken, TOKEN_LIFETIME};
pub use errors::GhError;
pub use model::GreenhouseState;
pub use paging::MAX_PER_PAGE;
pub use seed::SeededTarget;
pub use webhook::sign;

use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{SimConfig, SimCore, SimServer};
use axum::Router;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// The Greenhouse defaults: 150 requests per 30 s on Harvest and 60 per 60 s on `/token`, as recorded.
pub fn config() -> SimConfig {
    SimConfig {
        name: "greenhouse",
        rate_limits: RateLimitConfig {
            enabled: true,
            style: RateLimitStyle::epoch_x_ratelimit(),
            rules: vec![
                RateLimitRule { path_prefix: "/token".into(), limit: 60, window_secs: 60 },
                RateLimitRule { path_prefix: "/v".into(), limit: 150, window_secs: 30 },
            ],
        },
        error_body: errors::status_body,
        rate_key: auth::rate_key,
        signer: webhook::sign,
    }
}

/// Shared state of the Greenhouse routes; also the seeding surface. Cheap to clone.
#[derive(Clone, Debug)]
pub struct GhApp {
    /// Faults, log, rate limits, webhooks.
    pub core: SimCore,
    state: Arc<Mutex<GreenhouseState>>,
    tokens: Arc<Mutex<HashMap<String, IssuedToken>>>,
    lifetime: Arc<Mutex<Duration>>,
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl GhApp {
    /// An empty tenant using `config`.
    pub fn new(config: SimConfig) -> Self {
        Self {
            core: SimCore::new(config),
            state: Arc::default(),
            tokens: Arc::default(),
            lifetime: Arc::new(Mutex::new(TOKEN_LIFETIME)),
        }
    }

    /// Locks the tenant's data.
    pub fn lock(&self) -> MutexGuard<'_, GreenhouseState> {
        guard(&self.state)
    }

    /// Locks the issued tokens.
    pub fn tokens(&self) -> MutexGuard<'_, HashMap<String, IssuedToken>> {
        guard(&self.tokens)
    }

    /// Lifetime of newly minted tokens.
    pub fn token_lifetime(&self) -> Duration {
        *guard(&self.lifetime)
    }

    /// Sets the lifetime of newly minted tokens.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        *guard(&self.lifetime) = lifetime;
    }

    /// Expires every issued token, so the next v3 call gets a 401.
    pub fn expire_tokens(&self) {
        for token in self.tokens().values_mut() {
            token.expires_at = SystemTime::UNIX_EPOCH;
        }
    }

    /// The full router: Harvest v1 and v3, `/token`, and `/_sim/` control routes.
    pub fn router(&self) -> Router {
        let routes = Router::new()
            .route("/token", axum::routing::post(auth::token))
            .merge(v3_read::routes())
            .merge(v3_write::routes())
            .merge(v1::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

/// A running Greenhouse simulator.
#[derive(Debug)]
pub struct GreenhouseSim {
    app: GhApp,
    server: SimServer,
}

impl GreenhouseSim {
    /// Starts an empty tenant on a loopback port with the default config.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(config(), "127.0.0.1:0".parse().map_err(std::io::Error::other)?).await
    }

    /// Starts on `addr` with `config`.
    pub async fn start_with(config: SimConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let app = GhApp::new(config);
        let server = SimServer::bind(addr, app.router()).await?;
        Ok(Self { app, server })
    }

    /// Harvest API root (`ConnectOptions::base_url`).
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// Token host (`ConnectOptions::auth_base_url`); the same server answers `/token`.
    pub fn auth_base_url(&self) -> String {
        self.server.url()
    }

    /// Seeding helpers and token controls.
    pub fn app(&self) -> &GhApp {
        &self.app
    }

    /// Faults, request log, rate limits, webhooks.
    pub fn core(&self) -> &SimCore {
        &self.app.core
    }

    /// A snapshot of the tenant's data.
    pub fn state(&self) -> GreenhouseState {
        self.app.lock().clone()
    }

    /// Runs `f` on the tenant's data (to seed or inspect in place).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut GreenhouseState) -> R) -> R {
        f(&mut self.app.lock())
    }
}
