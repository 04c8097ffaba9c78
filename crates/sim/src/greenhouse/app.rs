//! The Greenhouse simulator's defaults, its state, issued tokens and router
//! ([`GhApp`]), and the running simulator ([`GreenhouseSim`]).

use super::auth::{self, IssuedToken, TOKEN_LIFETIME};
use super::model::GreenhouseState;
use super::{applications, candidates, control, custom_fields, errors, jobs, notes, v1, webhook};
use crate::harness::lock;
use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{Running, SimApp, SimConfig, SimCore};
use axum::Router;
use hiresync_core::ProviderKind;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// The Greenhouse defaults: 150 requests per 30 s on Harvest and 60 per 60 s on `/token`, as recorded.
pub fn config() -> SimConfig {
    SimConfig {
        provider: ProviderKind::Greenhouse,
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

impl SimApp for GhApp {
    type State = GreenhouseState;

    fn config() -> SimConfig {
        config()
    }

    fn new(config: SimConfig) -> Self {
        Self {
            core: SimCore::new(config),
            state: Arc::default(),
            tokens: Arc::default(),
            lifetime: Arc::new(Mutex::new(TOKEN_LIFETIME)),
        }
    }

    fn core(&self) -> &SimCore {
        &self.core
    }

    fn lock(&self) -> MutexGuard<'_, GreenhouseState> {
        lock(&self.state)
    }

    /// Harvest v1 and v3, `/token`, and the `/_sim/` control routes.
    fn router(&self) -> Router {
        let routes = Router::new()
            .route("/token", axum::routing::post(auth::token))
            .merge(jobs::routes())
            .merge(custom_fields::routes())
            .merge(candidates::routes())
            .merge(applications::routes())
            .merge(notes::routes())
            .merge(v1::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

impl GhApp {
    /// Locks the tenant's data.
    pub fn lock(&self) -> MutexGuard<'_, GreenhouseState> {
        SimApp::lock(self)
    }

    /// Locks the issued tokens.
    pub fn tokens(&self) -> MutexGuard<'_, HashMap<String, IssuedToken>> {
        lock(&self.tokens)
    }

    /// Lifetime of newly minted tokens.
    pub fn token_lifetime(&self) -> Duration {
        *lock(&self.lifetime)
    }

    /// Sets the lifetime of newly minted tokens.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        *lock(&self.lifetime) = lifetime;
    }

    /// Expires every issued token, so the next v3 call gets a 401.
    pub fn expire_tokens(&self) {
        for token in self.tokens().values_mut() {
            token.expires_at = SystemTime::UNIX_EPOCH;
        }
    }
}

/// A running Greenhouse simulator.
pub type GreenhouseSim = Running<GhApp>;

impl GreenhouseSim {
    /// Token host (`ConnectOptions::auth_base_url`); the same server answers `/token`.
    pub fn auth_base_url(&self) -> String {
        self.base_url()
    }
}
