//! The HTTP layer every provider client goes through: one reqwest builder,
//! one rate limiter per credential corrected by the provider's rate-limit
//! headers, retries with full-jitter backoff that honour `Retry-After`, and
//! request logging with credentials redacted.
//!
//! A provider builds an [`HttpClient`] from an [`HttpConfig`] (its defaults
//! plus the credential's fingerprint), then sends each request with
//! [`HttpClient::send`], naming the operation and passing its own
//! classification function for non-success responses.

pub mod address;
mod builder;
pub mod calls;
mod classify;
mod client;
mod limiter;
pub mod metrics;
mod redact;
mod retry;
mod urls;

pub use builder::{HttpConfig, USER_AGENT, build_reqwest};
pub use classify::{Classify, Failure, HttpResponse, classify_status};
pub use client::{HttpClient, Idempotency};
pub use limiter::{
    BudgetError, BudgetStep, Budgets, Permit, RateLimitHeaders, RateLimiter, ResetStyle, Unavailable, limiter_for,
};
pub use redact::{redact_headers, redact_url};
pub use retry::{MAX_RETRY_AFTER, RetryPolicy, backoff, parse_retry_after};
pub use urls::{api_url, follow_link};
