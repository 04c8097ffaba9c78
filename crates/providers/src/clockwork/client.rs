//! [`ClockworkClient`]: authenticated requests built from [`Route`]s
//! through the shared HTTP layer, JSON decoding, and `limit`/`offset`
//! pagination that stops on an empty page or the reported total.

use super::config::ClockworkConfig;
use super::endpoints::{Route, VERSION_SEGMENT};
use super::errors::classify;
use super::wire::{self, Confidence};
use crate::http::{HttpClient, HttpConfig, HttpResponse};
use crate::{ErrorKind, ProviderError, Result};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hiresync_core::ProviderKind;
use http::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use url::Url;

/// Upper bound on pages one listing may walk, so a server ignoring `offset` cannot loop us forever.
pub const MAX_PAGES: usize = 1_000;

/// A Clockwork client for one credential.
#[derive(Clone, Debug)]
pub struct ClockworkClient {
    http: HttpClient,
    config: Arc<ClockworkConfig>,
}

pub(crate) fn permanent(operation: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Clockwork, operation, message)
}

impl ClockworkClient {
    /// Builds the client. Clockwork publishes no rate limit (`[U]`), so the limiter starts at
    /// a conservative 5 requests/s (burst 10) and follows `X-RateLimit-*` or `Retry-After` if sent.
    pub fn new(config: ClockworkConfig) -> Result<Self> {
        let published = ProviderKind::Clockwork.published_rate_limit();
        let http = HttpClient::new(
            HttpConfig::new(ProviderKind::Clockwork, config.fingerprint(), published.requests, published.window())
                .with_rate_limit(config.rate_limit)
                .with_budgets(config.budgets.clone()),
        )?;
        Ok(Self { http, config: Arc::new(config) })
    }

    /// The connection settings.
    pub fn config(&self) -> &ClockworkConfig {
        &self.config
    }

    /// `{base_url}/v3.0/{firm}/{segments…}?{query}`, every segment percent-encoded.
    pub fn url(&self, route: &Route) -> Result<Url> {
        let mut url = self.config.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| permanent("build url", "base_url cannot carry a path"))?
            .pop_if_empty()
            .push(VERSION_SEGMENT)
            .push(self.config.firm())
            .extend(&route.segments);
        if !route.query.is_empty() {
            url.query_pairs_mut().extend_pairs(route.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// Sends a request without a body.
    pub async fn send(&self, route: &Route, operation: &str) -> Result<HttpResponse> {
        self.dispatch(route, None, operation).await
    }

    /// Sends a request with a JSON body.
    pub async fn send_json<B: Serialize + ?Sized>(
        &self,
        route: &Route,
        body: &B,
        operation: &str,
    ) -> Result<HttpResponse> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| permanent(operation, format!("could not encode the request: {e}")))?;
        self.dispatch(route, Some(bytes), operation).await
    }

    async fn dispatch(&self, route: &Route, body: Option<Vec<u8>>, operation: &str) -> Result<HttpResponse> {
        let mut builder = self.http.reqwest().request(route.method.clone(), self.url(route)?);
        builder = builder.header("accept", "application/json");
        for (name, value) in auth_headers(
            &self.config.credentials.api_key,
            &self.config.credentials.api_secret,
            &self.config.credentials.firm_service_key,
        ) {
            builder = builder.header(name, value);
        }
        if let Some(body) = body {
            builder = builder.header("content-type", "application/json").body(body);
        }
        let request = builder
            .build()
            .map_err(|e| permanent(operation, "could not build the request").with_source(e.without_url()))?;
        self.http.send(request, operation, &classify).await.map_err(|mut e| {
            // A wrong guess about an unconfirmed route shows up as 404/405; say so, once, here.
            if route.confidence == Confidence::Unconfirmed && matches!(e.status, Some(404 | 405)) {
                e.message.push_str(" (this Clockwork route is unconfirmed; see clockwork/ASSUMPTIONS.md)");
            }
            e
        })
    }

    /// Sends and decodes the JSON answer (an empty body reads as `null`).
    pub async fn value(&self, route: &Route, operation: &str) -> Result<Value> {
        decode(&self.send(route, operation).await?, operation)
    }

    /// Sends a JSON body and decodes the answer.
    pub async fn value_with<B: Serialize + ?Sized>(&self, route: &Route, body: &B, operation: &str) -> Result<Value> {
        decode(&self.send_json(route, body, operation).await?, operation)
    }

    /// One page of a listing under `key`: its items, how many records it held (parsed or
    /// not, so offsets stay right), and the reported total if any.
    pub async fn page<T: DeserializeOwned>(&self, route: &Route, key: &str, operation: &str) -> Result<Listing<T>> {
        let value = self.value(route, operation).await?;
        let seen = wire::count(&value, key)
            .ok_or_else(|| permanent(operation, format!("unexpected response from Clockwork: no `{key}` list")))?;
        Ok(Listing { items: wire::many(&value, key).unwrap_or_default(), seen, total: wire::total(&value) })
    }

    /// Every page of a `limit`/`offset` listing: `route_at(offset)` builds each request. Stops
    /// on an empty page or once the reported total is reached; a short page alone does not
    /// end it, since the maximum page size is unknown and may be below what we asked for.
    pub async fn all<T: DeserializeOwned>(
        &self,
        route_at: impl Fn(usize) -> Route,
        key: &str,
        operation: &str,
    ) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut offset = 0;
        for _ in 0..MAX_PAGES {
            let page = self.page::<T>(&route_at(offset), key, operation).await?;
            offset += page.seen;
            items.extend(page.items);
            if page.seen == 0 || page.total.is_some_and(|t| offset as u64 >= t) {
                return Ok(items);
            }
        }
        Err(permanent(operation, format!("listing exceeded {MAX_PAGES} pages")))
    }
}

/// `Authorization: Token <base64(api_key:api_secret)>` and `X-API-Key: <firm service key>`
/// (`[S]` CW-PD `_getHeaders`, two more community clients); both marked sensitive so they
/// never print. The `Bearer` variant some clients send is `[U]` and not used.
pub fn auth_headers(
    api_key: &str,
    api_secret: &SecretString,
    firm_service_key: &SecretString,
) -> Vec<(HeaderName, HeaderValue)> {
    let token = STANDARD.encode(format!("{api_key}:{}", api_secret.expose_secret()));
    let mut out = Vec::new();
    for (name, value) in
        [("authorization", format!("Token {token}")), ("x-api-key", firm_service_key.expose_secret().to_owned())]
    {
        if let Ok(mut v) = HeaderValue::try_from(value) {
            v.set_sensitive(true);
            out.push((HeaderName::from_static(name), v));
        }
    }
    out
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing<T> {
    /// The records that parsed.
    pub items: Vec<T>,
    /// How many records the page held.
    pub seen: usize,
    /// `meta.total`, when reported.
    pub total: Option<u64>,
}

/// Decodes a JSON body; an empty body reads as JSON `null`.
pub fn decode(response: &HttpResponse, operation: &str) -> Result<Value> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &response.body };
    serde_json::from_slice(body).map_err(|e| {
        permanent(operation, format!("unexpected response from Clockwork: {e}"))
            .with_status(response.status.as_u16())
            .with_source(e)
    })
}
