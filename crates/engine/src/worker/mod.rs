//! The worker: claims due jobs with a lease, runs up to `concurrency` at once,
//! keeps their leases alive, settles failures (retry with backoff and jitter,
//! wait out rate limits, dead-letter, pause a connection on auth errors), and
//! on shutdown finishes in-flight work or releases its leases.
//!
//! A job's slot frees when its work is done, not when it is recorded: the loop
//! records every job finished since its last trip in the same transaction that
//! claims the next ones (see [`completion`]), so commits batch up while the
//! provider work runs. That trip to the queue runs beside the jobs: slots keep
//! starting claimed jobs that wait for them while it is under way, and how
//! many wait follows how long jobs take against how long a trip takes (see
//! [`slots`]).

mod completion;
mod config;
mod keep;
mod probe;
mod prune;
mod serve;
mod settle;
mod shutdown;
mod slots;
mod task;
#[cfg(test)]
mod testing;
mod trip;
mod until_idle;
mod wakeups;

pub use config::{Retention, WorkerConfig};
pub use serve::Worker;
