//! The handles repository functions run on: [`Db`], one pooled connection or
//! transaction on either backend, and [`Tx`], a write transaction that derefs
//! to its [`Db`].

use crate::Backend;
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};

/// One database connection or transaction that repository functions run on (`db: &mut Db`).
pub struct Db {
    inner: Inner,
}

enum Inner {
    SqlitePooled(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    PostgresPooled(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>),
}

/// The backend's own connection under a [`Db`]. The store's backend modules run on it; tests
/// and tools use it to read tables no repository function exposes (see [`with_raw!`](crate::with_raw)).
pub enum Raw<'a> {
    /// SQLite.
    Sqlite(&'a mut SqliteConnection),
    /// PostgreSQL.
    Postgres(&'a mut PgConnection),
}

impl Db {
    pub(crate) fn sqlite(c: PoolConnection<Sqlite>) -> Self {
        Self { inner: Inner::SqlitePooled(c) }
    }

    pub(crate) fn postgres(c: PoolConnection<Postgres>) -> Self {
        Self { inner: Inner::PostgresPooled(c) }
    }

    /// Which database it runs on.
    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::SqlitePooled(_) | Inner::SqliteTx(_) => Backend::Sqlite,
            Inner::PostgresPooled(_) | Inner::PostgresTx(_) => Backend::Postgres,
        }
    }

    /// The backend's own connection.
    pub fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            Inner::SqlitePooled(c) => Raw::Sqlite(c),
            Inner::SqliteTx(t) => Raw::Sqlite(t),
            Inner::PostgresPooled(c) => Raw::Postgres(c),
            Inner::PostgresTx(t) => Raw::Postgres(t),
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("backend", &self.backend()).finish_non_exhaustive()
    }
}

/// A write transaction on either backend. It derefs to its [`Db`], so repository functions
/// take `&mut tx` like any other. On SQLite it runs on the process's one writer connection
/// (see [`crate::Store::begin`]).
pub struct Tx {
    db: Db,
    /// PostgreSQL plans this transaction's statements without sorts (see [`crate::Store::begin_turn`]).
    sorts_off: bool,
}

impl Tx {
    pub(crate) fn sqlite(t: Transaction<'static, Sqlite>) -> Self {
        Self { db: Db { inner: Inner::SqliteTx(t) }, sorts_off: false }
    }

    pub(crate) fn postgres(t: Transaction<'static, Postgres>, sorts_off: bool) -> Self {
        Self { db: Db { inner: Inner::PostgresTx(t) }, sorts_off }
    }

    /// Which database it runs on.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// Whether PostgreSQL already avoids sorts for the rest of this transaction.
    pub(crate) fn sorts_off(&self) -> bool {
        self.sorts_off
    }

    /// Commits the transaction and gives up the write turn.
    pub async fn commit(self) -> crate::Result<()> {
        match self.db.inner {
            Inner::SqliteTx(t) => Ok(t.commit().await?),
            Inner::PostgresTx(t) => Ok(t.commit().await?),
            // A `Tx` is only ever made over a transaction: a pooled connection has nothing to commit.
            Inner::SqlitePooled(_) | Inner::PostgresPooled(_) => Ok(()),
        }
    }

    /// Rolls the transaction back and gives up the write turn.
    pub async fn rollback(self) -> std::result::Result<(), sqlx::Error> {
        match self.db.inner {
            Inner::SqliteTx(t) => t.rollback().await,
            Inner::PostgresTx(t) => t.rollback().await,
            Inner::SqlitePooled(_) | Inner::PostgresPooled(_) => Ok(()),
        }
    }
}

impl std::ops::Deref for Tx {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Db {
        &mut self.db
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("backend", &self.backend()).finish_non_exhaustive()
    }
}

/// Evaluates `$body` with `$c` bound to the backend's own connection under `$db` (a `&mut Db`):
/// the body is written once and compiled for each backend's connection type, so a statement
/// that reads the same on both runs on either. For tests and tools that inspect tables.
///
/// ```ignore
/// let (n,): (i64,) = with_raw!(&mut db, |c| sqlx::query_as("select count(*) from jobs").fetch_one(c).await)?;
/// ```
#[macro_export]
macro_rules! with_raw {
    ($db:expr, |$c:ident| $body:expr) => {
        match $crate::Db::raw($db) {
            $crate::Raw::Sqlite($c) => $body,
            $crate::Raw::Postgres($c) => $body,
        }
    };
}

/// Calls the function at this path in the backend module the `&mut Db` runs on
/// (`crate::sqlite::...` or `crate::postgres::...`), with the backend's connection first.
macro_rules! on_backend {
    ($db:expr, $($f:ident)::+ ( $($arg:expr),* $(,)? )) => {
        match $crate::Db::raw($db) {
            $crate::Raw::Sqlite(c) => $crate::sqlite::$($f)::+(c, $($arg),*).await,
            $crate::Raw::Postgres(c) => $crate::postgres::$($f)::+(c, $($arg),*).await,
        }
    };
}
pub(crate) use on_backend;
