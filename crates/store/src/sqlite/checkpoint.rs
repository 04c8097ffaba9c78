//! Copying SQLite's write-ahead log back into the database file off the
//! writer's path.
//!
//! By default the connection that commits past `wal_autocheckpoint` pages runs
//! the checkpoint itself, inside its commit, and with one writer connection
//! every write transaction waits behind it. A passive checkpoint from another
//! connection runs beside the writer without blocking it, so a task does that
//! a few times a second and the writer's own checkpoint is left as a backstop
//! for a log the task could not keep up with ([`BACKSTOP_PAGES`]).

use sqlx::SqlitePool;
use std::time::Duration;

/// How often the task checkpoints: often enough that the log stays a few megabytes under a
/// steady write load, rarely enough that an idle database costs nothing worth counting.
const EVERY: Duration = Duration::from_millis(250);

/// Pages of log at which the writer checkpoints in its own commit (at 16 KiB pages: about
/// 125 MiB), reached only if the task falls behind.
pub(crate) const BACKSTOP_PAGES: u32 = 8_000;

/// Runs a passive checkpoint on a connection of `pool` every [`EVERY`] until the pool closes.
pub(crate) fn spawn(pool: SqlitePool) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            if pool.is_closed() {
                return;
            }
            // Passive never waits for readers or the writer: it copies what it can now.
            let done = match pool.acquire().await {
                Ok(mut c) => sqlx::query("pragma wal_checkpoint(passive)").execute(&mut *c).await.map(drop),
                Err(e) => Err(e),
            };
            if let Err(e) = done {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "Checkpointing the SQLite log failed; trying again.");
            }
        }
    });
}
