//! Persistence for hiresync: one SQL text for SQLite (the default) and
//! PostgreSQL through sqlx's `Any` driver, migrations per backend, and the job
//! queue. Every query is scoped by workspace. Repository functions take a
//! connection, so the same function runs on a pooled connection or inside the
//! caller's transaction.

mod arrays;
mod checkpoint;
pub mod connections;
pub mod contacts;
pub mod contracts;
mod error;
pub mod events;
pub mod imports;
pub mod notes;
pub mod queue;
pub mod resyncs;
mod rows;
pub mod sequences;
pub mod sync_log;
mod time;
pub mod webhooks;
pub mod workspaces;

pub use error::{Result, StoreError};
pub use time::now_ms;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// A write transaction on either backend. It derefs to the connection, so
/// repository functions take `&mut tx` like any connection. On SQLite it runs
/// on the process's one writer connection (see [`Store::begin`]).
pub struct Tx {
    inner: Transaction<'static, Any>,
    backend: Backend,
    /// PostgreSQL plans this transaction's statements without sorts where it can (see [`Store::begin_turn`]).
    sorts_off: bool,
}

impl Tx {
    /// Which database it runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether PostgreSQL already avoids sorts for the rest of this transaction.
    pub(crate) fn sorts_off(&self) -> bool {
        self.sorts_off
    }

    /// Commits the transaction and gives up the write turn.
    pub async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    /// Rolls the transaction back and gives up the write turn.
    pub async fn rollback(self) -> std::result::Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.inner
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").finish_non_exhaustive()
    }
}

/// A connection or transaction the repository functions run on.
pub type Conn = sqlx::AnyConnection;

/// Which database a store runs on; the claim query and DDL differ between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (one machine).
    Sqlite,
    /// PostgreSQL (several workers on several machines).
    Postgres,
}

/// The database handle shared by the API and the worker.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// SQLite has one writer at a time: this process's write transactions take turns on
    /// one connection instead of meeting in SQLite's busy handler, which sleeps and retries,
    /// and that connection's page cache stays warm, where a commit from another connection
    /// would empty it. On PostgreSQL, the shared pool.
    writer: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Page size of a new database file. A batch of events adds index entries all over indexes
/// keyed by contact (events by contact, jobs by ordering key), so each entry dirties a page of
/// its own and the commit writes every such page to the log; pages four times SQLite's 4 KiB
/// default hold four times the entries, and a batch dirties and logs fewer of them. Ingest on
/// SQLite went from 30-31.5k to 35.5-39k events/s; the queue's figures did not move, and
/// 32 and 64 KiB were no better. A file keeps the size it was made with (changing it means a
/// VACUUM outside WAL mode), so a database made before this still works at 4 KiB.
const SQLITE_PAGE_SIZE: u32 = 16_384;

impl Store {
    /// Opens `sqlite://path` (created on first use, WAL, foreign keys on) or `postgres://...`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!("unsupported database URL scheme in {}", redact_url(url))));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let options =
            AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Config(format!("{}: {e}", redact_url(&url))))?;
        let pool = Self::pool_options(backend, max_connections.max(1)).connect_with(options.clone()).await?;
        let writer = match backend {
            Backend::Sqlite => {
                checkpoint::spawn(pool.clone());
                Self::pool_options(backend, 1).connect_with(options).await?
            }
            Backend::Postgres => pool.clone(),
        };
        Ok(Self { pool, writer, backend })
    }

    fn pool_options(backend: Backend, max_connections: u32) -> AnyPoolOptions {
        AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            // A ping before every acquire is a round trip per statement; a broken connection
            // fails its statement instead, and the caller's retry gets a fresh one.
            .test_before_acquire(false)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Set before anything fixes the page size of a new file; a file that exists
                        // keeps its own. See [`SQLITE_PAGE_SIZE`].
                        conn.execute(format!("pragma page_size = {SQLITE_PAGE_SIZE}").as_str()).await?;
                        // WAL lets readers run beside the one writer; busy_timeout makes
                        // writers of other processes wait instead of failing at once.
                        conn.execute("pragma journal_mode = wal").await?;
                        conn.execute("pragma foreign_keys = on").await?;
                        conn.execute("pragma busy_timeout = 10000").await?;
                        conn.execute("pragma synchronous = normal").await?;
                        // A multi-row statement inside a transaction keeps a statement
                        // journal of the pages it changes; on disk that was a temp file
                        // written page by page (8% of an ingest batch's time).
                        conn.execute("pragma temp_store = memory").await?;
                        // Checkpoints run beside the writer (see `checkpoint`); a commit
                        // copies the log itself only past this backstop.
                        conn.execute(format!("pragma wal_autocheckpoint = {}", checkpoint::BACKSTOP_PAGES).as_str())
                            .await?;
                    }
                    Ok(())
                })
            })
    }

    /// Applies the backend's pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection for reads and single-statement writes.
    pub async fn conn(&self) -> Result<PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A write transaction. On SQLite it runs on the writer connection and takes
    /// the write lock up front (`BEGIN IMMEDIATE`) so a read-then-write
    /// transaction never fails with a stale snapshot.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match self.backend {
            Backend::Sqlite => self.writer.begin_with("begin immediate").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx { inner, backend: self.backend, sorts_off: false })
    }

    /// A write transaction for a worker's turn: record finished jobs, then claim
    /// ([`queue::claim`]). On PostgreSQL the claim's planner setting goes out with
    /// `BEGIN` in one round trip instead of two more around the claim; it lasts to
    /// the end of the transaction, which only penalizes sorts (a turn's other
    /// statements are keyed writes that need none).
    pub async fn begin_turn(&self) -> Result<Tx> {
        match self.backend {
            Backend::Sqlite => self.begin().await,
            Backend::Postgres => {
                let inner = self.pool.begin_with("begin; set local enable_sort = off").await?;
                Ok(Tx { inner, backend: self.backend, sorts_off: true })
            }
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        let mut c = self.conn().await?;
        sqlx::query("select 1").execute(&mut *c).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// The URL with any password replaced, for logs and errors.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***@{}", &url[..s], &url[at + 1..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(super::redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact_url("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let names = |dir: &str| {
            let mut v: Vec<String> = std::fs::read_dir(dir)
                .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            v.sort();
            v
        };
        // As cargo gives the running test: a binary reused from another checkout names that one in `env!`.
        let base = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
        let sqlite = names(&format!("{base}/migrations/sqlite"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, names(&format!("{base}/migrations/postgres")));
    }
}
