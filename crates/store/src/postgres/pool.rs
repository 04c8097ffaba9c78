//! Opening a PostgreSQL database: one pool, shared by reads and writes.

use crate::{Result, StoreError, redact_url};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// A pool of up to `max_connections` for `postgres://...`.
pub(crate) async fn connect(url: &str, max_connections: u32) -> Result<PgPool> {
    let options =
        PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(format!("{}: {e}", redact_url(url))))?;
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        // A database out of reach answers requests with 503 after this, not after half a minute.
        .acquire_timeout(Duration::from_secs(10))
        // A ping before every acquire is a round trip per statement; a broken connection
        // fails its statement instead, and the caller's retry gets a fresh one.
        .test_before_acquire(false)
        .connect_with(options)
        .await?)
}
