//! Retry schedule: exponential backoff with full jitter, capped in count and
//! delay, and `Retry-After` parsing (seconds or HTTP date).

use rand::Rng;
use std::time::{Duration, SystemTime};

/// How often and how long to retry a failed request before surfacing the error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Backoff base: attempt `n` waits a random time in `[0, base · 2^n]`.
    pub base_delay: Duration,
    /// Upper bound for one wait, jittered or asked for by `Retry-After`.
    pub max_delay: Duration,
    /// Longest a request waits for the credential's rate budget, or for a `Retry-After`, before
    /// it surfaces as `RateLimited`: the caller (a job holding a worker slot) is put off
    /// instead of keeping the slot while it waits.
    pub max_budget_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            max_budget_wait: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// No retries: the first failure surfaces.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The full-jitter delay before retry number `retry` (0-based), capped at `max_delay`.
    pub fn backoff(&self, retry: u32) -> Duration {
        backoff(self.base_delay, self.max_delay, retry)
    }
}

/// Exponential backoff with full jitter: a random wait in `[0, base · 2^retry]`, the ceiling
/// capped at `max`. Full jitter spreads clients that failed together, so they do not all come
/// back at once; both HTTP retries and job retries wait this way.
pub fn backoff(base: Duration, max: Duration, retry: u32) -> Duration {
    let ceiling = base.saturating_mul(2u32.saturating_pow(retry.min(20))).min(max);
    let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::thread_rng().gen_range(0..=millis))
}

/// Longest wait a `Retry-After` may ask for: a larger value (or a date years ahead) is read
/// as this, so a hostile or broken provider cannot park a credential or a contact for years.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Parses `Retry-After` as delta-seconds or an HTTP date relative to `now`, capped at
/// [`MAX_RETRY_AFTER`]; a date in the past means "now" (zero).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs.min(MAX_RETRY_AFTER.as_secs()))
    } else if let Ok(secs) = value.parse::<f64>() {
        if !(secs.is_finite() && secs >= 0.0) {
            return None;
        }
        Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64()))
    } else {
        // IMF-fixdate is a subset of RFC 2822; chrono reads both.
        let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        let at = SystemTime::from(date.with_timezone(&chrono::Utc));
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 1.5 ", now), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        for huge in ["1e12", "99999999999999999999", "18446744073709551615", "inf", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            let wait = parse_retry_after(huge, now);
            assert!(wait.is_none() || wait == Some(MAX_RETRY_AFTER), "{huge}: {wait:?}");
        }
        assert_eq!(parse_retry_after("1e12", now), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn backoff_stays_within_the_exponential_ceiling_and_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for retry in 0..10 {
            let ceiling = Duration::from_millis(100 * 2u64.pow(retry)).min(Duration::from_secs(1));
            assert!(policy.backoff(retry) <= ceiling);
        }
        assert!(policy.backoff(u32::MAX) <= Duration::from_secs(1));
    }
}
