//! A fresh, migrated database per test; PostgreSQL databases are dropped
//! afterwards unless `HIRESYNC_TEST_KEEP_DB=1`.

use anyhow::{Context, Result, bail};
use hiresync_store::{Backend, Store};
use sqlx::migrate::Migrator;
use sqlx::{Connection, PgPool, SqlitePool};
use std::borrow::Cow;
use std::path::Path;

/// One test database, its URL and an open store.
pub struct TestDb {
    /// Connection URL for child processes.
    pub url: String,
    /// An open, migrated store.
    pub store: Store,
    /// Which backend, for messages.
    pub backend: &'static str,
    admin_url: Option<String>,
    name: Option<String>,
    /// Whether the per-test time limit counts this database (see [`crate::watchdog`]).
    timed: bool,
    _dir: Option<tempfile::TempDir>,
}

/// The backends to run on: SQLite always, PostgreSQL when configured.
/// With `CI=true`, an unreachable PostgreSQL fails the test instead of being skipped.
pub async fn databases() -> Result<Vec<TestDb>> {
    backends(true).await
}

/// As [`databases`], but empty: no migration has run, so a test can bring them to an older
/// version, store rows as that version did, and then migrate as an upgrade would.
pub async fn unmigrated_databases() -> Result<Vec<TestDb>> {
    backends(false).await
}

async fn backends(migrate: bool) -> Result<Vec<TestDb>> {
    let mut v = vec![TestDb::sqlite_at(migrate, true).await?];
    match std::env::var("HIRESYNC_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => v.push(TestDb::postgres_at(&url, migrate, true).await?),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            bail!("CI=true but HIRESYNC_TEST_DATABASE_URL is not set: the suite must run on PostgreSQL too")
        }
        _ => {}
    }
    Ok(v)
}

impl TestDb {
    /// A migrated SQLite file in a temporary directory.
    pub async fn sqlite() -> Result<Self> {
        Self::sqlite_at(true, true).await
    }

    /// A migrated database that no time limit watches, for runs longer than a test (the bench):
    /// on the PostgreSQL server `postgres` names, or a SQLite file when `None`.
    pub async fn untimed(postgres: Option<&str>) -> Result<Self> {
        match postgres {
            Some(admin_url) => Self::postgres_at(admin_url, true, false).await,
            None => Self::sqlite_at(true, false).await,
        }
    }

    async fn sqlite_at(migrate: bool, timed: bool) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::connect(&url, 8).await?;
        if migrate {
            store.migrate().await?;
        }
        if timed {
            crate::watchdog::opened();
        }
        Ok(Self { url, store, backend: "sqlite", admin_url: None, name: None, timed, _dir: Some(dir) })
    }

    /// A new migrated PostgreSQL database next to the one `admin_url` names.
    pub async fn postgres(admin_url: &str) -> Result<Self> {
        Self::postgres_at(admin_url, true, true).await
    }

    async fn postgres_at(admin_url: &str, migrate: bool, timed: bool) -> Result<Self> {
        let name = format!("hiresync_t{}", rand::random::<u64>());
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .with_context(|| format!("PostgreSQL at {} is unreachable", hiresync_store::redact_url(admin_url)))?;
        sqlx::query(&format!("create database {name}")).execute(&mut admin).await?;
        admin.close().await?;
        let mut u = url::Url::parse(admin_url)?;
        u.set_path(&name);
        let url = u.to_string();
        let store = Store::connect(&url, 8).await?;
        if migrate {
            store.migrate().await?;
        }
        if timed {
            crate::watchdog::opened();
        }
        Ok(Self {
            url,
            store,
            backend: "postgres",
            admin_url: Some(admin_url.to_owned()),
            name: Some(name),
            timed,
            _dir: None,
        })
    }
}

impl TestDb {
    /// Runs the store's migrations up to and including `version` on this (unmigrated) database,
    /// as the release whose schema ended there did.
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        let dir = match self.store.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        // As cargo gives the running test, whose crate sits beside the store: a binary reused from
        // another checkout names that one in `env!`.
        let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
        let mut migrator = Migrator::new(Path::new(&root).join("../store/migrations").join(dir)).await?;
        migrator.migrations =
            Cow::Owned(migrator.migrations.iter().filter(|m| m.version <= version).cloned().collect());
        match self.store.backend() {
            Backend::Sqlite => {
                let pool = SqlitePool::connect(&self.url).await?;
                migrator.run(&pool).await?;
                pool.close().await;
            }
            Backend::Postgres => {
                let pool = PgPool::connect(&self.url).await?;
                migrator.run(&pool).await?;
                pool.close().await;
            }
        }
        Ok(())
    }

    /// Runs SQL statements as given, on a connection of their own: rows as an older release
    /// stored them, in the schema it had.
    pub async fn execute(&self, sql: &str) -> Result<()> {
        match self.store.backend() {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await?;
                sqlx::raw_sql(sql).execute(&mut c).await?;
                c.close().await?;
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await?;
                sqlx::raw_sql(sql).execute(&mut c).await?;
                c.close().await?;
            }
        }
        Ok(())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.timed {
            crate::watchdog::closed();
        }
        let (Some(admin), Some(name)) = (self.admin_url.clone(), self.name.clone()) else { return };
        if std::env::var("HIRESYNC_TEST_KEEP_DB").is_ok_and(|v| v == "1") {
            return;
        }
        // Drop runs outside async; a short-lived thread with its own runtime drops the database.
        // It must not wait for the pool to close: returning a pooled connection needs the test's
        // runtime, which this join blocks. `with (force)` ends the pool's sessions instead.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&mut c).await;
                }
            });
        })
        .join();
    }
}
