//! One rate limiter per credential.
//!
//! Until the provider's responses announce their windows, a governor quota
//! paces requests at the published rate. Once a response carries `Remaining`
//! and `Reset`, the limiter follows the provider's fixed windows instead: it
//! counts what it sent into the current window, spends the whole allowance as
//! soon as a window opens and waits out the rest. Pacing alone either leaves
//! allowance unused or, when its rhythm drifts against the provider's windows,
//! earns 429s; counting against the provider's own numbers does neither.
//!
//! The window's end is never known exactly, only bounded from above: a window
//! begins when the provider receives its first request, which is before any
//! response from that window arrives, so "response received + window length"
//! is never early; the `Reset` header (rounded up to whole seconds) is a second
//! bound. Waiting for the earlier of the two costs at most one round trip per
//! window. A new window that has not answered yet sends a single request
//! first, unless the provider's counts have matched ours so far: then it sends
//! the allowance at once.
//!
//! Processes that share a database share each credential's budget through it
//! ([`Budgets`], see `shared`); a lone process keeps it in memory (`local`).

mod headers;
mod local;
mod shared;
mod state;

pub use headers::{RateLimitHeaders, ResetStyle};
pub use shared::{BudgetError, BudgetStep, Budgets};

use super::HttpConfig;
use headers::{Heard, MAX_HEADER_PAUSE};
use hiresync_core::ProviderKind;
use http::HeaderMap;
use local::Local;
use shared::{Refused, Shared};
use state::{Shape, ticks};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// A credential's limiter: paced by the published quota until the provider's
/// headers announce its windows, then counting requests into those windows;
/// kept in memory, or in the database processes share ([`Budgets`]).
#[derive(Debug)]
pub struct RateLimiter {
    headers: RateLimitHeaders,
    budget: Budget,
}

// One per credential, behind an `Arc`: boxing the larger variant would only add a hop per request.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Budget {
    Local(Local),
    Shared(Shared),
}

/// Why no slot was handed out.
#[derive(Debug)]
pub enum Unavailable {
    /// The provider's pause, or the current window, lasts this much longer than the caller would wait.
    Wait(Duration),
    /// The budget several processes share could not be reached.
    Unreachable(String),
}

impl RateLimiter {
    /// A limiter shaped by `config`'s allowance and header names, in memory or, when
    /// `config.budgets` is set, shared with every process using the same budgets.
    pub fn new(config: &HttpConfig) -> Self {
        let shape =
            Shape { length: ticks(config.window), requests: config.requests.max(1), capped: config.allowance_is_own };
        let budget = match &config.budgets {
            None => Budget::Local(Local::new(config.quota, shape, config.window)),
            Some(budgets) => {
                let key = format!("{}:{}", config.provider.as_str(), config.credential_fingerprint);
                Budget::Shared(Shared::new(Arc::clone(budgets), key, shape, config.window))
            }
        };
        Self { headers: config.rate_limit_headers, budget }
    }

    /// Whether this limiter's budget is shared through [`Budgets`].
    pub fn is_shared(&self) -> bool {
        matches!(self.budget, Budget::Shared(_))
    }

    /// How long the provider told us to hold off, if it did and that time has not passed.
    pub fn paused_for(&self) -> Option<Duration> {
        match &self.budget {
            Budget::Local(local) => local.paused_for(),
            Budget::Shared(shared) => shared.paused_for(),
        }
    }

    /// Holds every request on this credential back for `wait`.
    pub fn pause_for(&self, wait: Duration) {
        let wait = wait.min(MAX_HEADER_PAUSE);
        match &self.budget {
            Budget::Local(local) => local.pause_for(wait),
            Budget::Shared(shared) => shared.pause_for(wait),
        }
    }

