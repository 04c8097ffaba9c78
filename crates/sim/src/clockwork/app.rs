//! The Clockwork simulator's defaults, its state and router ([`CwApp`]),
//! and the running simulator ([`ClockworkSim`]).

use super::model::ClockworkState;
use super::{auth, control, details, errors, extras, people, projects, webhook};
use crate::harness::lock;
use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{Running, SimApp, SimConfig, SimCore};
use axum::Router;
use hiresync_core::ProviderKind;
use std::sync::{Arc, Mutex, MutexGuard};

/// The firm a fresh simulator serves.
pub const DEFAULT_FIRM: &str = "acme";

/// Clockwork publishes no limits; the simulator allows 300 requests per minute per API key and
/// announces them as `X-RateLimit-{Limit,Remaining,Reset}` with a reset in seconds (all assumed).
pub fn config() -> SimConfig {
    SimConfig {
        provider: ProviderKind::Clockwork,
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

impl SimApp for CwApp {
    type State = ClockworkState;

    fn config() -> SimConfig {
        config()
    }

    /// An empty firm named [`DEFAULT_FIRM`] using `config`.
    fn new(config: SimConfig) -> Self {
        let state = ClockworkState { firm: DEFAULT_FIRM.into(), ..ClockworkState::default() };
        Self { core: SimCore::new(config), state: Arc::new(Mutex::new(state)) }
    }

    fn core(&self) -> &SimCore {
        &self.core
    }

    fn lock(&self) -> MutexGuard<'_, ClockworkState> {
        lock(&self.state)
    }

    /// The v3 routes and the `/_sim/` control routes.
    fn router(&self) -> Router {
        let routes = Router::new()
            .merge(people::routes())
            .merge(details::routes())
            .merge(extras::routes())
            .merge(projects::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

impl CwApp {
    /// Locks the firm's data.
    pub fn lock(&self) -> MutexGuard<'_, ClockworkState> {
        SimApp::lock(self)
    }
}

/// A running Clockwork simulator.
pub type ClockworkSim = Running<CwApp>;

impl ClockworkSim {
    /// The firm name, usable as the credentials' `firm_domain`; paths continue with `/v3.0/{firm}`.
    pub fn firm(&self) -> String {
        self.app().lock().firm.clone()
    }
}
