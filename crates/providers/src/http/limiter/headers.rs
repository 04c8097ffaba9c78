//! Reading a provider's rate-limit headers: the allowance, what is left and
//! when the window resets, as each provider spells and counts them.

use http::HeaderMap;
use std::time::{Duration, SystemTime};

/// Longest pause a header may impose; a larger value is treated as bogus.
pub(super) const MAX_HEADER_PAUSE: Duration = Duration::from_secs(3600);

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

/// What a response said about the provider's window.
#[derive(Clone, Copy, Debug)]
pub(super) struct Announced {
    pub remaining: u32,
    pub limit: Option<u32>,
    /// From the moment the response arrived.
    pub resets_in: Duration,
}

/// What the limiter learns from one answered request.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Heard {
    /// The requests left, even without a reset to go by.
    pub remaining: Option<u32>,
    /// The provider's window, when the headers give both what is left and when it resets.
    pub announced: Option<Announced>,
    /// A 429's `Retry-After`.
    pub refused_for: Option<Duration>,
}

impl Heard {
    /// Reads `headers` as `names` spell them, at `now` (for epoch resets).
    pub fn read(names: &RateLimitHeaders, headers: &HeaderMap, now: SystemTime, refused_for: Option<Duration>) -> Self {
        let read =
            |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok());
        let remaining = read(names.remaining).filter(|r| r.is_finite() && *r >= 0.0).map(|r| r.min(1e9) as u32);
        let limit = read(names.limit).filter(|l| l.is_finite() && *l >= 1.0).map(|l| l.min(1e9) as u32);
        let resets_in = read(names.reset)
            .map(|reset| reset_wait(reset, names.reset_style, now))
            .filter(|wait| *wait < MAX_HEADER_PAUSE);
        let announced =
            remaining.zip(resets_in).map(|(remaining, resets_in)| Announced { remaining, limit, resets_in });
        Self { remaining, announced, refused_for }
    }
}

pub(super) fn reset_wait(reset: f64, style: ResetStyle, now: SystemTime) -> Duration {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_delta_resets_count_from_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_778_174_328);
        assert_eq!(reset_wait(1_778_174_358.0, ResetStyle::EpochSeconds, now), Duration::from_secs(30));
        assert_eq!(reset_wait(1_778_174_358.0, ResetStyle::Auto, now), Duration::from_secs(30));
        assert_eq!(reset_wait(5.0, ResetStyle::Auto, now), Duration::from_secs(5));
        assert_eq!(reset_wait(1_778_174_000.0, ResetStyle::EpochSeconds, now), Duration::ZERO);
        assert_eq!(reset_wait(f64::NAN, ResetStyle::DeltaSeconds, now), Duration::ZERO);
    }
}
