//! [`Store`], the database handle shared by the API and the worker: its pools,
//! migrations, and the [`Db`]s and [`Tx`]s it hands out.

use crate::{Db, Result, StoreError, Tx, postgres, sqlite};
use sqlx::{PgPool, SqlitePool};

/// Which database a store runs on.
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
    pools: Pools,
}

#[derive(Clone, Debug)]
enum Pools {
    Sqlite {
        /// Reads and single-statement writes.
        reader: SqlitePool,
        /// SQLite has one writer at a time: this process's write transactions take turns on
        /// one connection instead of meeting in SQLite's busy handler, which sleeps and retries,
        /// and that connection's page cache stays warm, where a commit from another connection
        /// would empty it.
        writer: SqlitePool,
    },
    Postgres(PgPool),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens `sqlite://path` (created on first use, WAL, foreign keys on) or `postgres://...`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let max_connections = max_connections.max(1);
        let pools = if url.starts_with("sqlite:") {
            let (reader, writer) = sqlite::connect(url, max_connections).await?;
            Pools::Sqlite { reader, writer }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Pools::Postgres(postgres::connect(url, max_connections).await?)
        } else {
            return Err(StoreError::Config(format!("unsupported database URL scheme in {}", redact_url(url))));
        };
        Ok(Self { pools })
    }

    /// Applies the backend's pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pools {
            Pools::Sqlite { reader, .. } => SQLITE_MIGRATIONS.run(reader).await?,
            Pools::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// A pooled connection for reads and single-statement writes.
    pub async fn db(&self) -> Result<Db> {
        Ok(match &self.pools {
            Pools::Sqlite { reader, .. } => Db::sqlite(reader.acquire().await?),
            Pools::Postgres(pool) => Db::postgres(pool.acquire().await?),
        })
    }

    /// A write transaction. On SQLite it runs on the writer connection and takes
    /// the write lock up front (`BEGIN IMMEDIATE`) so a read-then-write
    /// transaction never fails with a stale snapshot.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match &self.pools {
            Pools::Sqlite { writer, .. } => Tx::sqlite(writer.begin_with("begin immediate").await?),
            Pools::Postgres(pool) => Tx::postgres(pool.begin().await?, false),
        })
    }

    /// A write transaction for a worker's turn: record finished jobs, then claim
    /// ([`crate::queue::claim`]). On PostgreSQL the claim's planner setting goes out with
    /// `BEGIN` in one round trip instead of two more around the claim; it lasts to
    /// the end of the transaction, which only penalizes sorts (a turn's other
    /// statements are keyed writes that need none).
    pub async fn begin_turn(&self) -> Result<Tx> {
        match &self.pools {
            Pools::Sqlite { .. } => self.begin().await,
            Pools::Postgres(pool) => {
                Ok(Tx::postgres(pool.begin_with("begin; set local enable_sort = off").await?, true))
            }
        }
    }

    /// The PostgreSQL pool, when the store runs on PostgreSQL.
    pub(crate) fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.pools {
            Pools::Sqlite { .. } => None,
            Pools::Postgres(pool) => Some(pool),
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        let mut db = self.db().await?;
        crate::with_raw!(&mut db, |c| sqlx::query("select 1").execute(c).await.map(drop))?;
        Ok(())
    }

    /// Closes the pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { reader, writer } => {
                writer.close().await;
                reader.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
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
