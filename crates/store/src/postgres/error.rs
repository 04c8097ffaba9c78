//! PostgreSQL's SQLSTATE codes, classified for [`crate::StoreError`].

use sqlx::error::DatabaseError;
use sqlx::postgres::PgDatabaseError;

/// Whether the transaction must be retried: serialization failure (40001) or deadlock (40P01).
pub(crate) fn is_busy(e: &dyn DatabaseError) -> bool {
    e.try_downcast_ref::<PgDatabaseError>().is_some_and(|e| matches!(e.code(), "40001" | "40P01"))
}
