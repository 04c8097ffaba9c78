//! Persistence for hiresync: one SQL text for SQLite (the default) and
//! PostgreSQL through sqlx's `Any` driver, migrations per backend, and the job
//! queue. Every query is scoped by workspace. Repository functions take a
//! connection, so the same function runs on a pooled connection or inside the
//! caller's transaction.

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
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// A write transaction on either backend. It derefs to the connection, so
/// repository functions take `&mut tx` like any connection. On SQLite it also
/// holds the process's write turn (see [`Store::begin`]).
pub struct Tx {
    inner: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl Tx {
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
    backend: Backend,
    /// SQLite has one writer at a time; writers of this process take turns here
    /// instead of meeting in SQLite's busy handler, which sleeps and retries.
    write_turn: Arc<Mutex<()>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

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
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; busy_timeout makes
                        // writers of other processes wait instead of failing at once.
                        conn.execute("pragma journal_mode = wal").await?;
                        conn.execute("pragma foreign_keys = on").await?;
                        conn.execute("pragma busy_timeout = 10000").await?;
                        conn.execute("pragma synchronous = normal").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, backend, write_turn: Arc::default() })
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

    /// A write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so a read-then-write transaction never fails
    /// with a stale snapshot.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.write_turn.clone().lock_owned().await;
                Tx { inner: self.pool.begin_with("begin immediate").await?, _turn: Some(turn) }
            }
            Backend::Postgres => Tx { inner: self.pool.begin().await?, _turn: None },
        })
    }

    /// Runs a single-statement write on SQLite in this process's write turn
    /// (see [`Store::begin`]); on PostgreSQL it runs at once.
    pub(crate) async fn write_turn(&self) -> Option<OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_turn.clone().lock_owned().await),
            Backend::Postgres => None,
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
        let base = env!("CARGO_MANIFEST_DIR");
        let sqlite = names(&format!("{base}/migrations/sqlite"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, names(&format!("{base}/migrations/postgres")));
    }
}
