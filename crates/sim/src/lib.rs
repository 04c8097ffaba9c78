//! In-memory simulators of the providers' public APIs, served by axum on a
//! loopback port, for tests, the sandbox and benchmarks.
//!
//! Every simulator is built from the same parts: [`SimCore`] (request log,
//! fault injection, rate limits with the provider's headers, signed webhook
//! emission, and the `/_sim/` control routes) wrapped around a provider
//! router, served by [`SimServer`] on `127.0.0.1:0`.

pub mod clockwork;
pub mod conn;
pub mod control;
pub mod core;
pub mod demo;
pub mod faults;
pub mod greenhouse;
pub mod log;
pub mod oneflow;
pub mod ratelimit;
pub mod server;
pub mod teamtailor;
pub mod webhooks;

pub use crate::core::{SimConfig, SimCore};
pub use demo::{Demo, DemoOptions};
pub use faults::{Fault, FaultRates, ScriptedFault};
pub use log::LoggedRequest;
pub use ratelimit::{RateLimitConfig, RateLimitRule, RateLimitStyle, TimeScale};
pub use server::SimServer;
pub use webhooks::{Delivery, WebhookEndpoint};
