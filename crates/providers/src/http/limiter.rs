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

use super::HttpConfig;
use governor::{DefaultDirectRateLimiter, Jitter};
use hiresync_core::ProviderKind;
use http::HeaderMap;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, SystemTime};
use tokio::sync::Notify;
use tokio::time::Instant;

/// Longest pause a header may impose; a larger value is treated as bogus.
const MAX_HEADER_PAUSE: Duration = Duration::from_secs(3600);

/// How a provider's reset header counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetStyle {
    /// Unix timestamp in seconds (Greenhouse).
    EpochSeconds,
    /// Seconds from now (Teamtailor).
    DeltaSeconds,
    /// Epoch when the value looks like one (≥ 10⁹), otherwise seconds from now.
    Auto,
}

/// Names of a provider's rate-limit headers (matched case-insensitively).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// Requests allowed per window.
    pub limit: &'static str,
    /// Requests left in the window.
    pub remaining: &'static str,
    /// When the window resets.
    pub reset: &'static str,
    /// How `reset` counts.
    pub reset_style: ResetStyle,
}

impl Default for RateLimitHeaders {
    fn default() -> Self {
        Self {
            limit: "x-ratelimit-limit",
            remaining: "x-ratelimit-remaining",
            reset: "x-ratelimit-reset",
            reset_style: ResetStyle::Auto,
        }
    }
}

/// A credential's limiter: paced by the published quota until the provider's
/// headers announce its windows, then counting requests into those windows.
#[derive(Debug)]
pub struct RateLimiter {
    quota: DefaultDirectRateLimiter,
    /// The published (or the connection's own) window length.
    window: Duration,
    /// The published (or the connection's own) allowance per window.
    requests: u32,
    /// Whether `requests` is the connection's own allowance, which headers may lower but never raise.
    capped: bool,
    headers: RateLimitHeaders,
    state: Mutex<State>,
    /// Wakes requests waiting for a window's first answer or for a pause to change.
    changed: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// Requests sent so far; a permit's number.
    sent: u64,
    /// Set by a 429's `Retry-After`: nothing goes out before.
    paused_until: Option<Instant>,
    /// The provider's current window, once its headers announced one.
    window: Option<Window>,
    /// Whether the provider's counts matched ours in the last window that answered.
    trusted: bool,
}

#[derive(Debug)]
struct Window {
    id: u64,
    limit: u32,
    /// Requests counted into this window: ours, or the provider's count when higher.
    used: u32,
    /// The latest this window can end; unknown until a response from it arrives.
    ends: Option<Instant>,
    /// `State::sent` before this window's first request.
    before: u64,
    /// When this window's first request went out: the window ends no earlier than a window
    /// length later. A request sent after that may reach the provider in the next window.
    opened: Option<Instant>,
}

/// What a request waiting for a slot does next.
enum Next {
    Go(u64, Option<u64>),
    Paced,
    Until(Instant),
    FirstAnswer,
}

impl State {
    fn next(&mut self, now: Instant, length: Duration) -> Next {
        if let Some(until) = self.paused_until.filter(|until| *until > now) {
            return Next::Until(until);
        }
        let Some(window) = self.window.as_mut() else { return Next::Paced };
        if window.ends.is_some_and(|ends| now >= ends) {
            *window =
                Window { id: window.id + 1, limit: window.limit, used: 0, ends: None, before: self.sent, opened: None };
        }
        // Between the window's earliest and latest possible end a request could land in either
        // window; waiting the round trip out keeps the next window's count exact.
        // (A reset far beyond a window length, a longer window than we were told, has no such zone we know of.)
        let closing = window.opened.is_some_and(|opened| {
            now >= opened + length && window.ends.is_none_or(|ends| ends <= opened + length + length / 4)
        });
        // An unconfirmed window sends one request and learns the provider's count from its answer.
        let room = if window.ends.is_none() && !self.trusted { window.limit.min(1) } else { window.limit };
        if window.used < room && !closing {
            window.opened.get_or_insert(now);
            window.used += 1;
            self.sent += 1;
            return Next::Go(self.sent, Some(window.id));
        }
        match window.ends {
            Some(ends) => Next::Until(ends),
            None => Next::FirstAnswer,
        }
    }

    /// Holds every request back until `until`, or longer if a pause already says so.
    fn pause_until(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |current| current.max(until)));
    }

    /// The current window, when `permit` was sent into it.
    fn window_of(&mut self, permit: Option<u64>) -> Option<&mut Window> {
        self.window.as_mut().filter(|w| permit == Some(w.id))
    }
}