    /// Waits for a slot. Returns [`Unavailable::Wait`] instead of waiting when the provider's
    /// pause, or the current window, lasts longer than `max_wait`.
    pub async fn acquire(self: &Arc<Self>, max_wait: Duration) -> Result<Permit, Unavailable> {
        match &self.budget {
            Budget::Local(local) => {
                let (number, window) = local.acquire(max_wait).await.map_err(Unavailable::Wait)?;
                Ok(self.permit(number, window))
            }
            Budget::Shared(shared) => {
                let (number, window, at) = shared.acquire(max_wait).await.map_err(|e| match e {
                    Refused::Wait(wait) => Unavailable::Wait(wait),
                    Refused::Unreachable(why) => Unavailable::Unreachable(why),
                })?;
                // Made before the wait, so a request cancelled meanwhile still hands its slot back.
                let mut permit = self.permit(number, window);
                if at > Instant::now() {
                    sleep_until(at).await;
                    permit.sent = Instant::now();
                }
                Ok(permit)
            }
        }
    }

    fn permit(self: &Arc<Self>, number: u64, window: Option<u64>) -> Permit {
        Permit {
            limiter: Arc::clone(self),
            number,
            window,
            sent: Instant::now(),
            received: None,
            received_on_wall: None,
            answered: false,
        }
    }

    fn answered(&self, permit: &Permit, heard: Option<Heard>) {
        let received = permit.received.unwrap_or_else(Instant::now);
        match &self.budget {
            Budget::Local(local) => local.answered(permit.number, permit.window, permit.sent, received, heard.as_ref()),
            Budget::Shared(shared) => shared.answered(permit.number, permit.window, permit.sent, received, heard),
        }
    }
}

/// Sleeps until `until` to within a few microseconds. tokio's timer wakes on whole
/// milliseconds, rounded up: a window opening up to a millisecond late loses that share
/// of the allowance on short windows. The last millisecond yields instead of sleeping.
async fn sleep_until(until: Instant) {
    const TICK: Duration = Duration::from_millis(1);
    if let Some(early) = until.checked_sub(TICK).filter(|early| *early > Instant::now()) {
        tokio::time::sleep_until(early).await;
    }
    // Bounded by the real clock too: under a paused test clock `Instant::now` stands still.
    let spinning = std::time::Instant::now();
    while Instant::now() < until && spinning.elapsed() < 2 * TICK {
        tokio::task::yield_now().await;
    }
    if Instant::now() < until {
        tokio::time::sleep_until(until).await;
    }
}

/// A slot on the credential's limiter, handed back with the response so the
/// limiter learns the provider's count. Dropped unanswered (the request failed
/// without a response, or was cancelled), it still bounds its window.
#[derive(Debug)]
pub struct Permit {
    limiter: Arc<RateLimiter>,
    number: u64,
    window: Option<u64>,
    /// When the request was let go.
    sent: Instant,
    /// When the response's head arrived: the window's end is bounded from then, not from the body's end.
    received: Option<Instant>,
    /// The same on the wall clock, which epoch resets count from.
    received_on_wall: Option<SystemTime>,
    answered: bool,
}

impl Permit {
    /// The response's status and headers have arrived.
    pub fn received(&mut self) {
        self.received = Some(Instant::now());
        self.received_on_wall = Some(SystemTime::now());
    }

    /// The provider answered with `headers`; `refused_for` is a 429's `Retry-After`.
    pub fn answered(mut self, headers: &HeaderMap, refused_for: Option<Duration>) {
        self.answered = true;
        // Counted from the response's arrival, as the window's end is: not from now, after its body.
        let at = self.received_on_wall.unwrap_or_else(SystemTime::now);
        let heard = Heard::read(&self.limiter.headers, headers, at, refused_for);
        self.limiter.answered(&self, Some(heard));
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if !self.answered {
            self.limiter.answered(self, None);
        }
    }
}

type Registry = Mutex<HashMap<(ProviderKind, String), Weak<RateLimiter>>>;
static LIMITERS: LazyLock<Registry> = LazyLock::new(Registry::default);

