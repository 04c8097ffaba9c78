//! Test harness: a fresh database per test on SQLite (always) and PostgreSQL
//! (when `HIRESYNC_TEST_DATABASE_URL` is set), the hiresync binary started on
//! port 0 beside the provider simulators and driven over HTTP, and waiting
//! with a deadline. The bench stands on the same pieces.

pub mod app;
pub mod connected;
pub mod db;
pub mod eventually;
pub mod harness;
pub mod queue;
pub mod server;
pub mod sims;
pub mod watchdog;

pub use app::TestApp;
pub use connected::{Clockwork, Greenhouse, Teamtailor};
pub use db::{TestDb, databases, unmigrated_databases};
pub use eventually::{Polled, eventually, eventually_every};
pub use harness::{Harness, Started};
pub use queue::{JobCounts, counts, wait_idle};
pub use server::{TEST_MASTER_KEY, TestServer, create_workspace};