/// What a response said about the provider's window.
struct Announced {
    remaining: u32,
    limit: Option<u32>,
    resets_in: Duration,
}

impl RateLimiter {
    /// A limiter shaped by `config`'s allowance and header names.
    pub fn new(config: &HttpConfig) -> Self {
        Self {
            quota: DefaultDirectRateLimiter::direct(config.quota),
            window: config.window,
            requests: config.requests.max(1),
            capped: config.allowance_is_own,
            headers: config.rate_limit_headers,
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is plain counters, each left consistent by every writer.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How long the provider told us to hold off, if it did and that time has not passed.
    pub fn paused_for(&self) -> Option<Duration> {
        let until = self.state().paused_until?;
        until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())
    }

    /// Holds every request on this credential back for `wait`.
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait.min(MAX_HEADER_PAUSE);
        let mut state = self.state();
        state.pause_until(until);
        drop(state);
        self.changed.notify_waiters();
    }

    /// Waits for a slot. Returns `Err(wait)` instead of waiting when the
    /// provider's pause, or the current window, lasts longer than `max_wait`.
    pub async fn acquire(self: &Arc<Self>, max_wait: Duration) -> Result<Permit, Duration> {
        loop {
            // Registered before the state is read, so a change made in between still wakes us.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let now = Instant::now();
            let next = self.state().next(now, self.window);
            match next {
                Next::Go(number, window) => return Ok(self.permit(number, window)),
                Next::Until(until) => {
                    let wait = until - now;
                    if wait > max_wait {
                        return Err(wait);
                    }
                    tokio::select! {
                        () = sleep_until(until) => {}
                        () = changed => {}
                    }
                }
                Next::FirstAnswer => {
                    // A dropped permit answers too, so this wait ends; the timeout is a backstop.
                    let _ = tokio::time::timeout(self.window, changed).await;
                }
                Next::Paced => {
                    self.quota.until_ready_with_jitter(Jitter::up_to(Duration::from_millis(20))).await;
                    let mut state = self.state();
                    // While this request waited, a response may have paused the credential or
                    // announced the provider's windows: then it queues as the others do.
                    if state.window.is_none() && state.paused_until.is_none_or(|until| until <= Instant::now()) {
                        state.sent += 1;
                        let number = state.sent;
                        drop(state);
                        return Ok(self.permit(number, None));
                    }
                }
            }
        }
    }

    fn permit(self: &Arc<Self>, number: u64, window: Option<u64>) -> Permit {
        Permit { limiter: Arc::clone(self), number, window, sent: Instant::now(), received: None, answered: false }
    }

