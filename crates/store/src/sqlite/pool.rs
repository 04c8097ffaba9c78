//! Opening a SQLite file: the reader pool and the one-connection writer pool,
//! each connection set up for WAL and this process's single writer.

use super::checkpoint;
use crate::{Result, StoreError, redact_url};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Executor, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Page size of a new database file. A batch of events adds index entries all over indexes
/// keyed by contact (events by contact, jobs by ordering key), so each entry dirties a page of
/// its own and the commit writes every such page to the log; pages four times SQLite's 4 KiB
/// default hold four times the entries, and a batch dirties and logs fewer of them (32 and
/// 64 KiB were no better). A file keeps the size it was made with (changing it means a VACUUM
/// outside WAL mode), so a database made before this still works at 4 KiB.
const PAGE_SIZE: u32 = 16_384;

/// The reader pool of up to `max_connections` and the writer pool of one, for `sqlite://...`;
/// starts the checkpoint task on the reader pool.
pub(crate) async fn connect(url: &str, max_connections: u32) -> Result<(SqlitePool, SqlitePool)> {
    let url = if url.contains("mode=") {
        url.to_owned()
    } else {
        format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
    };
    let options =
        SqliteConnectOptions::from_str(&url).map_err(|e| StoreError::Config(format!("{}: {e}", redact_url(&url))))?;
    let reader = pool_options(max_connections).connect_with(options.clone()).await?;
    checkpoint::spawn(reader.clone());
    let writer = pool_options(1).connect_with(options).await?;
    Ok((reader, writer))
}

fn pool_options(max_connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        // A ping before every acquire is a round trip per statement; a broken connection
        // fails its statement instead, and the caller's retry gets a fresh one.
        .test_before_acquire(false)
        .after_connect(|c, _| {
            Box::pin(async move {
                // Set before anything fixes the page size of a new file; a file that exists
                // keeps its own. See [`PAGE_SIZE`].
                c.execute(format!("pragma page_size = {PAGE_SIZE}").as_str()).await?;
                // WAL lets readers run beside the one writer; busy_timeout makes
                // writers of other processes wait instead of failing at once.
                c.execute("pragma journal_mode = wal").await?;
                c.execute("pragma foreign_keys = on").await?;
                c.execute("pragma busy_timeout = 10000").await?;
                c.execute("pragma synchronous = normal").await?;
                // A multi-row statement inside a transaction keeps a statement
                // journal of the pages it changes; on disk that was a temp file
                // written page by page.
                c.execute("pragma temp_store = memory").await?;
                // Checkpoints run beside the writer (see `checkpoint`); a commit
                // copies the log itself only past this backstop.
                c.execute(format!("pragma wal_autocheckpoint = {}", checkpoint::BACKSTOP_PAGES).as_str()).await?;
                Ok(())
            })
        })
}
