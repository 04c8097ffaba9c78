//! The store on SQLite: one module per aggregate, each in SQLite's dialect.
//! Times are epoch milliseconds, flags 0 or 1, JSON is text. One connection
//! writes (see [`crate::Store::begin`]); long lists of rows or keys go in
//! statements of `?` parameters ([`lists`]).

mod checkpoint;
mod error;
mod lists;
mod pool;

pub(crate) mod connections;
pub(crate) mod console;
pub(crate) mod contacts;
pub(crate) mod contracts;
pub(crate) mod events;
pub(crate) mod imports;
pub(crate) mod notes;
pub(crate) mod queue;
pub(crate) mod resyncs;
pub(crate) mod retention;
pub(crate) mod sequences;
pub(crate) mod sync_log;
pub(crate) mod webhooks;
pub(crate) mod webhooks_out;
pub(crate) mod workspaces;

pub(crate) use error::is_busy;
pub(crate) use pool::connect;
