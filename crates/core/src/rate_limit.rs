//! A connection's own request allowance. Providers publish a default limit per
//! credential; a negotiated plan, a sandbox or a benchmark sets its own here.

use crate::ValidationError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// At most `requests` calls in any `per_seconds` window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Calls allowed per window.
    pub requests: u32,
    /// The window's length in seconds.
    pub per_seconds: u32,
}

impl RateLimit {
    /// Largest number of calls a window may allow.
    pub const MAX_REQUESTS: u32 = 1_000_000;
    /// Longest window, one hour.
    pub const MAX_WINDOW_SECS: u32 = 3_600;

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
        if !(1..=Self::MAX_WINDOW_SECS).contains(&limit.per_seconds) {
            return Err(ValidationError::field(
                format!("{field}.per_seconds"),
                format!("must be between 1 and {}", Self::MAX_WINDOW_SECS),
            ));
        }
        Ok(limit)
    }

    /// The window as a duration.
    pub fn window(self) -> Duration {
        Duration::from_secs(u64::from(self.per_seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_names_the_field_at_fault() {
        let ok = RateLimit::parse("rate_limit", &json!({"requests": 500, "per_seconds": 10})).unwrap();
        assert_eq!(ok, RateLimit { requests: 500, per_seconds: 10 });
        assert_eq!(ok.window(), Duration::from_secs(10));
        let zero = RateLimit::parse("rate_limit", &json!({"requests": 0, "per_seconds": 10})).unwrap_err();
        assert_eq!(zero.errors[0].field, "rate_limit.requests");
        let long = RateLimit::parse("rate_limit", &json!({"requests": 1, "per_seconds": 86400})).unwrap_err();
        assert_eq!(long.errors[0].field, "rate_limit.per_seconds");
        let shape = RateLimit::parse("rate_limit", &json!({"rps": 5})).unwrap_err();
        assert_eq!(shape.errors[0].field, "rate_limit");
    }
}