/// The limiter for this config's credential, shared by every client using
/// the same credential so two connections on one key share one budget.
pub fn limiter_for(config: &HttpConfig) -> Arc<RateLimiter> {
    let key = (config.provider, config.credential_fingerprint.clone());
    let Ok(mut registry) = LIMITERS.lock() else {
        return Arc::new(RateLimiter::new(config));
    };
    if let Some(existing) = registry.get(&key).and_then(Weak::upgrade)
        && existing.is_shared() == config.budgets.is_some()
    {
        return existing;
    }
    registry.retain(|_, weak| weak.strong_count() > 0);
    let limiter = Arc::new(RateLimiter::new(config));
    registry.insert(key, Arc::downgrade(&limiter));
    limiter
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use http::HeaderValue;

    /// 5 requests per second, announced with the default header names.
    fn limiter() -> Arc<RateLimiter> {
        Arc::new(RateLimiter::new(&HttpConfig::new(ProviderKind::Greenhouse, "fp", 5, Duration::from_secs(1))))
    }

    fn announced(limit: u32, remaining: u32, reset: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("X-Ratelimit-Limit", HeaderValue::from_str(&limit.to_string()).unwrap());
        headers.insert("X-Ratelimit-Remaining", HeaderValue::from_str(&remaining.to_string()).unwrap());
        headers.insert("X-Ratelimit-Reset", HeaderValue::from_str(reset).unwrap());
        headers
    }

    async fn take(l: &Arc<RateLimiter>) -> Permit {
        l.acquire(Duration::from_secs(60)).await.unwrap()
    }

    /// Takes permits until one would wait, answering none of them.
    async fn take_ready(l: &Arc<RateLimiter>) -> Vec<Permit> {
        let mut taken = Vec::new();
        while let Ok(permit) = tokio::time::timeout(Duration::from_millis(1), take(l)).await {
            taken.push(permit);
        }
        taken
    }

    #[tokio::test(start_paused = true)]
    async fn announced_windows_are_spent_at_once_then_waited_out() {
        let l = limiter();
        let started = Instant::now();
        take(&l).await.answered(&announced(5, 4, "1"), None);
        assert_eq!(take_ready(&l).await.len(), 4, "the rest of the first window goes at once");
        // The next window has not answered and the provider's count is not yet trusted: one request first.
        let probe = take(&l).await;
        assert!(started.elapsed() >= Duration::from_secs(1), "waited for the window to end");
        assert!(take_ready(&l).await.is_empty());
        probe.answered(&announced(5, 4, "1"), None);
        assert_eq!(take_ready(&l).await.len(), 4);
        // Counts matched: the next window sends its whole allowance before any answer.
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(take_ready(&l).await.len(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn another_clients_requests_count_against_the_window() {
        let l = limiter();
        take(&l).await.answered(&announced(5, 4, "1"), None);
        let second = take(&l).await;
        // The provider counted 4 by the time it answered our second request: one is left.
        second.answered(&announced(5, 1, "1"), None);
        assert_eq!(take_ready(&l).await.len(), 1);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let probe = take(&l).await;
        assert!(take_ready(&l).await.is_empty(), "distrust: a new window probes first");
        drop(probe);
    }

    #[tokio::test(start_paused = true)]
    async fn a_reset_beyond_the_window_means_a_longer_window() {
        let l = limiter();
        let started = Instant::now();
        take(&l).await.answered(&announced(2, 1, "30"), None);
        assert_eq!(take_ready(&l).await.len(), 1);
        let _next = take(&l).await;
        assert!(started.elapsed() >= Duration::from_secs(30), "waited {:?}", started.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_ends_one_window_after_its_first_answer_when_reset_is_rounded_up() {
        let l =
            Arc::new(RateLimiter::new(&HttpConfig::new(ProviderKind::Greenhouse, "fp", 1, Duration::from_secs(10))));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let answered_at = Instant::now();
        // Whole seconds rounded up: the reset says 11 s, the window can end no later than 10 s from now.
        take(&l).await.answered(&announced(1, 0, "11"), None);
        let _next = take(&l).await;
        let waited = answered_at.elapsed();
        assert!(waited >= Duration::from_secs(10) && waited < Duration::from_millis(10_100), "waited {waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_could_land_in_the_next_window_waits_for_it() {
        let l =
            Arc::new(RateLimiter::new(&HttpConfig::new(ProviderKind::Greenhouse, "fp", 5, Duration::from_secs(10))));
        let first = take(&l).await;
        tokio::time::sleep(Duration::from_millis(40)).await;
        // Answered 40 ms after it went out: the window ends between 10 s and 10.04 s from its start.
        first.answered(&announced(5, 4, "10"), None);
        tokio::time::sleep(Duration::from_millis(9_970)).await;
        let sent_late = Instant::now();
        let _late = take(&l).await;
        assert!(sent_late.elapsed() >= Duration::from_millis(30), "sent {:?} later", sent_late.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_holds_every_request_until_retry_after() {
        let l = limiter();
        take(&l).await.answered(&announced(5, 4, "1"), None);
        let refused_at = Instant::now();
        take(&l).await.answered(&announced(5, 0, "1"), Some(Duration::from_secs(3)));
        let _next = take(&l).await;
        assert!(refused_at.elapsed() >= Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn a_connections_own_allowance_caps_what_headers_allow() {
        let config = HttpConfig::new(ProviderKind::Greenhouse, "fp", 5, Duration::from_secs(1))
            .with_rate_limit(Some(hiresync_core::RateLimit { requests: 3, per_seconds: 1.0 }));
        let l = Arc::new(RateLimiter::new(&config));
        take(&l).await.answered(&announced(100, 99, "1"), None);
        assert_eq!(take_ready(&l).await.len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_probe_that_never_answers_still_opens_its_window() {
        let l = limiter();
        take(&l).await.answered(&announced(5, 4, "1"), None);
        drop(take_ready(&l).await);
        let probe = take(&l).await;
        let waiting = {
            let l = l.clone();
            tokio::spawn(async move { take(&l).await })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!waiting.is_finished());
        drop(probe);
        tokio::time::timeout(Duration::from_millis(10), waiting).await.unwrap().unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn exhausted_without_reset_pauses_a_second() {
        let l = limiter();
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        take(&l).await.answered(&headers, None);
        assert!(l.paused_for().unwrap() > Duration::from_millis(900));
    }

    #[tokio::test]
    async fn a_pause_longer_than_allowed_is_reported_not_slept() {
        let l = limiter();
        l.pause_for(Duration::from_secs(120));
        let Err(Unavailable::Wait(wait)) = l.acquire(Duration::from_secs(10)).await else { panic!("no wait reported") };
        assert!(wait > Duration::from_secs(100));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_announced_while_waiting_for_a_slot_is_honoured() {
        let l =
            Arc::new(RateLimiter::new(&HttpConfig::new(ProviderKind::Greenhouse, "fp", 1, Duration::from_millis(50))));
        drop(take(&l).await);
        let waiting = {
            let l = l.clone();
            tokio::spawn(async move {
                drop(take(&l).await);
                Instant::now()
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        let paused_at = Instant::now();
        l.pause_for(Duration::from_millis(200));
        let sent_at = waiting.await.unwrap();
        assert!(sent_at - paused_at >= Duration::from_millis(200), "sent {:?} after the pause", sent_at - paused_at);
    }

    #[test]
    fn one_credential_shares_one_limiter() {
        let a = HttpConfig::new(ProviderKind::Greenhouse, "fp-shared", 10, Duration::from_secs(1));
        let b = HttpConfig::new(ProviderKind::Greenhouse, "fp-other", 10, Duration::from_secs(1));
        assert!(Arc::ptr_eq(&limiter_for(&a), &limiter_for(&a)));
        assert!(!Arc::ptr_eq(&limiter_for(&a), &limiter_for(&b)));
    }
}
