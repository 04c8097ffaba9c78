//! End to end: the real `hiresync` binary on a random port, driven over HTTP as
//! the outreach app would, against the provider simulators, on SQLite and
//! (when `HIRESYNC_TEST_DATABASE_URL` is set) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod ats_webhooks;
mod bad_input;
#[cfg(feature = "bench")]
mod bench;
mod bulk;
mod carry;
mod chaos;
mod clockwork;
mod clockwork_bulk;
mod clockwork_fields;
mod cluster;
mod console;
mod contract;
mod contracts;
mod crash;
mod fairness;
mod fields;
mod greenhouse;
mod greenhouse_team;
mod heal;
mod keys;
mod lookup;
mod operators;
mod preview;
mod remote;
mod resync_filters;
mod sandbox;
mod smartsync;
mod stages_by_name;
mod support;
mod teamtailor;
mod teamtailor_data;
mod teamtailor_sync;
mod throughput;
mod webhooks_out;
