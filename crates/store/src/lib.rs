//! Persistence for hiresync: SQLite (the default) and PostgreSQL, each spoken
//! natively, migrations per backend, and the job queue. Every query is scoped
//! by workspace.
//!
//! The repository functions of each aggregate module (`events::insert_new`,
//! `queue::claim`, ...) take a [`Db`], so the same function runs on a pooled
//! connection or inside the caller's [`Tx`]. Each one hands the call to the
//! backend the [`Db`] runs on: the private `sqlite` and `postgres` modules
//! hold the SQL, each in its own dialect, types and row structs.

mod db;
mod error;
mod postgres;
mod sqlite;
mod store;
mod time;
mod wakeups;

pub mod connections;
pub mod console;
pub mod contacts;
pub mod contracts;
pub mod events;
pub mod imports;
pub mod notes;
pub mod queue;
pub mod rate_budgets;
pub mod resyncs;
pub mod retention;
pub mod sequences;
pub mod sync_log;
pub mod webhooks;
pub mod webhooks_out;
pub mod workspaces;

pub use db::{Db, Raw, Tx};
pub use error::{Result, StoreError};
pub use store::{Backend, Store, redact_url};
pub use time::now_ms;
pub use wakeups::{APPLICATION_NAME, CHANNEL, Heard, JobListener};
