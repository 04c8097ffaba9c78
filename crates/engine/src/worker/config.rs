//! How a worker runs: its name, how many jobs at once, and its timings.

use crate::job::Backoff;
use std::time::Duration;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Names this worker in leases and logs.
    pub name: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// Jobs one connection may have running at once, over all workers on the store.
    pub connection_slots: usize,
    /// How long a claim holds before another worker may take the job over.
    pub lease: Duration,
    /// Longest sleep between looks at the queue when nothing wakes the worker.
    pub poll: Duration,
    /// How long shutdown waits for in-flight jobs before releasing them.
    pub grace: Duration,
    /// How often a connection whose credentials the provider refuses is tried again.
    pub probe: Duration,
    /// How long failed and waiting jobs are put off.
    pub backoff: Backoff,
    /// How long finished work and its records are kept.
    pub retention: Retention,
}

/// How long each kind of record is kept before the worker deletes it; `None` keeps it forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Done jobs, from when they finished. Dead jobs are always kept.
    pub jobs: Option<Duration>,
    /// Sync log entries (each provider call made for a contact).
    pub sync_log: Option<Duration>,
    /// Stored events and the decisions taken for them, but never one still needed.
    pub events: Option<Duration>,
    /// Webhook deliveries out that ended, and received webhook deliveries (never less than a week:
    /// their keys recognise a provider's replays).
    pub deliveries: Option<Duration>,
}

impl Retention {
    /// A period of whole days, 0 meaning forever.
    pub fn days(days: u32) -> Option<Duration> {
        (days > 0).then(|| Duration::from_secs(u64::from(days) * 24 * 60 * 60))
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self { jobs: Self::days(7), sync_log: Self::days(90), events: Self::days(90), deliveries: Self::days(7) }
    }
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            name: format!("worker-{}", std::process::id()),
            concurrency: 8,
            connection_slots: 4,
            lease: Duration::from_secs(60),
            poll: Duration::from_millis(500),
            grace: Duration::from_secs(20),
            probe: Duration::from_secs(300),
            backoff: Backoff::default(),
            retention: Retention::default(),
        }
    }
}
