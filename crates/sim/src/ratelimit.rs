//! Fixed-window rate limits per credential, announced with the provider's
//! own header names, and 429s with `Retry-After` when a window is spent.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How a provider spells and counts its rate-limit headers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateLimitStyle {
    /// Header carrying the window's allowance.
    pub limit_header: String,
    /// Header carrying what is left.
    pub remaining_header: String,
    /// Header carrying the reset.
    pub reset_header: String,
    /// Reset as a unix timestamp (true) or as seconds from now (false).
    pub reset_is_epoch: bool,
}

impl RateLimitStyle {
    /// `X-RateLimit-{Limit,Remaining,Reset}` with an epoch reset (Greenhouse).
    pub fn epoch_x_ratelimit() -> Self {
        Self {
            limit_header: "X-RateLimit-Limit".into(),
            remaining_header: "X-RateLimit-Remaining".into(),
            reset_header: "X-RateLimit-Reset".into(),
            reset_is_epoch: true,
        }
    }
}

/// One bucket: requests under `path_prefix` share `limit` per `window_secs` per credential.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateLimitRule {
    /// Requests whose path starts with this use the rule.
    pub path_prefix: String,
    /// Requests allowed per window.
    pub limit: u32,
    /// Window length in seconds.
    pub window_secs: u64,
}

/// The rules and header style of one simulator (first matching rule wins).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateLimitConfig {
    /// Whether limits are enforced (headers are sent either way).
    pub enabled: bool,
    /// Header names and reset semantics.
    pub style: RateLimitStyle,
    /// Buckets, tried in order.
    pub rules: Vec<RateLimitRule>,
}

/// What the limiter decided for one request.
#[derive(Clone, Debug, PartialEq)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Headers to add to the response.
    pub headers: Vec<(String, String)>,
    /// Seconds until the window resets, rounded up.
    pub retry_after_secs: u64,
    /// `Retry-After` as sent: whole seconds, or whole scaled seconds under a time scale.
    pub retry_after: String,
}

/// Shrinks a simulator's clock for benchmarks: at scale `k` every window lasts
/// `1/k` of its length, and `Retry-After` / reset headers count in seconds of
/// `1/k` s (sent as decimals), rounded up as the provider rounds whole seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale(f64);

impl TimeScale {
    /// Real time.
    pub const REAL: TimeScale = TimeScale(1.0);

    /// A clock `k` times faster; non-finite or non-positive values mean real time.
    pub fn new(k: f64) -> Self {
        if k.is_finite() && k > 0.0 { Self(k) } else { Self::REAL }
    }

    /// The factor.
    pub fn factor(self) -> f64 {
        self.0
    }

    /// A window of `secs` provider seconds in real time.
    pub fn window(self, secs: u64) -> Duration {
        Duration::from_secs_f64(secs as f64 / self.0)
    }

    /// Real seconds rounded up to whole scaled seconds, formatted as a header value.
    fn header_secs(self, real_secs: f64) -> String {
        let scaled = (real_secs * self.0 - 1e-9).ceil().max(0.0);
        if self.0 == 1.0 { format!("{scaled:.0}") } else { trim(format!("{:.6}", scaled / self.0)) }
    }
}

impl Default for TimeScale {
    fn default() -> Self {
        Self::REAL
    }
}

fn trim(s: String) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s }
}

#[derive(Debug, Default)]
pub(crate) struct Windows(HashMap<(usize, String), (Instant, u32)>);

impl Windows {
    pub(crate) fn check(
        &mut self,
        config: &RateLimitConfig,
        scale: TimeScale,
        path: &str,
        key: &str,
    ) -> Option<RateDecision> {
        let (index, rule) = config.rules.iter().enumerate().find(|(_, r)| path.starts_with(&r.path_prefix))?;
        let window = scale.window(rule.window_secs.max(1));
        let now = Instant::now();
        let entry = self.0.entry((index, key.to_owned())).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        let allowed = !config.enabled || entry.1 < rule.limit;
        if allowed {
            entry.1 += 1;
        }
        let left = window.saturating_sub(now.duration_since(entry.0));
        let retry_after_secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let retry_after = scale.header_secs(left.as_secs_f64());
        let reset = if config.style.reset_is_epoch {
            // The window's end as a timestamp, rounded up so a client waiting for it is never early.
            let epoch = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
            scale.header_secs(epoch + left.as_secs_f64())
        } else {
            retry_after.clone()
        };
        let headers = vec![
            (config.style.limit_header.clone(), rule.limit.to_string()),
            (config.style.remaining_header.clone(), rule.limit.saturating_sub(entry.1).to_string()),
            (config.style.reset_header.clone(), reset),
        ];
        Some(RateDecision { allowed, headers, retry_after_secs, retry_after })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn a_spent_window_refuses_with_headers() {
        let config = RateLimitConfig {
            enabled: true,
            style: RateLimitStyle::epoch_x_ratelimit(),
            rules: vec![RateLimitRule { path_prefix: "/".into(), limit: 2, window_secs: 30 }],
        };
        let mut w = Windows::default();
        let real = TimeScale::REAL;
        assert!(w.check(&config, real, "/v3/jobs", "k").unwrap().allowed);
        let second = w.check(&config, real, "/v3/jobs", "k").unwrap();
        assert!(second.allowed);
        assert!(second.headers.contains(&("X-RateLimit-Remaining".into(), "0".into())));
        let third = w.check(&config, real, "/v3/jobs", "k").unwrap();
        assert!(!third.allowed && third.retry_after_secs > 0 && third.retry_after_secs <= 30);
        assert_eq!(third.retry_after, third.retry_after_secs.to_string());
        assert!(w.check(&config, real, "/v3/jobs", "other-key").unwrap().allowed);
    }

    #[test]
    fn a_scaled_clock_shrinks_windows_and_headers() {
        let config = RateLimitConfig {
            enabled: true,
            style: RateLimitStyle::epoch_x_ratelimit(),
            rules: vec![RateLimitRule { path_prefix: "/".into(), limit: 1, window_secs: 10 }],
        };
        let fast = TimeScale::new(100.0);
        assert_eq!(fast.window(10), Duration::from_millis(100));
        let mut w = Windows::default();
        assert!(w.check(&config, fast, "/x", "k").unwrap().allowed);
        let refused = w.check(&config, fast, "/x", "k").unwrap();
        assert!(!refused.allowed);
        let after: f64 = refused.retry_after.parse().unwrap();
        assert!(after > 0.0 && after <= 0.1, "{}", refused.retry_after);
        std::thread::sleep(Duration::from_millis(110));
        assert!(w.check(&config, fast, "/x", "k").unwrap().allowed, "a new window after 1/100 of 10 s");
        assert_eq!(TimeScale::new(-1.0), TimeScale::REAL);
    }
}
