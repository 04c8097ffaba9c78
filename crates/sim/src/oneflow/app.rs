//! The Oneflow simulator's defaults, its state and router ([`OfApp`]), and
//! the running simulator ([`OneflowSim`]).

use super::model::OneflowState;
use super::{account, auth, contracts, control, errors, parties, webhook};
use crate::harness::lock;
use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{Running, SimApp, SimConfig, SimCore};
use axum::Router;
use hiresync_core::ProviderKind;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The Oneflow defaults: 2000 requests per 5 minutes per token, no rate-limit headers.
pub fn config() -> SimConfig {
    SimConfig {
        provider: ProviderKind::Oneflow,
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
    pub(super) delays: Arc<Mutex<Vec<Duration>>>,
}

impl SimApp for OfApp {
    type State = OneflowState;

    fn config() -> SimConfig {
        config()
    }

    fn new(config: SimConfig) -> Self {
        Self {
            core: SimCore::new(config),
            state: Arc::default(),
            delays: Arc::new(Mutex::new(webhook::documented_delays())),
        }
    }

    fn core(&self) -> &SimCore {
        &self.core
    }

    fn lock(&self) -> MutexGuard<'_, OneflowState> {
        lock(&self.state)
    }

    /// The v1 API, file storage and the `/_sim/` control routes.
    fn router(&self) -> Router {
        let routes = Router::new()
            .merge(account::routes())
            .merge(contracts::routes())
            .merge(parties::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

impl OfApp {
    /// Locks the account's data.
    pub fn lock(&self) -> MutexGuard<'_, OneflowState> {
        SimApp::lock(self)
    }
}

/// A running Oneflow simulator; paths start with `/v1`.
pub type OneflowSim = Running<OfApp>;
