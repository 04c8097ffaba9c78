//! One rate limiter per credential: a governor quota shaped like the
//! provider's published limit, paused by the provider's own signals (an
//! exhausted `Remaining` until `Reset`, or a 429's `Retry-After`).

use super::HttpConfig;
use governor::{DefaultDirectRateLimiter, Jitter, Quota};
use http::HeaderMap;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};
use std::time::{Duration, SystemTime};
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

/// A credential's limiter: the quota plus a pause set from response headers.
#[derive(Debug)]
pub struct RateLimiter {
    quota: DefaultDirectRateLimiter,
    paused_until: Mutex<Option<Instant>>,
    headers: RateLimitHeaders,
}

impl RateLimiter {
    /// A limiter with the given quota and header names.
    pub fn new(quota: Quota, headers: RateLimitHeaders) -> Self {
        Self { quota: DefaultDirectRateLimiter::direct(quota), paused_until: Mutex::new(None), headers }
    }

    /// How long the provider told us to hold off, if it did and that time has not passed.
    pub fn paused_for(&self) -> Option<Duration> {
        let until = (*self.paused_until.lock().ok()?)?;
        until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())
    }

    /// Holds every request on this credential back for `wait`.
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait.min(MAX_HEADER_PAUSE);
        if let Ok(mut guard) = self.paused_until.lock() {
            *guard = Some(guard.map_or(until, |current| current.max(until)));
        }
    }

    /// Waits for a slot. Returns `Err(remaining)` instead of waiting when the
    /// provider-imposed pause is longer than `max_wait`.
    pub async fn acquire(&self, max_wait: Duration) -> Result<(), Duration> {
        loop {
            if let Some(wait) = self.paused_for() {
                if wait > max_wait {
                    return Err(wait);
                }
                tokio::time::sleep(wait).await;
            }
            self.quota.until_ready_with_jitter(Jitter::up_to(Duration::from_millis(20))).await;
            // While this request waited for its slot, a response may have announced an
            // exhausted window: sending now would only earn a 429.
            if self.paused_for().is_none() {
                return Ok(());
            }
        }
    }

    /// Reads the rate-limit headers of a response: an exhausted window pauses until its reset.
    pub fn observe(&self, headers: &HeaderMap, now: SystemTime) {
        let read =
            |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok());
        let Some(remaining) = read(self.headers.remaining) else {
            return;
        };
        if remaining > 0.0 {
            return;
        }
        let wait = read(self.headers.reset)
            .map_or(Duration::from_secs(1), |reset| reset_wait(reset, self.headers.reset_style, now));
        if wait < MAX_HEADER_PAUSE {
            self.pause_for(wait);
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

type Registry = Mutex<HashMap<(&'static str, String), Weak<RateLimiter>>>;
static LIMITERS: LazyLock<Registry> = LazyLock::new(Registry::default);

/// The limiter for this config's credential, shared by every client using
/// the same credential so two connections on one key share one budget.
pub fn limiter_for(config: &HttpConfig) -> Arc<RateLimiter> {
    let key = (config.provider, config.credential_fingerprint.clone());
    let Ok(mut registry) = LIMITERS.lock() else {
        return Arc::new(RateLimiter::new(config.quota, config.rate_limit_headers));
    };
    if let Some(existing) = registry.get(&key).and_then(Weak::upgrade) {
        return existing;
    }
    registry.retain(|_, weak| weak.strong_count() > 0);
    let limiter = Arc::new(RateLimiter::new(config.quota, config.rate_limit_headers));
    registry.insert(key, Arc::downgrade(&limiter));
    limiter
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn limiter() -> RateLimiter {
        RateLimiter::new(Quota::per_second(std::num::NonZeroU32::MIN), RateLimitHeaders::default())
    }

    #[test]
    fn exhausted_window_pauses_until_the_epoch_reset() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_778_174_328);
        let mut headers = HeaderMap::new();
        headers.insert("X-Ratelimit-Remaining", HeaderValue::from_static("0"));
        headers.insert("X-Ratelimit-Reset", HeaderValue::from_static("1778174358"));
        let l = limiter();
        l.observe(&headers, now);
        let paused = l.paused_for().unwrap();
        assert!(paused > Duration::from_secs(29) && paused <= Duration::from_secs(30));
    }

    #[test]
    fn remaining_budget_or_delta_resets_behave() {
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("3"));
        let l = limiter();
        l.observe(&headers, now);
        assert_eq!(l.paused_for(), None);
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("5"));
        l.observe(&headers, now);
        assert!(l.paused_for().unwrap() > Duration::from_secs(4));
    }

    #[tokio::test]
    async fn a_pause_longer_than_allowed_is_reported_not_slept() {
        let l = limiter();
        l.pause_for(Duration::from_secs(120));
        let wait = l.acquire(Duration::from_secs(10)).await.unwrap_err();
        assert!(wait > Duration::from_secs(100));
    }

    #[tokio::test]
    async fn a_pause_announced_while_waiting_for_a_slot_is_honoured() {
        let l = Arc::new(RateLimiter::new(
            Quota::with_period(Duration::from_millis(50)).unwrap(),
            RateLimitHeaders::default(),
        ));
        l.acquire(Duration::from_secs(1)).await.unwrap();
        let waiting = {
            let l = l.clone();
            tokio::spawn(async move {
                l.acquire(Duration::from_secs(1)).await.unwrap();
                Instant::now()
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        let paused_at = Instant::now();
        l.pause_for(Duration::from_millis(200));
        let sent_at = waiting.await.unwrap();
        assert!(sent_at - paused_at >= Duration::from_millis(190), "sent {:?} after the pause", sent_at - paused_at);
    }

    #[test]
    fn one_credential_shares_one_limiter() {
        let a = HttpConfig::new("test", "fp-shared", 10, Duration::from_secs(1));
        let b = HttpConfig::new("test", "fp-other", 10, Duration::from_secs(1));
        assert!(Arc::ptr_eq(&limiter_for(&a), &limiter_for(&a)));
        assert!(!Arc::ptr_eq(&limiter_for(&a), &limiter_for(&b)));
    }
}
