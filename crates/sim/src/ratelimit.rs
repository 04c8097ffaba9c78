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
    /// Seconds until the window resets.
    pub retry_after_secs: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Windows(HashMap<(usize, String), (Instant, u32)>);

impl Windows {
    pub(crate) fn check(&mut self, config: &RateLimitConfig, path: &str, key: &str) -> Option<RateDecision> {
        let (index, rule) = config.rules.iter().enumerate().find(|(_, r)| path.starts_with(&r.path_prefix))?;
        let window = Duration::from_secs(rule.window_secs.max(1));
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
        let reset = if config.style.reset_is_epoch {
            let epoch = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            epoch + retry_after_secs
        } else {
            retry_after_secs
        };
        let headers = vec![
            (config.style.limit_header.clone(), rule.limit.to_string()),
            (config.style.remaining_header.clone(), rule.limit.saturating_sub(entry.1).to_string()),
            (config.style.reset_header.clone(), reset.to_string()),
        ];
        Some(RateDecision { allowed, headers, retry_after_secs })
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
        assert!(w.check(&config, "/v3/jobs", "k").unwrap().allowed);
        let second = w.check(&config, "/v3/jobs", "k").unwrap();
        assert!(second.allowed);
        assert!(second.headers.contains(&("X-RateLimit-Remaining".into(), "0".into())));
        let third = w.check(&config, "/v3/jobs", "k").unwrap();
        assert!(!third.allowed && third.retry_after_secs > 0 && third.retry_after_secs <= 30);
        assert!(w.check(&config, "/v3/jobs", "other-key").unwrap().allowed);
    }
}
