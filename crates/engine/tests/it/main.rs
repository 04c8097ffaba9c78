//! Engine behaviour against a real store: every test runs on SQLite and, when
//! `HIRESYNC_TEST_DATABASE_URL` is set, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod ingest;
mod resync;
mod upgrade;
