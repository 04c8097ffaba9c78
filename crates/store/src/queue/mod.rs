//! The job queue, inside the store so jobs are enqueued in the caller's
//! transaction. A job is claimed with a lease; its ordering key makes it
//! claimable only when no earlier job of the same key is unfinished; an
//! expired lease makes a crashed worker's job claimable again, and the lease
//! token fences the old worker out of completing it.

mod jobs;
mod model;
mod store;

pub use jobs::{
    attempts, bring_forward, bury, claim, complete, complete_many, enqueue, enqueue_many, fence, has_queued,
    progressed, queued_keys, release_held, requeue,
};
pub use model::{ClaimedJob, DONE_RETENTION_MS, JobInfo, NewJob, PRIORITY_BULK, PRIORITY_INTERACTIVE};

pub(crate) use jobs::{Lease, truncate};
pub(crate) use model::{Claimable, Place};
