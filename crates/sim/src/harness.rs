//! The harness every simulator runs in: [`SimCore`] holds the request log,
//! the faults to inject, the rate-limit windows and the webhook registry; its
//! middleware applies them to each request before the provider's routes see
//! it, and its methods (and the `/_sim/` routes over them) control them.

use crate::conn::ConnHandle;
use crate::faults::{Fault, FaultRates, Faults, ScriptedFault};
use crate::log::LoggedRequest;
use crate::ratelimit::{RateLimitConfig, TimeScale, Windows};
use crate::webhooks::{Signer, Webhooks};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hiresync_core::ProviderKind;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Largest request body a simulator accepts.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Provider-specific pieces the shared infrastructure needs.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Which provider this simulates.
    pub provider: ProviderKind,
    /// Rate-limit rules and header style.
    pub rate_limits: RateLimitConfig,
    /// The provider's error body for a status (used by injected faults and 429s).
    pub error_body: fn(u16) -> serde_json::Value,
    /// Which credential a request spends rate limit from.
    pub rate_key: fn(&HeaderMap) -> String,
    /// The provider's webhook signature.
    pub signer: Signer,
}

/// Shared simulator state: faults, request log, rate limits, webhooks. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SimCore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: SimConfig,
    faults: Mutex<Faults>,
    log: Mutex<Vec<LoggedRequest>>,
    seq: AtomicU64,
    rate_limits: Mutex<RateLimitConfig>,
    windows: Mutex<Windows>,
    time_scale: Mutex<TimeScale>,
    webhooks: Webhooks,
}

/// Locks simulator state: a panicking handler must not wedge the simulator for every later request.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SimCore {
    /// Shared state for one simulator.
    pub fn new(config: SimConfig) -> Self {
        let webhooks = Webhooks::new(config.signer);
        let rate_limits = Mutex::new(config.rate_limits.clone());
        let inner = Inner {
            config,
            faults: Mutex::default(),
            log: Mutex::default(),
            seq: AtomicU64::new(0),
            rate_limits,
            windows: Mutex::default(),
            time_scale: Mutex::default(),
            webhooks,
        };
        Self { inner: Arc::new(inner) }
    }

    /// Adds the `/_sim/` control routes and the fault / rate-limit / logging middleware to a provider router.
    pub fn wrap(&self, router: Router) -> Router {
        router
            .merge(crate::control::routes().with_state(self.clone()))
            .layer(middleware::from_fn_with_state(self.clone(), intercept))
    }

    /// Which provider this simulates.
    pub fn provider(&self) -> ProviderKind {
        self.inner.config.provider
    }

    /// Replaces the standing fault rates.
    pub fn set_fault_rates(&self, rates: FaultRates) {
        lock(&self.inner.faults).rates = rates;
    }

    /// Queues a one-shot fault.
    pub fn inject(&self, fault: ScriptedFault) {
        lock(&self.inner.faults).scripted.push_back(fault);
    }

    /// The next `count` requests are answered with `status`.
    pub fn fail_next(&self, count: u32, status: u16) {
        self.inject(ScriptedFault { fault: Fault::Status { status }, count, path_prefix: None, method: None });
    }

    /// The next `count` requests have their connection cut.
    pub fn drop_next(&self, count: u32) {
        self.inject(ScriptedFault { fault: Fault::Drop, count, path_prefix: None, method: None });
    }

    /// The next `count` requests with `method` under `path_prefix` are carried out, then their
    /// connection is cut before the answer arrives.
    pub fn lose_next_responses(&self, count: u32, method: &str, path_prefix: &str) {
        self.inject(ScriptedFault {
            fault: Fault::LoseResponse,
            count,
            path_prefix: Some(path_prefix.to_owned()),
            method: Some(method.to_owned()),
        });
    }

    /// The next `count` requests are answered 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit_next(&self, count: u32, retry_after_secs: u64) {
        self.inject(ScriptedFault {
            fault: Fault::RateLimited { retry_after_secs },
            count,
            path_prefix: None,
            method: None,
        });
    }

    /// The next `count` requests wait `delay` before being answered.
    pub fn delay_next(&self, count: u32, delay: Duration) {
        self.inject(ScriptedFault { fault: crate::faults::delay(delay), count, path_prefix: None, method: None });
    }

    /// Removes every fault, standing or queued.
    pub fn clear_faults(&self) {
        *lock(&self.inner.faults) = Faults::default();
    }

    /// The current faults.
    pub fn faults(&self) -> Faults {
        lock(&self.inner.faults).clone()
    }

    /// Every request served so far, oldest first (control routes excluded).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.inner.log).clone()
    }

    /// Requests with this method whose path starts with `path_prefix`.
    pub fn requests_to(&self, method: &str, path_prefix: &str) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(path_prefix))
            .collect()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        lock(&self.inner.log).clear();
    }

    /// The rate-limit configuration.
    pub fn rate_limits(&self) -> RateLimitConfig {
        lock(&self.inner.rate_limits).clone()
    }

    /// Replaces the rate-limit configuration and resets every window.
    pub fn set_rate_limits(&self, config: RateLimitConfig) {
        *lock(&self.inner.rate_limits) = config;
        *lock(&self.inner.windows) = Windows::default();
    }

    /// Runs the rate-limit clock `scale` times faster (benchmarks) and resets every window.
    pub fn set_time_scale(&self, scale: TimeScale) {
        *lock(&self.inner.time_scale) = scale;
        *lock(&self.inner.windows) = Windows::default();
    }

    /// The webhook registry.
    pub fn webhooks(&self) -> &Webhooks {
        &self.inner.webhooks
    }

    /// The provider's error body for `status`.
    pub fn error_response(&self, status: u16) -> Response {
        let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (code, axum::Json((self.inner.config.error_body)(status))).into_response()
    }

    fn record(&self, mut entry: LoggedRequest) {
        entry.seq = self.inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
        lock(&self.inner.log).push(entry);
    }
}

