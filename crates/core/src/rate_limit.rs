//! A connection's own request allowance. Providers publish a default limit per
//! credential; a negotiated plan, a sandbox or a benchmark sets its own here.

use crate::ValidationError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// At most `requests` calls in any `per_seconds` window.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Calls allowed per window.
    pub requests: u32,
    /// The window's length in seconds; fractions down to a millisecond let a
    /// benchmark run a provider's windows on a faster clock.
    #[serde(serialize_with = "whole_when_whole")]
    pub per_seconds: f64,
}

/// `10` rather than `10.0`, so a whole window reads back as it was given.
fn whole_when_whole<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(v) {
        // Whole and within u32, checked above.
        s.serialize_u32(*v as u32)
    } else {
        s.serialize_f64(*v)
    }
}

impl RateLimit {
    /// Largest number of calls a window may allow.
    pub const MAX_REQUESTS: u32 = 1_000_000;
    /// Longest window, one hour.
    pub const MAX_WINDOW_SECS: f64 = 3_600.0;
    /// Shortest window, a millisecond.
    pub const MIN_WINDOW_SECS: f64 = 0.001;

    /// Reads `{"requests", "per_seconds"}`, naming the field at fault under `field`.
    pub fn parse(field: &str, value: &Value) -> Result<Self, ValidationError> {
        let limit: RateLimit = serde_json::from_value(value.clone()).map_err(|e| {
            ValidationError::field(field, format!("must be {{\"requests\": n, \"per_seconds\": s}}: {e}"))
        })?;
        if !(1..=Self::MAX_REQUESTS).contains(&limit.requests) {
            return Err(ValidationError::field(
                format!("{field}.requests"),
                format!("must be between 1 and {}", Self::MAX_REQUESTS),
            ));
        }
        if !(Self::MIN_WINDOW_SECS..=Self::MAX_WINDOW_SECS).contains(&limit.per_seconds) {
            return Err(ValidationError::field(
                format!("{field}.per_seconds"),
                format!("must be between {} and {}", Self::MIN_WINDOW_SECS, Self::MAX_WINDOW_SECS),
            ));
        }
        Ok(limit)
    }

    /// The window as a duration.
    pub fn window(self) -> Duration {
        Duration::from_secs_f64(self.per_seconds.clamp(Self::MIN_WINDOW_SECS, Self::MAX_WINDOW_SECS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_names_the_field_at_fault() {
        let ok = RateLimit::parse("rate_limit", &json!({"requests": 500, "per_seconds": 10})).unwrap();
        assert_eq!(ok, RateLimit { requests: 500, per_seconds: 10.0 });
        assert_eq!(ok.window(), Duration::from_secs(10));
        assert_eq!(serde_json::to_value(ok).unwrap(), json!({"requests": 500, "per_seconds": 10}));
        let fast = RateLimit::parse("rate_limit", &json!({"requests": 50, "per_seconds": 0.25})).unwrap();
        assert_eq!(fast.window(), Duration::from_millis(250));
        assert_eq!(serde_json::to_value(fast).unwrap(), json!({"requests": 50, "per_seconds": 0.25}));
        let tiny = RateLimit::parse("rate_limit", &json!({"requests": 1, "per_seconds": 0.0001})).unwrap_err();
        assert_eq!(tiny.errors[0].field, "rate_limit.per_seconds");
        let zero = RateLimit::parse("rate_limit", &json!({"requests": 0, "per_seconds": 10})).unwrap_err();
        assert_eq!(zero.errors[0].field, "rate_limit.requests");
        let long = RateLimit::parse("rate_limit", &json!({"requests": 1, "per_seconds": 86400})).unwrap_err();
        assert_eq!(long.errors[0].field, "rate_limit.per_seconds");
        let shape = RateLimit::parse("rate_limit", &json!({"rps": 5})).unwrap_err();
        assert_eq!(shape.errors[0].field, "rate_limit");
    }
}
