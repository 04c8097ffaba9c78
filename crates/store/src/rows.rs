//! Placeholders for statements over many rows at once (multi-row `values`
//! lists, `in (...)` lists), so a batch is written in a few statements instead
//! of one per row: on SQLite every statement is a round trip to the driver's
//! worker thread.
//!
//! These statements spell their parameters `?` on SQLite and `$n` on
//! PostgreSQL; the SQL is otherwise the same text. sqlx's SQLite driver asks
//! SQLite for the name of every parameter it binds, and SQLite finds a `$n`
//! name by a linear scan, so binding a statement of n `$n` parameters costs
//! O(n²): 500 rows of 8 parameters took 58 ms per 1000 rows, against 4 ms
//! with `?`, which SQLite does not name.

use crate::arrays;
use crate::error::json_col;
use crate::{Conn, Result};
use serde::de::DeserializeOwned;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, FromRow};
use std::fmt::Write;

/// Rows per multi-row statement: an ingest batch's thousand events, or its thousand decisions
/// per connection, in one statement and one round trip (PostgreSQL ingest +8% over 500). At a
/// dozen parameters a row, still under SQLite's (32766) and PostgreSQL's (65535) limits.
pub(crate) const CHUNK: usize = 1000;

/// Keys per `in (...)` list on SQLite: one parameter each, so the thousand contacts of an ingest
/// batch are read in one statement, one round trip, while the batch holds SQLite's write lock.
/// Still far under SQLite's parameter limit. PostgreSQL takes any number as one array
/// ([`Params::keys`]).
pub(crate) const KEYS: usize = 5000;

/// How the connection's backend spells a statement's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Params {
    /// `?`, bound in the order they appear (SQLite).
    Anonymous,
    /// `$1`, `$2`, ... (PostgreSQL).
    Numbered,
}

impl Params {
    /// The spelling `c`'s backend takes.
    pub fn of(c: &Conn) -> Self {
        if c.backend_name() == "SQLite" { Params::Anonymous } else { Params::Numbered }
    }

    /// `$from, ..., $(from + n - 1)`, or `n` times `?`: `n` parameters in a row, comma-separated.
    pub fn list(self, n: usize, from: usize) -> String {
        let mut s = String::with_capacity(n * 6);
        for i in 0..n {
            if i > 0 {
                s.push_str(", ");
            }
            match self {
                Params::Anonymous => s.push('?'),
                Params::Numbered => {
                    let _ = write!(s, "${}", from + i);
                }
            }
        }
        s
    }

    /// How many keys one `in (...)` list of [`Params::keys`] takes.
    pub fn keys_per_list(self) -> usize {
        match self {
            Params::Anonymous => KEYS,
            Params::Numbered => usize::MAX,
        }
    }

    /// The inside of `in (...)` for `n` keys, the first (or only) parameter numbered `from`;
    /// bind the keys with [`bind_keys`]. PostgreSQL takes them as one text array, so the
    /// statement's text is the same for any number of keys and each connection prepares it
    /// once: an ingest batch's two 1000-key reads while it held its contacts took 7.7 ms as
    /// parameter lists planned each time, against 5.6 ms as arrays.
    pub fn keys(self, n: usize, from: usize) -> String {
        match self {
            Params::Anonymous => self.list(n, from),
            Params::Numbered => format!("select unnest(${from}::text[])"),
        }
    }

    /// `rows` tuples of `cols` parameters for a multi-row `values` list, numbered from `from`.
    pub fn values(self, rows: usize, cols: usize, from: usize) -> String {
        let mut s = String::with_capacity(rows * (cols * 6 + 4));
        for r in 0..rows {
            s.push_str(if r == 0 { "(" } else { ", (" });
            s.push_str(&self.list(cols, from + r * cols));
            s.push(')');
        }
        s
    }
}

/// A read of the rows whose key is in a [`Params::keys`] list. SQLite's runs unprepared, as its
/// text differs with the list's length. PostgreSQL's text is one per read, so it stays
/// prepared; its generic plan looks each of the array's keys up in the index, as a list planned
/// each time did (a prepared list of a few hundred parameters had settled on scanning the table
/// and comparing each row with every key: 50 ms for 500 contacts, against 5 ms).
pub(crate) fn by_keys<'q, O>(sql: &'q str, p: Params) -> QueryAs<'q, Any, O, AnyArguments<'q>>
where
    O: for<'r> FromRow<'r, AnyRow>,
{
    sqlx::query_as(sql).persistent(p == Params::Numbered)
}

