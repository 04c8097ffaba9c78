//! The Rust API's values as PostgreSQL's native types: epoch milliseconds as
//! `timestamptz`, JSON documents as `jsonb`.

use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Epoch milliseconds as a time. A time beyond what PostgreSQL or chrono hold (hundreds of
/// thousands of years) is stored as the nearest one they do.
pub(crate) fn ts(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms.clamp(MIN_MS, DateTime::<Utc>::MAX_UTC.timestamp_millis())).unwrap_or_default()
}

/// [`ts`] of a time that may be absent.
pub(crate) fn ts_opt(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(ts)
}

/// A time as epoch milliseconds.
pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// [`ms`] of a time that may be absent.
pub(crate) fn ms_opt(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(ms)
}

/// PostgreSQL's earliest time, 4714-11-24 BC at midnight, in epoch milliseconds.
const MIN_MS: i64 = -210_866_803_200_000;

/// A `jsonb` column's value as `T`, naming the column when it does not fit.
pub(crate) fn from_json<T: DeserializeOwned>(column: &'static str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| StoreError::Corrupt { column, message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_come_back_as_they_went_in() {
        for t in [0, 1, -1_500, 1_712_345_678_901, 4_102_444_800_123] {
            assert_eq!(ms(ts(t)), t);
        }
        assert_eq!(ms(ts(i64::MIN)), MIN_MS);
    }
}
