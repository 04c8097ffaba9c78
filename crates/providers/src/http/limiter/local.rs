//! A budget one process keeps to itself, in memory: paced by a governor quota
//! until the provider's headers announce windows, then counted into them.

use super::state::{Keeper, Next, Sent, Shape, State, Tick, ticks};
use super::{Heard, sleep_until};
use governor::{DefaultDirectRateLimiter, Jitter, Quota};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

#[derive(Debug)]
pub(super) struct Local {
    quota: DefaultDirectRateLimiter,
    shape: Shape,
    length: Duration,
    /// Tick zero of this budget's clock.
    base: Instant,
    state: Mutex<State>,
    /// Wakes requests waiting for a window's first answer or for a pause to change.
    changed: Notify,
}

impl Local {
    pub fn new(quota: Quota, shape: Shape, length: Duration) -> Self {
        Self {
            quota: DefaultDirectRateLimiter::direct(quota),
            shape,
            length,
            base: Instant::now(),
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is plain counters, each left consistent by every writer.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn tick(&self, at: Instant) -> Tick {
        ticks(at.saturating_duration_since(self.base))
    }

    fn instant(&self, tick: Tick) -> Instant {
        self.base + Duration::from_micros(u64::try_from(tick).unwrap_or(0))
    }

    pub fn paused_for(&self) -> Option<Duration> {
        let now = Instant::now();
        let until = self.state().paused_until(self.tick(now))?;
        Some(self.instant(until).saturating_duration_since(now)).filter(|d| !d.is_zero())
    }

    pub fn pause_for(&self, wait: Duration) {
        let until = self.tick(Instant::now() + wait);
        self.state().pause_until(until);
        self.changed.notify_waiters();
    }

    /// A slot's number and window, or how long the budget holds requests back when that is
    /// longer than `max_wait`.
    pub async fn acquire(&self, max_wait: Duration) -> Result<(u64, Option<u64>), Duration> {
        loop {
            // Registered before the state is read, so a change made in between still wakes us.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let now = Instant::now();
            let next = self.state().next(self.tick(now), &self.shape, Keeper::Local);
            match next {
                Next::Go(number, window) => return Ok((number, window)),
                Next::Until(until) => {
                    let until = self.instant(until);
                    let wait = until.saturating_duration_since(now);
                    if wait > max_wait {
                        return Err(wait);
                    }
                    tokio::select! {
                        () = sleep_until(until) => {}
                        () = changed => {}
                    }
                }
                Next::FirstAnswer => {
                    // A dropped permit answers too, so this wait ends; the timeout is a backstop.
                    let _ = tokio::time::timeout(self.length, changed).await;
                }
                Next::Paced => {
                    self.quota.until_ready_with_jitter(Jitter::up_to(Duration::from_millis(20))).await;
                    let number = self.state().count_paced(self.tick(Instant::now()));
                    if let Some(number) = number {
                        return Ok((number, None));
                    }
                }
            }
        }
    }

    /// The request numbered `number` got an answer at `received` (`heard`), or none.
    pub fn answered(&self, number: u64, window: Option<u64>, sent: Instant, received: Instant, heard: Option<&Heard>) {
        let sent = Sent { number, window, at: self.tick(sent) };
        let now = self.tick(received);
        let mut state = self.state();
        match heard {
            Some(heard) => state.answered(&sent, now, heard, &self.shape),
            None => state.unanswered(&sent, now, &self.shape),
        }
        drop(state);
        self.changed.notify_waiters();
    }
}
