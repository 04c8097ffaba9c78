//! Test harness: a fresh database per test on SQLite (always) and PostgreSQL
//! (when `HIRESYNC_TEST_DATABASE_URL` is set), and the hiresync binary spawned
//! on port 0 and driven over HTTP.

pub mod app;
pub mod db;
pub mod eventually;
pub mod watchdog;

pub use app::{TestApp, TestServer, create_workspace};
pub use db::{TestDb, databases, unmigrated_databases};
pub use eventually::{Polled, eventually};
