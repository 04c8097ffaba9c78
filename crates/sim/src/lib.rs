//! In-memory simulators of the providers' public APIs, served by axum on a
//! loopback port, for tests, the sandbox and benchmarks.
//!
//! Every simulator is built from the same parts, each written once: the
//! harness ([`SimCore`]: request log, fault injection, rate limits with the
//! provider's headers, signed webhook emission, and the `/_sim/` control
//! routes) wrapped around a provider's [`SimApp`], served by [`Running`] on
//! `127.0.0.1:0`. Each provider's folder has the same files: `app.rs` (its
//! defaults, state and router), `auth`, `body` (reading request bodies, where
//! the provider takes them), `control`, `errors`, `model`, `paging`, `render`
//! (where rows do not already serialise as served, as Greenhouse v3's do),
//! `seed`, `webhook`, and its request handlers, one file per resource.

pub mod clockwork;
pub mod conn;
pub mod control;
pub mod demo;
pub mod faults;
pub mod greenhouse;
pub mod harness;
pub mod log;
pub mod oneflow;
pub mod ratelimit;
pub mod server;
pub mod teamtailor;
pub mod webhooks;

pub use demo::{Demo, DemoOptions};
pub use faults::{Fault, FaultRates, ScriptedFault};
pub use harness::{SimConfig, SimCore};
pub use log::LoggedRequest;
pub use ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle, TimeScale};
pub use server::{Running, SimApp, SimServer};
pub use webhooks::{Delivery, WebhookEndpoint};
