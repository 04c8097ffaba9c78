//! The single place reqwest clients are built, so every provider gets the
//! same TLS stack, timeouts and user agent.

use super::{Budgets, RateLimitHeaders, RetryPolicy};
use crate::{ErrorKind, ProviderError, Result};
use governor::Quota;
use hiresync_core::ProviderKind;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// `hiresync/<version>`, sent on every provider request.
pub const USER_AGENT: &str = concat!("hiresync/", env!("CARGO_PKG_VERSION"));

/// How one provider credential talks HTTP: timeouts, limiter shape, retry policy.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// The provider, named in errors, logs and limiter keys.
    pub provider: ProviderKind,
    /// Identifies the credential (a hash, never the secret) so connections sharing it share a limiter.
    pub credential_fingerprint: String,
    /// Time allowed to open a TCP + TLS connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub request_timeout: Duration,
    /// The provider's published limit, used until its headers say otherwise.
    pub quota: Quota,
    /// Requests allowed per window: published, or the connection's own.
    pub requests: u32,
    /// The window those requests are allowed in.
    pub window: Duration,
    /// Whether `requests` is the connection's own allowance, which headers may lower but never raise.
    pub allowance_is_own: bool,
    /// Names and semantics of the provider's rate-limit headers.
    pub rate_limit_headers: RateLimitHeaders,
    /// How often and how long to retry.
    pub retry: RetryPolicy,
    /// Where the credential's budget is kept when several processes share it; in memory when `None`.
    pub budgets: Option<Arc<dyn Budgets>>,
}

impl HttpConfig {
    /// Defaults for a provider allowing `requests` per `window`.
    pub fn new(
        provider: ProviderKind,
        credential_fingerprint: impl Into<String>,
        requests: u32,
        window: Duration,
    ) -> Self {
        let burst = NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN);
        // A quota replenishes one cell every window/requests; a zero window degrades to 1/s.
        let quota = Quota::with_period(window / burst.get())
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            provider,
            credential_fingerprint: credential_fingerprint.into(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            quota,
            requests: burst.get(),
            window,
            allowance_is_own: false,
            rate_limit_headers: RateLimitHeaders::default(),
            retry: RetryPolicy::default(),
            budgets: None,
        }
    }

    /// Keeps the credential's budget in `budgets`, shared with the other processes using them.
    #[must_use]
    pub fn with_budgets(self, budgets: Option<Arc<dyn Budgets>>) -> Self {
        Self { budgets, ..self }
    }
}

impl HttpConfig {
    /// Applies a connection's own allowance in place of the published one. The
    /// limiter key gains the allowance so it never shares a bucket shaped otherwise.
    #[must_use]
    pub fn with_rate_limit(self, limit: Option<hiresync_core::RateLimit>) -> Self {
        let Some(limit) = limit else { return self };
        let fingerprint = format!("{}/{}per{}s", self.credential_fingerprint, limit.requests, limit.per_seconds);
        let headers = self.rate_limit_headers;
        let retry = self.retry;
        Self {
            rate_limit_headers: headers,
            retry,
            budgets: self.budgets,
            allowance_is_own: true,
            ..HttpConfig::new(self.provider, fingerprint, limit.requests, limit.window())
        }
    }
}

/// Builds the reqwest client: rustls, timeouts, user agent, no cookies, no proxies from env surprises.
pub fn build_reqwest(config: &HttpConfig) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder();
    if !super::address::private_allowed() {
        builder = builder.dns_resolver(std::sync::Arc::new(super::address::PublicResolver));
    }
    builder
        .use_rustls_tls()
        .user_agent(USER_AGENT)
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        // Following redirects could replay credentials to another host.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| {
            ProviderError::new(ErrorKind::Permanent, config.provider, "build http client", e.to_string()).with_source(e)
        })
}
