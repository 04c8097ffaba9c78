//! [`HttpClient`]: sends one logical request through the credential's
//! limiter, retrying what is safe to retry, and returns either the read
//! response or a classified [`ProviderError`].

use super::metrics::PROVIDER_METRICS;
use super::{
    Classify, Failure, HttpConfig, HttpResponse, Permit, RateLimiter, Unavailable, build_reqwest, calls, limiter_for,
    redact_url,
};
use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use http::Method;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];

/// Whether a request may be sent again when its outcome is unknown (timeout, 5xx).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// From the method: GET, HEAD, PUT, DELETE and OPTIONS are; POST and PATCH are not.
    ByMethod,
    /// Repeating it is harmless (a token request, a search sent as POST).
    Safe,
    /// Repeating it could write twice: only retried when it surely never ran (429, refused connection).
    Unsafe,
}

/// A provider credential's HTTP client: shared reqwest pool, limiter, retry policy.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: reqwest::Client,
    config: Arc<HttpConfig>,
    limiter: Arc<RateLimiter>,
}

/// The most of a provider's response body read into memory: a page of hundreds of
/// candidates is a few MiB, and a hostile or broken `base_url` must not exhaust memory.
const MAX_RESPONSE_BYTES: usize = 32 << 20;

enum Unread {
    Transport(reqwest::Error),
    TooLarge,
}

