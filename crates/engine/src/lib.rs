//! The hiresync worker: durable ingest of events into decisions and jobs, the
//! job kinds that carry them out against the providers, the executor and the
//! worker loop that run them, and the vault that seals provider credentials.
//!
//! Dependencies point one way, in the order the data flows through a job:
//! `job` (what every job shares) <- `sync` (carrying out one decision on a
//! provider) <- one module per job kind <- `executor` (reads a payload and
//! hands it to its kind) <- `worker` (claims, runs, records, settles). `ingest`
//! sits beside them: it stores events and enqueues the jobs for them.

// What every job shares, and carrying out one decision.
pub mod job;
pub mod outbox;
mod sync;

// One module per job kind: its payload, its run, its dead-job handling and its ordering key.
pub mod carry;
pub mod carry_event;
pub mod contract;
pub mod import;
pub mod noop;
pub mod preview;
pub mod resync;
pub mod webhook;

// Dispatch, the worker loop, and ingest beside them.
pub mod executor;
pub mod ingest;
pub mod worker;

// Provider credentials and clients.
pub mod budgets;
pub mod clients;
pub mod connect;
pub mod heal;
pub mod metrics;
pub mod provider_hooks;
pub mod public;
pub mod vault;

pub use clients::Clients;
pub use connect::{AccessChange, ConnectError, NewConnection, connect, reconnect};
pub use executor::{Executor, JobPayload};
pub use ingest::{Accepted, Batch, IngestError, Intake, ingest, ingest_many};
pub use job::{JobError, Outcome};
pub use public::PublicUrl;
pub use vault::{Vault, VaultError};
pub use worker::{Retention, Worker, WorkerConfig};
