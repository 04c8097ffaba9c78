//! Waiting for something to become true, with a deadline: a test that waits
//! for the queue or the simulator polls here, so a hang fails with what it
//! waited for instead of eating the run.

use anyhow::{Result, bail};
use std::future::Future;
use std::time::{Duration, Instant};

/// Polls `check` every 50 ms until it gives `Some`, or fails after `limit` naming `what` and the
/// last state `check` described.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Polled<T>>>,
{
    eventually_every(what, limit, Duration::from_millis(50), check).await
}

/// As [`eventually`], polling every `every`: finer where the moment it is reached is measured.
pub async fn eventually_every<T, F, Fut>(what: &str, limit: Duration, every: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Polled<T>>>,
{
    let start = Instant::now();
    loop {
        match check().await? {
            Polled::Ready(value) => return Ok(value),
            Polled::Waiting(state) if start.elapsed() >= limit => {
                bail!("{what}: not reached after {limit:?}; last seen: {state}")
            }
            Polled::Waiting(_) => tokio::time::sleep(every).await,
        }
    }
}

/// One look of [`eventually`]: done with a value, or still waiting in a state worth reporting.
#[derive(Debug)]
pub enum Polled<T> {
    /// Reached.
    Ready(T),
    /// Not yet; what was seen.
    Waiting(String),
}
