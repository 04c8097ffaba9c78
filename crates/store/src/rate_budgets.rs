//! Rate budgets shared by the processes on one PostgreSQL database: one row
//! per provider credential holding its limiter's state, read and then stored
//! over the version read, so no lock is held between the two round trips and
//! a process that dies between them leaves nothing behind. SQLite serves one
//! process, which keeps its budgets in memory.

use crate::{Db, Raw, Result, StoreError};

/// Budgets untouched this long are forgotten (their credential is gone or idle).
pub const IDLE_MS: i64 = 24 * 60 * 60 * 1000;

/// How a budget changes: given the stored state (`None` for a new budget) and the database's
/// clock in microseconds since the Unix epoch, the state to store.
pub type Step<'a> = dyn FnMut(Option<&str>, i64) -> String + Send + 'a;

/// Reads the budget under `key` and the database's clock, and stores what `step` makes of
/// them; when another process stored the budget in between, `step` runs again on its state.
pub async fn update(db: &mut Db, key: &str, step: &mut Step<'_>) -> Result<()> {
    match db.raw() {
        Raw::Postgres(c) => crate::postgres::rate_budgets::update(c, key, step).await,
        Raw::Sqlite(_) => Err(unsupported()),
    }
}

/// Forgets budgets nobody stored since `before_ms`; returns how many.
pub async fn prune(db: &mut Db, before_ms: i64) -> Result<u64> {
    match db.raw() {
        Raw::Postgres(c) => crate::postgres::rate_budgets::prune(c, before_ms).await,
        Raw::Sqlite(_) => Ok(0),
    }
}

fn unsupported() -> StoreError {
    StoreError::Config("shared rate budgets need PostgreSQL; a process on SQLite keeps its own in memory".into())
}
