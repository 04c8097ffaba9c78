//! SQLite's result codes, classified for [`crate::StoreError`].

use sqlx::error::DatabaseError;
use sqlx::sqlite::SqliteError;

/// Whether SQLite refused for a lock held elsewhere: SQLITE_BUSY (5) and its extended codes
/// (261 recovery, 517 snapshot).
pub(crate) fn is_busy(e: &dyn DatabaseError) -> bool {
    e.try_downcast_ref::<SqliteError>().is_some_and(|e| matches!(e.code().as_deref(), Some("5" | "261" | "517")))
}
