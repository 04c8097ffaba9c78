//! The job kind that delivers webhooks out: each attempt at one delivery of
//! the outbox ([`crate::outbox`]) is a job that POSTs it to its endpoint,
//! signed per Standard Webhooks, and settles the attempt itself (see [`job`]).

mod job;
mod redeliver;
pub mod send;
pub mod sign;

pub use job::DeliverWebhook;
pub use redeliver::redeliver;
pub use send::{Sent, WebhookConfig, Webhooks};