/// Binds the keys of a [`Params::keys`] list.
pub(crate) fn bind_keys<'q, O>(
    mut q: QueryAs<'q, Any, O, AnyArguments<'q>>,
    p: Params,
    keys: &[&'q str],
) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
    match p {
        Params::Anonymous => {
            for key in keys {
                q = q.bind(*key);
            }
            q
        }
        Params::Numbered => q.bind(arrays::text(keys.iter().map(|k| Some(*k)))),
    }
}

/// The rows of `table` in `workspace` whose `key` column is one of `keys`, as `T` (a tuple of
/// `columns`), read [`Params::keys_per_list`] keys at a time. On SQLite each read's rows come
/// out as one JSON array in one row: sqlx's SQLite driver hands every row from its database
/// thread to the caller's task on its own (a copy, a channel message and a wake-up per row),
/// which for the thousand rows an ingest batch reads cost as much as the queries themselves,
/// while the write lock was held. PostgreSQL's rows arrive buffered and are read as rows.
pub(crate) async fn of_workspace<T>(
    c: &mut Conn,
    table: &'static str,
    columns: &str,
    key: &str,
    workspace: &str,
    keys: &[&str],
) -> Result<Vec<T>>
where
    T: DeserializeOwned + for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let (mut found, p) = (Vec::with_capacity(keys.len()), Params::of(c));
    for chunk in keys.chunks(p.keys_per_list()) {
        let tail =
            format!("from {table} where workspace_id = {} and {key} in ({})", p.list(1, 1), p.keys(chunk.len(), 2));
        match p {
            Params::Anonymous => {
                let sql = format!("select json_group_array(json_array({columns})) {tail}");
                let q = bind_keys(by_keys::<(String,)>(&sql, p).bind(workspace), p, chunk);
                let (rows,) = q.fetch_one(&mut *c).await?;
                found.extend(json_col::<Vec<T>>(table, &rows)?);
            }
            Params::Numbered => {
                let sql = format!("select {columns} {tail}");
                found.extend(bind_keys(by_keys::<T>(&sql, p).bind(workspace), p, chunk).fetch_all(&mut *c).await?);
            }
        }
    }
    Ok(found)
}

/// A write over a list of rows (a multi-row `values`, an `in (...)` of ids), whose text differs
/// with the list's length. On PostgreSQL it runs unprepared: kept prepared, the lengths a busy
/// worker and ingest produce filled every pooled connection's statement cache (100 apiece) and
/// the server's sessions with plans seldom used again, and the server's memory in a
/// 100,000-contact resync grew through its first 20,000 jobs (26 MiB flat without, against
/// 28-35 MiB rising to 45-50 with). SQLite keeps them prepared: its statements cost only this
/// process's memory, which stayed flat, and preparing a statement of thousands of parameters
/// again for every batch is SQLite's cost, not the server's.
pub(crate) fn listed(sql: &str, p: Params) -> Query<'_, Any, AnyArguments<'_>> {
    sqlx::query(sql).persistent(p == Params::Anonymous)
}

/// [`listed`], for a write that returns rows.
pub(crate) fn listed_as<'q, O>(sql: &'q str, p: Params) -> QueryAs<'q, Any, O, AnyArguments<'q>>
where
    O: for<'r> FromRow<'r, AnyRow>,
{
    sqlx::query_as(sql).persistent(p == Params::Anonymous)
}

#[cfg(test)]
mod tests {
    use super::Params::{Anonymous, Numbered};

    #[test]
    fn placeholders_are_numbered_in_the_order_they_are_bound() {
        assert_eq!(Numbered.values(2, 2, 2), "($2, $3), ($4, $5)");
        assert_eq!(Anonymous.values(2, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(Numbered.list(3, 2), "$2, $3, $4");
        assert_eq!(Anonymous.list(2, 2), "?, ?");
        assert_eq!(Numbered.list(0, 2), "");
    }
}
