//! [`TeamtailorClient`]: JSON:API requests through the shared HTTP layer
//! (`Authorization: Token token=…`, the pinned `X-Api-Version`,
//! `application/vnd.api+json`), decoding, and pagination that follows
//! `links.next` verbatim.

use super::config::TeamtailorConfig;
use super::errors::classify;
use super::wire::{Document, ListDocument, Resource};
use crate::http::{HttpClient, HttpConfig, HttpResponse, RateLimitHeaders, ResetStyle};
use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use http::Method;
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use url::Url;

/// Upper bound on pages one listing may walk, so a looping `next` cannot run forever.
pub const MAX_PAGES: usize = 1_000;
/// Largest `page[size]` Teamtailor serves.
pub const PAGE_SIZE: usize = 30;
/// JSON:API media type, sent as `Accept` and `Content-Type`.
pub const MEDIA_TYPE: &str = "application/vnd.api+json";

/// A Teamtailor API client for one key.
#[derive(Clone, Debug)]
pub struct TeamtailorClient {
    http: HttpClient,
    config: Arc<TeamtailorConfig>,
}

/// Every resource of a listing plus the compound documents' `included` resources.
#[derive(Clone, Debug)]
pub struct Collected<A> {
    /// The listed resources, in order.
    pub data: Vec<Resource<A>>,
    /// Included resources of every page.
    pub included: Vec<Resource<Value>>,
}

pub(crate) fn permanent(operation: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Teamtailor, operation, message)
}

impl TeamtailorClient {
    /// Builds the client; the limiter starts at 50 requests / 10 s and follows `X-Rate-Limit-*`.
    pub fn new(config: TeamtailorConfig) -> Result<Self> {
        let published = ProviderKind::Teamtailor.published_rate_limit();
        let mut http_config =
            HttpConfig::new(ProviderKind::Teamtailor, config.fingerprint(), published.requests, published.window());
        http_config.rate_limit_headers = RateLimitHeaders {
            limit: "x-rate-limit-limit",
            remaining: "x-rate-limit-remaining",
            reset: "x-rate-limit-reset",
            reset_style: ResetStyle::DeltaSeconds,
        };
        Ok(Self {
            http: HttpClient::new(http_config.with_rate_limit(config.rate_limit).with_budgets(config.budgets.clone()))?,
            config: Arc::new(config),
        })
    }

    /// The connection settings.
    pub fn config(&self) -> &TeamtailorConfig {
        &self.config
    }

    /// `base_url` joined with an API path (`/v1/candidates`) and query pairs.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        crate::http::api_url(ProviderKind::Teamtailor, &self.config.base_url, path, query)
    }

    /// A `links.next` as a URL, refused unless it points at our API host: the key must never leave it.
    pub fn follow(&self, next: &str) -> Result<Url> {
        crate::http::follow_link(ProviderKind::Teamtailor, &self.config.base_url, next)
    }

    /// Sends one request with auth, version and media-type headers; a JSON:API body if given.
    pub async fn request<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
        operation: &str,
    ) -> Result<HttpResponse> {
        let token = format!("Token token={}", self.config.credentials.api_key.expose_secret());
        let mut builder = self
            .http
            .reqwest()
            .request(method, url)
            .header("authorization", token)
            .header("x-api-version", &self.config.api_version)
            .header("accept", MEDIA_TYPE);
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|e| permanent(operation, format!("could not encode the request: {e}")))?;
            builder = builder.header("content-type", MEDIA_TYPE).body(bytes);
        }
        let request = builder
            .build()
            .map_err(|e| permanent(operation, "could not build the request").with_source(e.without_url()))?;
        self.http.send(request, operation, &classify).await
    }

    /// Sends and decodes the JSON:API answer.
    pub async fn json<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
        operation: &str,
    ) -> Result<T> {
        let response = self.request(method, url, body, operation).await?;
        decode(&response, operation)
    }

    /// One resource.
    pub async fn one<A: DeserializeOwned + Default>(&self, url: Url, operation: &str) -> Result<Document<Resource<A>>> {
        self.json::<_, ()>(Method::GET, url, None, operation).await
    }

    /// One page of a listing.
    pub async fn page<A: DeserializeOwned + Default>(&self, url: Url, operation: &str) -> Result<ListDocument<A>> {
        self.json::<_, ()>(Method::GET, url, None, operation).await
    }

    /// Every page of a listing, following `links.next` verbatim, at most [`MAX_PAGES`].
    pub async fn all<A: DeserializeOwned + Default>(&self, url: Url, operation: &str) -> Result<Collected<A>> {
        let mut out = Collected { data: Vec::new(), included: Vec::new() };
        let mut next = Some(url);
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(permanent(operation, format!("listing exceeded {MAX_PAGES} pages")));
            }
            let page = self.page::<A>(url, operation).await?;
            out.data.extend(page.data);
            out.included.extend(page.included);
            next = page.links.next.as_deref().filter(|n| !n.is_empty()).map(|n| self.follow(n)).transpose()?;
        }
        Ok(out)
    }
}

/// Decodes a JSON body; an empty body reads as JSON `null`.
pub fn decode<T: DeserializeOwned>(response: &HttpResponse, operation: &str) -> Result<T> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &response.body };
    serde_json::from_slice(body).map_err(|e| {
        permanent(operation, format!("unexpected response from Teamtailor: {e}"))
            .with_status(response.status.as_u16())
            .with_source(e)
    })
}
