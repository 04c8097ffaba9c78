//! The Teamtailor simulator's defaults, its state and router ([`TtApp`]),
//! and the running simulator ([`TeamtailorSim`]).

use super::model::TeamtailorState;
use super::{auth, candidates, collections, control, custom_field_values, errors, job_applications, webhook};
use crate::harness::lock;
use crate::ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle};
use crate::{Running, SimApp, SimConfig, SimCore};
use axum::Router;
use hiresync_core::ProviderKind;
use std::sync::{Arc, Mutex, MutexGuard};

/// The Teamtailor defaults: 50 requests per 10 s per key, reset counted in seconds.
pub fn config() -> SimConfig {
    SimConfig {
        provider: ProviderKind::Teamtailor,
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

impl SimApp for TtApp {
    type State = TeamtailorState;

    fn config() -> SimConfig {
        config()
    }

    fn new(config: SimConfig) -> Self {
        Self { core: SimCore::new(config), state: Arc::default() }
    }

    fn core(&self) -> &SimCore {
        &self.core
    }

    fn lock(&self) -> MutexGuard<'_, TeamtailorState> {
        lock(&self.state)
    }

    /// The v1 API and the `/_sim/` control routes.
    fn router(&self) -> Router {
        let routes = Router::new()
            .merge(collections::routes())
            .merge(candidates::routes())
            .merge(job_applications::routes())
            .merge(custom_field_values::routes())
            .merge(control::routes())
            .with_state(self.clone());
        self.core.wrap(routes)
    }
}

impl TtApp {
    /// Locks the company's data.
    pub fn lock(&self) -> MutexGuard<'_, TeamtailorState> {
        SimApp::lock(self)
    }
}

/// A running Teamtailor simulator; paths start with `/v1`.
pub type TeamtailorSim = Running<TtApp>;
