//! The hiresync worker: durable ingest of events into decisions and jobs, the
//! executor that carries jobs out against the providers, the worker loop, and
//! the vault that seals provider credentials, and contracts both ways between
//! Teamtailor and Oneflow.

pub mod activity;
pub mod call_log;
pub mod carry;
pub mod clients;
pub mod completion;
pub mod connect;
pub mod contract;
pub mod executor;
pub mod import;
pub mod ingest;
pub mod job;
pub mod note;
pub mod person;
pub mod placement;
mod prune;
pub mod resync;
pub mod run;
pub mod settle;
mod slots;
pub mod vault;
pub mod worker;

pub use clients::Clients;
pub use connect::{ConnectError, NewConnection, connect};
pub use executor::{Executor, JobError, Ran};
pub use ingest::{Accepted, Batch, IngestError, Intake, ingest, ingest_many};
pub use job::JobPayload;
pub use vault::{Vault, VaultError};
pub use worker::{Worker, WorkerConfig};