/// The body, read chunk by chunk and given up on past [`MAX_RESPONSE_BYTES`].
async fn read_capped(mut response: reqwest::Response) -> std::result::Result<bytes::Bytes, Unread> {
    if response.content_length().is_some_and(|n| n > MAX_RESPONSE_BYTES as u64) {
        return Err(Unread::TooLarge);
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(Unread::Transport)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(Unread::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

enum Attempt {
    Done(HttpResponse),
    Failed { error: ProviderError, retryable: bool },
}

impl HttpClient {
    /// Builds the client and joins (or creates) the credential's limiter.
    pub fn new(config: HttpConfig) -> Result<Self> {
        let inner = build_reqwest(&config)?;
        let limiter = limiter_for(&config);
        Ok(Self { inner, config: Arc::new(config), limiter })
    }

    /// The reqwest client, to build requests with.
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }

    /// The provider this client reports in errors.
    pub fn provider(&self) -> ProviderKind {
        self.config.provider
    }

    /// The credential's limiter.
    pub fn limiter(&self) -> &Arc<RateLimiter> {
        &self.limiter
    }

    /// Sends `request` with retries decided by its method; see [`HttpClient::send_with`].
    pub async fn send(
        &self,
        request: reqwest::Request,
        operation: &str,
        classify: Classify<'_>,
    ) -> Result<HttpResponse> {
        self.send_with(request, operation, Idempotency::ByMethod, classify).await
    }

    /// Sends `request`, naming it `operation` in logs and errors. `classify` decides which
    /// responses are failures; transient failures and 429s are retried per the policy, and
    /// whatever remains surfaces as a [`ProviderError`] (never an endless loop).
    pub async fn send_with(
        &self,
        request: reqwest::Request,
        operation: &str,
        idempotency: Idempotency,
        classify: Classify<'_>,
    ) -> Result<HttpResponse> {
        let span = tracing::debug_span!("provider_request", provider = self.config.provider.as_str(), operation, method = %request.method());
        self.send_inner(request, operation, idempotency, classify).instrument(span).await
    }

    async fn send_inner(
        &self,
        request: reqwest::Request,
        operation: &str,
        idempotency: Idempotency,
        classify: Classify<'_>,
    ) -> Result<HttpResponse> {
        let policy = self.config.retry;
        let idempotent = match idempotency {
            Idempotency::ByMethod => {
                matches!(*request.method(), Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
            }
            Idempotency::Safe => true,
            Idempotency::Unsafe => false,
        };
        let mut pending = Some(request);
        let mut attempt = 0u32;
        loop {
            let Some(current) = pending.take() else {
                return Err(self.error(ErrorKind::Permanent, operation, "request could not be repeated".into()));
            };
            // A streaming body cannot be cloned; such a request gets exactly one attempt.
            pending = current.try_clone();
            let asked = tokio::time::Instant::now();
            let acquired = self.limiter.acquire(policy.max_budget_wait).await;
            PROVIDER_METRICS.waited(self.config.provider, asked.elapsed());
            let permit = match acquired {
                Ok(permit) => permit,
                Err(Unavailable::Wait(wait)) => {
                    return Err(self.error(
                        ErrorKind::RateLimited { retry_after: Some(wait) },
                        operation,
                        "rate limit budget exhausted".into(),
                    ));
                }
                // Nothing was sent: the job waits for the database rather than spend an attempt.
                Err(Unavailable::Unreachable(why)) => return Err(self.error(ErrorKind::Transient, operation, why)),
            };
            let (error, retryable) = match self.attempt(current, permit, operation, idempotent, attempt, classify).await
            {
                Attempt::Done(response) => return Ok(response),
                Attempt::Failed { error, retryable } => (error, retryable),
            };
            attempt += 1;
            if !retryable || attempt >= policy.max_attempts || pending.is_none() {
                return Err(error);
            }
            let delay = match error.kind {
                ErrorKind::RateLimited { retry_after: Some(wait) } if wait > policy.max_budget_wait => {
                    return Err(error);
                }
                // The limiter already holds every request on this credential until then.
                ErrorKind::RateLimited { retry_after: Some(_) } => Duration::ZERO,
                _ => policy.backoff(attempt - 1),
            };
            tracing::warn!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "Provider request failed, retrying.");
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt(
        &self,
        request: reqwest::Request,
        mut permit: Permit,
        operation: &str,
        idempotent: bool,
        attempt: u32,
        classify: Classify<'_>,
    ) -> Attempt {
        let url = redact_url(request.url());
        let sent = Sent {
            at_ms: calls::now_ms(),
            request: format!("{} {}", request.method(), request.url().path()),
            operation,
            provider: self.config.provider,
        };
        let started = tokio::time::Instant::now();
        let response = match self.inner.execute(request).await {
            Ok(response) => {
                permit.received();
                response
            }
            Err(e) => {
                PROVIDER_METRICS.answered(self.config.provider, operation, None, started.elapsed());
                return sent.log(self.transport_failure(e, operation, idempotent, &url, attempt), None, 0);
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        PROVIDER_METRICS.answered(self.config.provider, operation, Some(status.as_u16()), started.elapsed());
        PROVIDER_METRICS.allowance(self.config.provider, &self.config.rate_limit_headers, &headers);
        let body = match read_capped(response).await {
            Ok(body) => body,
            Err(Unread::Transport(e)) => {
                permit.answered(&headers, None);
                let failed = self.transport_failure(e, operation, idempotent, &url, attempt);
                return sent.log(failed, Some(status.as_u16()), 0);
            }
            Err(Unread::TooLarge) => {
                permit.answered(&headers, None);
                let message = format!("response larger than {} MiB", MAX_RESPONSE_BYTES >> 20);
                let error = self.error(ErrorKind::Permanent, operation, message).with_status(status.as_u16());
                return sent.log(Attempt::Failed { error, retryable: false }, Some(status.as_u16()), 0);
            }
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        tracing::debug!(%url, status = status.as_u16(), attempt, elapsed_ms, "Provider request finished.");
        let response = HttpResponse { status, headers, body };
        let failure = classify(&response);
        let refused_for = match failure.as_ref().map(|f| &f.kind) {
            Some(ErrorKind::RateLimited { retry_after }) => *retry_after,
            _ => None,
        };
        permit.answered(&response.headers, refused_for);
        let Some(Failure { kind, message }) = failure else {
            return sent.log(Attempt::Done(response), Some(status.as_u16()), elapsed_ms);
        };
        let retryable = match kind {
            // A 429 was refused before any work was done.
            ErrorKind::RateLimited { .. } => true,
            ErrorKind::Transient => idempotent,
            ErrorKind::Permanent | ErrorKind::Auth => false,
        };
        let mut error = self.error(kind, operation, message).with_status(status.as_u16());
        error.request_id = REQUEST_ID_HEADERS.iter().find_map(|h| response.header(h)).map(str::to_owned);
        sent.log(Attempt::Failed { error, retryable }, Some(status.as_u16()), elapsed_ms)
    }

    fn transport_failure(
        &self,
        e: reqwest::Error,
        operation: &str,
        idempotent: bool,
        url: &str,
        attempt: u32,
    ) -> Attempt {
        let e = e.without_url();
        let message = if e.is_timeout() {
            "request timed out".to_owned()
        } else if e.is_connect() {
            "could not connect".to_owned()
        } else {
            "connection failed before a response was read".to_owned()
        };
        tracing::debug!(%url, attempt, error = %e, "Provider request got no response.");
        // A refused connection never reached the provider, so even a POST may go again.
        let retryable = idempotent || e.is_connect();
        Attempt::Failed { error: self.error(ErrorKind::Transient, operation, message).with_source(e), retryable }
    }

    fn error(&self, kind: ErrorKind, operation: &str, message: String) -> ProviderError {
        ProviderError::new(kind, self.config.provider, operation, message)
    }
}

/// A request on its way, to be noted in the job's call record once it ends.
struct Sent<'a> {
    at_ms: i64,
    request: String,
    operation: &'a str,
    provider: ProviderKind,
}

impl Sent<'_> {
    fn log(self, attempt: Attempt, status: Option<u16>, elapsed_ms: u64) -> Attempt {
        let (ok, detail) = match &attempt {
            Attempt::Done(_) => (true, format!("{elapsed_ms} ms")),
            Attempt::Failed { error, .. } => (false, error.message.clone()),
        };
        calls::push(calls::Call {
            at_ms: self.at_ms,
            provider: self.provider,
            operation: self.operation.to_owned(),
            request: self.request,
            status,
            ok,
            detail,
        });
        attempt
    }
}