    fn read(&self, headers: &HeaderMap, now: SystemTime) -> (Option<u32>, Option<Announced>) {
        let read =
            |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok());
        let remaining = read(self.headers.remaining).filter(|r| r.is_finite() && *r >= 0.0).map(|r| r.min(1e9) as u32);
        let limit = read(self.headers.limit).filter(|l| l.is_finite() && *l >= 1.0).map(|l| l.min(1e9) as u32);
        let resets_in = read(self.headers.reset)
            .map(|reset| reset_wait(reset, self.headers.reset_style, now))
            .filter(|wait| *wait < MAX_HEADER_PAUSE);
        let announced =
            remaining.zip(resets_in).map(|(remaining, resets_in)| Announced { remaining, limit, resets_in });
        (remaining, announced)
    }

    fn answered(&self, permit: &Permit, headers: &HeaderMap, refused_for: Option<Duration>) {
        let now = permit.received.unwrap_or_else(Instant::now);
        let (remaining, announced) = self.read(headers, SystemTime::now());
        let mut state = self.state();
        match announced {
            Some(announced) => self.follow(&mut state, permit, now, &announced),
            // Without a reset to go by, an exhausted allowance holds requests back for a second.
            None if remaining == Some(0) => {
                let until = now + Duration::from_secs(1);
                state.pause_until(until);
            }
            None => self.unannounced(&mut state, permit, now),
        }
        if let Some(wait) = refused_for {
            // The provider refused: its window is full whatever we counted, until it said.
            state.trusted = false;
            let until = now + wait.min(MAX_HEADER_PAUSE);
            state.pause_until(until);
            if let Some(window) = state.window_of(permit.window) {
                window.used = window.used.max(window.limit);
                window.ends = Some(until);
            }
        }
        drop(state);
        self.changed.notify_waiters();
    }

    /// Counts `permit`'s window as the provider announced it.
    fn follow(&self, state: &mut State, permit: &Permit, now: Instant, announced: &Announced) {
        let limit = match (announced.limit, self.capped) {
            (Some(limit), true) => limit.min(self.requests),
            (Some(limit), false) => limit,
            (None, _) => self.requests,
        };
        let provider_used = announced.limit.unwrap_or(self.requests).saturating_sub(announced.remaining);
        // Our requests sent after this one were counted after it, in this window or a later one.
        let later = u32::try_from(state.sent.saturating_sub(permit.number)).unwrap_or(u32::MAX);
        let resets = now + announced.resets_in;
        let bound = now + self.window;
        // A reset far beyond our bound means the provider's window is longer than we were told.
        let ends = if resets > bound + self.window / 4 { resets } else { resets.min(bound) };
        let sent = state.sent;
        let trusted = &mut state.trusted;
        match state.window.as_mut() {
            None => {
                state.window = Some(Window {
                    id: 1,
                    limit,
                    used: provider_used.saturating_add(later),
                    ends: Some(ends),
                    before: sent,
                    opened: Some(permit.sent),
                });
            }
            Some(window) if permit.window == Some(window.id) => {
                // Requests reach the provider in any order, so it may have counted any of ours.
                let ours = u32::try_from(sent - window.before).unwrap_or(u32::MAX);
                if provider_used > ours {
                    // Someone else spends this allowance, or the window is not the one we think:
                    // our requests sent after this one may not be in its count yet.
                    *trusted = false;
                    window.used = window.used.max(provider_used.saturating_add(later));
                } else if window.ends.is_none() {
                    *trusted = true;
                }
                window.limit = limit;
                window.ends = Some(window.ends.map_or(ends, |current| current.min(ends)));
            }
            // An answer from a window already over says nothing about the current one.
            Some(_) => {}
        }
    }

    /// A window's first answer carried no count (a failure, a proxy's error): bound its end anyway.
    fn unannounced(&self, state: &mut State, permit: &Permit, now: Instant) {
        if let Some(window) = state.window_of(permit.window).filter(|w| w.ends.is_none()) {
            window.ends = Some(now + self.window);
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
    answered: bool,
}

impl Permit {
    /// The response's status and headers have arrived.
    pub fn received(&mut self) {
        self.received = Some(Instant::now());
    }

    /// The provider answered with `headers`; `refused_for` is a 429's `Retry-After`.
    pub fn answered(mut self, headers: &HeaderMap, refused_for: Option<Duration>) {
        self.answered = true;
        self.limiter.answered(&self, headers, refused_for);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if !self.answered {
            let mut state = self.limiter.state();
            self.limiter.unannounced(&mut state, self, Instant::now());
            drop(state);
            self.limiter.changed.notify_waiters();
        }
    }
}

fn reset_wait(reset: f64, style: ResetStyle, now: SystemTime) -> Duration {
    let epoch = match style {
        ResetStyle::EpochSeconds => true,
        ResetStyle::DeltaSeconds => false,
        ResetStyle::Auto => reset >= 1e9,
    };
    if !reset.is_finite() || reset < 0.0 {
        return Duration::ZERO;
    }
    if epoch {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(reset.min(1e12));
        at.duration_since(now).unwrap_or(Duration::ZERO)
    } else {
        Duration::from_secs_f64(reset.min(1e9))
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
    if let Some(existing) = registry.get(&key).and_then(Weak::upgrade) {
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

    #[test]
    fn epoch_and_delta_resets_count_from_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_778_174_328);
        assert_eq!(reset_wait(1_778_174_358.0, ResetStyle::EpochSeconds, now), Duration::from_secs(30));
        assert_eq!(reset_wait(1_778_174_358.0, ResetStyle::Auto, now), Duration::from_secs(30));
        assert_eq!(reset_wait(5.0, ResetStyle::Auto, now), Duration::from_secs(5));
        assert_eq!(reset_wait(1_778_174_000.0, ResetStyle::EpochSeconds, now), Duration::ZERO);
        assert_eq!(reset_wait(f64::NAN, ResetStyle::DeltaSeconds, now), Duration::ZERO);
    }

    #[tokio::test]
    async fn a_pause_longer_than_allowed_is_reported_not_slept() {
        let l = limiter();
        l.pause_for(Duration::from_secs(120));
        let wait = l.acquire(Duration::from_secs(10)).await.unwrap_err();
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
