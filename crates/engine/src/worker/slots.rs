//! A worker's slots: how many jobs run at once, how long they take, and so how
//! many claimed jobs should wait for a slot.
//!
//! A trip to the queue (one write transaction recording finished jobs and
//! claiming more) takes a while. Slots whose jobs are shorter than that trip
//! would sit idle until it returns unless enough jobs are already claimed. By
//! Little's law the slots get through `concurrency × trip / job` jobs during
//! one trip, so that many wait: never fewer than one per slot, never more than
//! [`MAX_WAITING`]. At that depth a worker holds about one trip's worth of work
//! beyond what it runs, so it never sits on jobs another worker could have
//! started sooner; for jobs that call a provider (far longer than a trip) it
//! is one per slot.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most claimed jobs a worker keeps waiting, whatever the ratio says: one claim's worth,
/// and what one transaction records at once without growing past a few statements.
pub(crate) const MAX_WAITING: usize = 500;

/// Weight of the newest sample in the running averages: a few trips to follow a change in
/// the work, without one slow commit swinging the depth.
const WEIGHT: f64 = 0.2;

/// Jobs whose work is under way, and how long finished ones took. A job leaves as soon as its
/// work is done, before its task has ended, so the loop claims its successor in the same trip
/// that records it.
#[derive(Clone, Default)]
pub(crate) struct Running(Arc<Counts>);

#[derive(Default)]
struct Counts {
    now: AtomicUsize,
    /// Jobs that left since the loop last looked, and their summed time in microseconds.
    left: AtomicU64,
    busy_us: AtomicU64,
}

/// One job's place in [`Running`], given up when dropped (also when the task is aborted).
pub(crate) struct Slot {
    counts: Arc<Counts>,
    since: Instant,
}

impl Running {
    /// Takes a slot for a job starting now.
    pub(crate) fn take(&self) -> Slot {
        self.0.now.fetch_add(1, Ordering::SeqCst);
        Slot { counts: self.0.clone(), since: Instant::now() }
    }

    /// Jobs under way.
    pub(crate) fn count(&self) -> usize {
        self.0.now.load(Ordering::SeqCst)
    }

    /// The jobs that left since the last call, and the mean time they held a slot.
    fn left(&self) -> Option<Duration> {
        let n = self.0.left.swap(0, Ordering::SeqCst);
        let us = self.0.busy_us.swap(0, Ordering::SeqCst);
        (n > 0).then(|| Duration::from_micros(us / n))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let us = u64::try_from(self.since.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.counts.busy_us.fetch_add(us, Ordering::SeqCst);
        self.counts.left.fetch_add(1, Ordering::SeqCst);
        self.counts.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How many claimed jobs should wait for a slot, from running averages of a trip and a job.
pub(crate) struct Prefetch {
    concurrency: usize,
    trip: Option<f64>,
    job: Option<f64>,
}

impl Prefetch {
    /// Before anything is measured: one waiting job per slot.
    pub(crate) fn new(concurrency: usize) -> Self {
        Self { concurrency, trip: None, job: None }
    }

    /// A trip to the queue took `took`.
    pub(crate) fn trip(&mut self, took: Duration) {
        average(&mut self.trip, took);
    }

    /// Takes in the jobs that left their slots since the last look.
    pub(crate) fn jobs(&mut self, running: &Running) {
        if let Some(mean) = running.left() {
            average(&mut self.job, mean);
        }
    }

    /// Claimed jobs to keep waiting.
    pub(crate) fn waiting(&self) -> usize {
        let per_slot = match (self.trip, self.job) {
            (Some(trip), Some(job)) if job > 0.0 => (trip / job).ceil(),
            (Some(_), Some(_)) => f64::INFINITY,
            _ => 1.0,
        };
        let want = per_slot * self.concurrency as f64;
        if want >= MAX_WAITING as f64 { MAX_WAITING } else { (want as usize).max(self.concurrency) }
    }
}

fn average(avg: &mut Option<f64>, sample: Duration) {
    let s = sample.as_secs_f64();
    *avg = Some(avg.map_or(s, |a| a + WEIGHT * (s - a)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(concurrency: usize, trip_ms: f64, job_ms: f64) -> usize {
        let mut d = Prefetch::new(concurrency);
        d.trip(Duration::from_secs_f64(trip_ms / 1000.0));
        d.job = Some(job_ms / 1000.0);
        d.waiting()
    }

    #[test]
    fn jobs_longer_than_a_trip_wait_one_per_slot() {
        assert_eq!(Prefetch::new(8).waiting(), 8, "nothing measured yet");
        assert_eq!(depth(8, 2.0, 150.0), 8, "a provider call");
        assert_eq!(depth(8, 2.0, 2.0), 8);
    }

    #[test]
    fn jobs_shorter_than_a_trip_wait_enough_to_cover_it() {
        assert_eq!(depth(4, 1.0, 0.1), 40);
        assert_eq!(depth(4, 1.0, 0.3), 16, "rounded up: a slot never runs dry early");
        assert_eq!(depth(4, 1.0, 0.0), MAX_WAITING);
        assert_eq!(depth(32, 5.0, 0.01), MAX_WAITING);
    }

    #[test]
    fn a_slot_reports_how_long_its_job_held_it() {
        let running = Running::default();
        let mut d = Prefetch::new(2);
        let slot = running.take();
        assert_eq!(running.count(), 1);
        std::thread::sleep(Duration::from_millis(5));
        drop(slot);
        assert_eq!(running.count(), 0);
        d.jobs(&running);
        assert!(d.job.unwrap() >= 0.005, "{:?}", d.job);
        d.jobs(&running);
        assert!(d.job.unwrap() >= 0.005, "no jobs since: the average stands");
    }
}
