//! The store on PostgreSQL: one module per aggregate, each in PostgreSQL's
//! dialect and native types (`timestamptz`, `boolean`, `jsonb`). Lists of
//! rows or keys go as one array per column, so a statement's text is the same
//! for any number of them and each connection prepares it once.

mod error;
mod pool;
mod types;

pub(crate) mod connections;
pub(crate) mod console;
pub(crate) mod contacts;
pub(crate) mod contracts;
pub(crate) mod events;
pub(crate) mod imports;
pub(crate) mod notes;
pub(crate) mod queue;
pub(crate) mod rate_budgets;
pub(crate) mod resyncs;
pub(crate) mod retention;
pub(crate) mod sequences;
pub(crate) mod sync_log;
pub(crate) mod webhooks;
pub(crate) mod webhooks_out;
pub(crate) mod workspaces;

pub(crate) use error::is_busy;
pub(crate) use pool::connect;
