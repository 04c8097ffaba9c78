//! The executor: a stored job's payload names its kind, and the executor hands
//! the job to it. Adding a job kind adds its module, its variant of
//! [`JobPayload`] and one line of [`JobPayload::as_kind`]; nothing else here.

mod dispatch;
mod payload;

pub use dispatch::Executor;
pub use payload::JobPayload;
