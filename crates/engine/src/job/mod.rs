//! What every job shares, whatever its kind: the [`JobKind`] each kind
//! implements, the [`Context`] it runs with, how its run ends ([`Outcome`],
//! or a [`JobError`]), the writes its outcome makes, and the queue's retry
//! policy. Everything else in the engine builds on this; it builds on nothing
//! of the engine but the provider clients.

pub(crate) mod call_log;
mod context;
mod error;
mod fence;
mod kind;
mod outcome;
pub(crate) mod record;
mod retry;

pub use context::Context;
pub use error::JobError;
pub use fence::Fence;
pub(crate) use kind::queue_row;
pub use kind::{JobKind, SplitOff, Stored, contact_ordering_key};
pub use outcome::{Effect, Outcome, Record, complete};
pub use retry::{Backoff, MAX_ATTEMPTS, MAX_RETRY_AFTER, Settlement, after_retry_after, settlement};
