//! Integration tests of the provider clients against their simulators.
//! One binary for the crate: add a module per provider here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod clockwork;
mod greenhouse;
mod oneflow;
mod teamtailor;
