//! The queue's retry policy (DESIGN "Errors"): how many attempts a job gets,
//! and when a failed attempt is tried again. Transient failures retry with
//! exponential backoff and full jitter, rate limits wait as long as the
//! provider asked, auth failures hold the connection's jobs back, and
//! permanent failures go to the dead-letter state.

use super::JobError;
use hiresync_providers::ErrorKind;
use hiresync_store::queue::ClaimedJob;
use std::time::Duration;

/// Attempts a job gets before it is dead.
pub const MAX_ATTEMPTS: i64 = 10;

/// First retry delay; doubled per attempt.
const BASE_DELAY: Duration = Duration::from_secs(2);
/// Longest retry delay.
const MAX_DELAY: Duration = Duration::from_secs(600);
/// How long jobs of a connection with rejected credentials wait before trying again.
const AUTH_HOLD: Duration = Duration::from_secs(300);

/// The delay before attempt `attempts + 1`: full jitter over an exponential cap.
pub fn backoff(attempts: i64) -> Duration {
    let retry = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    hiresync_providers::http::backoff(BASE_DELAY, MAX_DELAY, retry)
}

/// When to try the failed attempt again, or `None` for the dead-letter state.
pub fn retry_delay(job: &ClaimedJob, error: &JobError) -> Option<Duration> {
    let delay = match error {
        JobError::Provider(p) => match p.kind() {
            ErrorKind::Transient => Some(backoff(job.attempts)),
            ErrorKind::RateLimited { retry_after } => Some(retry_after.unwrap_or_else(|| backoff(job.attempts))),
            ErrorKind::Auth => Some(AUTH_HOLD),
            ErrorKind::Permanent => None,
        },
        JobError::Store(_) => Some(backoff(job.attempts)),
        JobError::Broken(_) | JobError::LeaseLost => None,
    };
    delay.filter(|_| job.attempts < job.max_attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_capped() {
        for attempt in 1..30 {
            let d = backoff(attempt);
            assert!(d <= MAX_DELAY);
        }
        let first_cap = BASE_DELAY;
        assert!((0..50).all(|_| backoff(1) <= first_cap));
        assert!((0..50).map(|_| backoff(8)).any(|d| d > first_cap), "later attempts wait longer");
    }
}
