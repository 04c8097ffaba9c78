//! Times are stored as milliseconds since the Unix epoch on both backends, so
//! comparisons and arithmetic read the same in SQLite and PostgreSQL.

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
