//! The queue's retry policy (DESIGN "Errors"): what becomes of a job whose
//! attempt failed. Waiting is not failing: a provider's budget, its
//! `Retry-After`, an outage or a database out of reach put the job off
//! without spending an attempt, however long they last. A connection whose
//! credentials the provider refuses holds its jobs until it works again. Only
//! answers that say the request itself is wrong end a job in the dead-letter
//! state.

use super::JobError;
use hiresync_providers::ErrorKind;
use hiresync_store::queue::ClaimedJob;
use rand::Rng;
use std::time::Duration;

/// Attempts a job gets before it is dead.
pub const MAX_ATTEMPTS: i64 = 10;

/// First retry delay; doubled per attempt (or per wait).
const BASE_DELAY: Duration = Duration::from_secs(2);
/// Longest retry delay: an outage of hours is retried every few minutes.
const MAX_DELAY: Duration = Duration::from_secs(600);

/// How long a failed or waiting job is put off: full jitter over a doubling cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The first delay's cap.
    pub base: Duration,
    /// The longest delay.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { base: BASE_DELAY, max: MAX_DELAY }
    }
}

impl Backoff {
    /// The delay before try `n + 1` (from 1).
    pub fn delay(&self, n: i64) -> Duration {
        let retry = u32::try_from(n.clamp(1, 20) - 1).unwrap_or(0);
        hiresync_providers::http::backoff(self.base, self.max, retry)
    }
}
/// Longest a provider's `Retry-After` may put a job off.
pub use hiresync_providers::http::MAX_RETRY_AFTER;

/// What becomes of a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Tried again after the delay, the attempt given back: it waited, it did not fail.
    Postpone(Duration),
    /// Held until its connection works again, the attempt given back.
    Hold,
    /// Tried again after the delay, the attempt spent.
    Retry(Duration),
    /// The dead-letter state.
    Dead,
}

/// A provider's `Retry-After`, capped at [`MAX_RETRY_AFTER`] and spread by up to a tenth (at
/// least a second), so the jobs it held back do not all return at the same instant.
pub fn after_retry_after(wait: Duration) -> Duration {
    let wait = wait.min(MAX_RETRY_AFTER);
    let spread = (wait / 10).max(Duration::from_secs(1));
    let jitter = rand::thread_rng().gen_range(0..=u64::try_from(spread.as_millis()).unwrap_or(1000));
    (wait + Duration::from_millis(jitter)).min(MAX_RETRY_AFTER)
}

/// What becomes of `job` after its attempt failed with `error`, put off by `backoff`.
pub fn settlement(job: &ClaimedJob, error: &JobError, backoff: &Backoff) -> Settlement {
    let wait = || Settlement::Postpone(backoff.delay(job.waits + 1));
    let spend = || {
        if job.attempts < job.max_attempts { Settlement::Retry(backoff.delay(job.attempts)) } else { Settlement::Dead }
    };
    match error {
        JobError::Provider(p) => match p.kind() {
            ErrorKind::Transient => wait(),
            ErrorKind::RateLimited { retry_after: Some(after) } => Settlement::Postpone(after_retry_after(after)),
            ErrorKind::RateLimited { retry_after: None } => wait(),
            ErrorKind::Auth => Settlement::Hold,
            ErrorKind::Permanent => Settlement::Dead,
        },
        JobError::ConnectionDown { .. } => Settlement::Hold,
        JobError::Store(e) if e.is_transient() => wait(),
        JobError::Store(_) => spend(),
        JobError::Broken(_) | JobError::LeaseLost => Settlement::Dead,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hiresync_providers::ProviderError;

    fn job(attempts: i64, waits: i64) -> ClaimedJob {
        ClaimedJob {
            id: 1,
            workspace_id: "ws".into(),
            connection_id: Some("conn".into()),
            contact_id: Some("c".into()),
            kind: "k".into(),
            payload: "{}".into(),
            attempts,
            max_attempts: MAX_ATTEMPTS,
            waits,
            lease_token: "t.1".into(),
        }
    }

    fn provider(kind: ErrorKind) -> JobError {
        ProviderError::new(kind, hiresync_core::ProviderKind::Greenhouse, "op", "why").into()
    }

    #[test]
    fn backoff_grows_and_stays_capped() {
        let b = Backoff::default();
        for attempt in 1..30 {
            assert!(b.delay(attempt) <= MAX_DELAY);
        }
        assert!((0..50).all(|_| b.delay(1) <= BASE_DELAY));
        assert!((0..50).map(|_| b.delay(8)).any(|d| d > BASE_DELAY), "later tries wait longer");
    }

    #[test]
    fn waiting_for_a_provider_never_spends_an_attempt_however_long_it_lasts() {
        let last = job(MAX_ATTEMPTS, 10_000);
        for kind in [ErrorKind::Transient, ErrorKind::RateLimited { retry_after: None }] {
            assert!(
                matches!(settlement(&last, &provider(kind), &Backoff::default()), Settlement::Postpone(d) if d <= MAX_DELAY)
            );
        }
        let after = ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(30)) };
        let Settlement::Postpone(d) = settlement(&last, &provider(after), &Backoff::default()) else {
            panic!("a Retry-After waits")
        };
        assert!(d >= Duration::from_secs(30) && d <= Duration::from_secs(33), "{d:?}");
        assert_eq!(settlement(&last, &provider(ErrorKind::Auth), &Backoff::default()), Settlement::Hold);
        assert_eq!(settlement(&job(1, 0), &provider(ErrorKind::Permanent), &Backoff::default()), Settlement::Dead);
    }

    #[test]
    fn a_huge_retry_after_parks_a_job_for_an_hour_at_most() {
        for secs in [3_600, 86_400, u64::MAX / 4] {
            let d = after_retry_after(Duration::from_secs(secs));
            assert!(d <= MAX_RETRY_AFTER && d >= Duration::from_secs(3_600) - Duration::from_secs(1), "{d:?}");
        }
    }

    #[test]
    fn a_database_out_of_reach_waits_and_other_store_errors_spend_attempts() {
        let gone = JobError::Store(hiresync_store::StoreError::Unavailable(sqlx_io()));
        assert!(matches!(settlement(&job(MAX_ATTEMPTS, 3), &gone, &Backoff::default()), Settlement::Postpone(_)));
        let corrupt = || JobError::Store(hiresync_store::StoreError::Corrupt { column: "c", message: "m".into() });
        assert!(matches!(settlement(&job(1, 0), &corrupt(), &Backoff::default()), Settlement::Retry(_)));
        assert_eq!(settlement(&job(MAX_ATTEMPTS, 0), &corrupt(), &Backoff::default()), Settlement::Dead);
    }

    fn sqlx_io() -> sqlx::Error {
        sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused"))
    }
}
