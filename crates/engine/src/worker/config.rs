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
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            name: format!("worker-{}", std::process::id()),
            concurrency: 8,
            lease: Duration::from_secs(60),
            poll: Duration::from_millis(500),
            grace: Duration::from_secs(20),
            probe: Duration::from_secs(300),
            backoff: Backoff::default(),
        }
    }
}