async fn intercept(State(core): State<SimCore>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/_sim") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return core.error_response(413);
    };
    let mut entry = LoggedRequest {
        seq: 0,
        at_us: crate::log::now_us(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: 0,
        fault: None,
    };
    let faults = lock(&core.inner.faults).pick(&entry.method, &entry.path);
    let lose = faults.contains(&Fault::LoseResponse);
    for fault in faults {
        if let Some(response) = apply(&core, &fault, &parts.extensions, &mut entry).await {
            entry.status = response.status().as_u16();
            core.record(entry);
            return response;
        }
    }
    let kill = if lose { parts.extensions.get::<ConnectInfo<ConnHandle>>().map(|c| c.0.kill.clone()) } else { None };
    let key = (core.inner.config.rate_key)(&parts.headers);
    let rules = core.rate_limits();
    let scale = *lock(&core.inner.time_scale);
    let decision = lock(&core.inner.windows).check(&rules, scale, &entry.path, &key);
    let mut response = match &decision {
        Some(d) if !d.allowed => {
            let mut r = core.error_response(429);
            insert(r.headers_mut(), "retry-after", &d.retry_after);
            r
        }
        _ => next.run(Request::from_parts(parts, Body::from(bytes))).await,
    };
    for (name, value) in decision.map(|d| d.headers).unwrap_or_default() {
        insert(response.headers_mut(), &name, &value);
    }
    entry.status = response.status().as_u16();
    if let Some(kill) = kill {
        entry.fault = Some("lose_response".into());
        // The work is done; the answer goes to a cut connection and never arrives.
        kill.kill();
    }
    core.record(entry);
    response
}

async fn apply(
    core: &SimCore,
    fault: &Fault,
    ext: &axum::http::Extensions,
    entry: &mut LoggedRequest,
) -> Option<Response> {
    match fault {
        Fault::Delay { millis } => {
            tokio::time::sleep(Duration::from_millis(*millis)).await;
            None
        }
        Fault::Drop => {
            entry.fault = Some("drop".into());
            if let Some(ConnectInfo(conn)) = ext.get::<ConnectInfo<ConnHandle>>() {
                conn.kill.kill();
            }
            // Written to a cut connection, this response never arrives.
            Some(StatusCode::BAD_GATEWAY.into_response())
        }
        Fault::Status { status } => {
            entry.fault = Some("status".into());
            Some(core.error_response(*status))
        }
        // Applied once the request has been carried out (see `intercept`).
        Fault::LoseResponse => None,
        Fault::RateLimited { retry_after_secs } => {
            entry.fault = Some("rate_limited".into());
            let mut r = core.error_response(429);
            insert(r.headers_mut(), "retry-after", &retry_after_secs.to_string());
            Some(r)
        }
        Fault::Throttled { retry_after } => {
            entry.fault = Some("throttled".into());
            let mut r = core.error_response(429);
            insert(r.headers_mut(), "retry-after", retry_after);
            Some(r)
        }
        Fault::Huge { bytes } => {
            entry.fault = Some("huge".into());
            Some((StatusCode::OK, [("content-type", "application/json")], vec![b' '; *bytes]).into_response())
        }
    }
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
        headers.insert(n, v);
    }
}
