//! Provider errors, classified once so the engine knows whether to retry,
//! wait, fail or pause the connection.

use hiresync_core::ProviderKind;
use std::time::Duration;

/// How the engine should treat a failed provider call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Network trouble or a 5xx: retry with backoff.
    Transient,
    /// A 429 or an exhausted budget: wait, then retry.
    RateLimited {
        /// How long the provider asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The request itself is wrong (validation, not found): fail with the provider's message.
    Permanent,
    /// Credentials rejected: mark the connection failing and stop its jobs.
    Auth,
}

/// A failed provider call, with the provider's own message and never the credential.
#[derive(Debug, thiserror::Error)]
#[error("{provider} {operation} failed{}: {message}", .status.map(|s| format!(" ({s})")).unwrap_or_default())]
pub struct ProviderError {
    /// What to do about it.
    pub kind: ErrorKind,
    /// Which provider failed.
    pub provider: ProviderKind,
    /// What we were doing (`lookup person`, `create note`, ...).
    pub operation: String,
    /// HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The provider's own message, or ours when there was no response.
    pub message: String,
    /// The provider's request id, when it sent one.
    pub request_id: Option<String>,
    /// The underlying cause (transport error, parse error).
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ProviderError {
    /// A new error without status or cause.
    pub fn new(
        kind: ErrorKind,
        provider: ProviderKind,
        operation: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            provider,
            operation: operation.into(),
            status: None,
            message: message.into(),
            request_id: None,
            source: None,
        }
    }

    /// The classification.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Attaches the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Attaches the cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Whether the engine should try again later.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ErrorKind::Transient | ErrorKind::RateLimited { .. })
    }
}
