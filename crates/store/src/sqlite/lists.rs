//! Statements over many rows at once on SQLite (multi-row `values` lists,
//! `in (...)` lists), so a batch is written in a few statements instead of one
//! per row: every statement is a round trip to the driver's worker thread.
//!
//! Their parameters are spelled `?`: sqlx's SQLite driver asks SQLite for the
//! name of every parameter it binds, and SQLite finds a `$n` name by a linear
//! scan, so binding a statement of n `$n` parameters costs O(n²), where `?`,
//! which SQLite does not name, costs nothing.

use crate::Result;
use crate::error::json_col;
use serde::de::DeserializeOwned;
use sqlx::SqliteConnection;

/// Rows per multi-row statement: an ingest batch's thousand events, or its thousand decisions
/// per connection, in one statement and one round trip. At a dozen parameters a row, still under
/// SQLite's parameter limit (32766).
pub(crate) const CHUNK: usize = 1000;

/// Keys per `in (...)` list: one parameter each, so the thousand contacts of an ingest batch are
/// read in one statement, one round trip, while the batch holds SQLite's write lock. Still far
/// under SQLite's parameter limit.
pub(crate) const KEYS: usize = 5000;

/// `n` times `?`, comma-separated.
pub(crate) fn list(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        s.push_str(if i == 0 { "?" } else { ", ?" });
    }
    s
}

/// `rows` tuples of `cols` parameters for a multi-row `values` list.
pub(crate) fn values(rows: usize, cols: usize) -> String {
    let row = format!("({})", list(cols));
    let mut s = String::with_capacity(rows * (row.len() + 2));
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push_str(&row);
    }
    s
}

/// The rows of `table` in `workspace` whose `key` column is one of `keys`, as `T` (a tuple of
/// `columns`), [`KEYS`] keys at a time. Each read's rows come out as one JSON array in one row:
/// sqlx's SQLite driver hands every row from its database thread to the caller's task on its
/// own (a copy, a channel message and a wake-up per row), which for the thousand rows an ingest
/// batch reads cost as much as the queries themselves, while the write lock was held. Its text
/// differs with the list's length, so it runs unprepared.
pub(crate) async fn of_workspace<T: DeserializeOwned>(
    c: &mut SqliteConnection,
    table: &'static str,
    columns: &str,
    key: &str,
    workspace: &str,
    keys: &[&str],
) -> Result<Vec<T>> {
    let mut found = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(KEYS) {
        let sql = format!(
            "select json_group_array(json_array({columns})) from {table} where workspace_id = ? and {key} in ({})",
            list(chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).persistent(false).bind(workspace);
        for key in chunk {
            q = q.bind(*key);
        }
        let rows = q.fetch_one(&mut *c).await?;
        found.extend(json_col::<Vec<T>>(table, &rows)?);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_anonymous_and_grouped_by_row() {
        assert_eq!(super::values(2, 2), "(?, ?), (?, ?)");
        assert_eq!(super::list(3), "?, ?, ?");
        assert_eq!(super::list(0), "");
    }
}
