//! [`OneflowClient`]: requests with `x-oneflow-api-token` and
//! `x-oneflow-user-email` through the shared HTTP layer, JSON decoding, and
//! `limit`/`offset` pagination that follows `_links.next.href`.

use super::config::OneflowConfig;
use super::errors::classify;
use super::wire::List;
use crate::http::{HttpClient, HttpConfig, HttpResponse};
use crate::{ErrorKind, Provider, ProviderError, Result};
use async_trait::async_trait;
use hiresync_core::ProviderKind;
use http::Method;
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use url::Url;

/// Largest `limit` Oneflow serves.
pub const PAGE_LIMIT: usize = 100;
/// Largest `offset` Oneflow accepts; a listing cannot reach past it.
pub const MAX_OFFSET: usize = 19_900;
/// Upper bound on pages one listing may walk (the offset cap allows 200 pages of 100).
pub const MAX_PAGES: usize = MAX_OFFSET / PAGE_LIMIT + 1;

/// An Oneflow API client for one token.
#[derive(Clone, Debug)]
pub struct OneflowClient {
    http: HttpClient,
    config: Arc<OneflowConfig>,
}

pub(crate) fn permanent(operation: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Oneflow, operation, message)
}

impl OneflowClient {
    /// Builds the client; the limiter holds Oneflow's 2000 requests per 5 minutes per token.
    pub fn new(config: OneflowConfig) -> Result<Self> {
        let published = ProviderKind::Oneflow.published_rate_limit();
        let http = HttpClient::new(
            HttpConfig::new(ProviderKind::Oneflow, config.fingerprint(), published.requests, published.window())
                .with_rate_limit(config.rate_limit)
                .with_budgets(config.budgets.clone()),
        )?;
        Ok(Self { http, config: Arc::new(config) })
    }

    /// The connection settings.
    pub fn config(&self) -> &OneflowConfig {
        &self.config
    }

    /// `base_url` joined with an API path (`/v1/contracts`) and query pairs.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        crate::http::api_url(ProviderKind::Oneflow, &self.config.base_url, path, query)
    }

    /// A `_links.next.href` (absolute or relative) as a URL on our API host; the token never leaves it.
    pub fn follow(&self, next: &str) -> Result<Url> {
        // Oneflow may send relative links; resolve them under our root (and its path) before the origin check.
        let absolute = if next.starts_with('/') && !next.starts_with("//") {
            self.url(next, &[])?
        } else {
            self.config
                .base_url
                .join(next)
                .map_err(|e| permanent("follow next page", format!("next link is not a URL: {e}")))?
        };
        crate::http::follow_link(ProviderKind::Oneflow, &self.config.base_url, absolute.as_str())
    }

    /// Sends one request with the token and acting user; a JSON body if given.
    pub async fn request<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
        operation: &str,
    ) -> Result<HttpResponse> {
        let mut builder = self
            .http
            .reqwest()
            .request(method, url)
            .header("x-oneflow-api-token", self.config.credentials.api_token.expose_secret())
            .header("x-oneflow-user-email", &self.config.credentials.user_email)
            .header("accept", "application/json");
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|e| permanent(operation, format!("could not encode the request: {e}")))?;
            builder = builder.header("content-type", "application/json").body(bytes);
        }
        let request = builder
            .build()
            .map_err(|e| permanent(operation, "could not build the request").with_source(e.without_url()))?;
        self.http.send(request, operation, &classify).await
    }

    /// Sends and decodes the JSON answer.
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

    /// A GET decoded as `T`.
    pub async fn get<T: DeserializeOwned>(&self, url: Url, operation: &str) -> Result<T> {
        self.json::<T, ()>(Method::GET, url, None, operation).await
    }

    /// Every item of a collection, `limit=100` per page, following `_links.next` at most [`MAX_PAGES`] times.
    pub async fn all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        operation: &str,
    ) -> Result<Vec<T>> {
        let limit = PAGE_LIMIT.to_string();
        let mut pairs = query.to_vec();
        pairs.push(("limit", &limit));
        let mut next = Some(self.url(path, &pairs)?);
        let mut items = Vec::new();
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(permanent(operation, format!("listing exceeded {MAX_PAGES} pages")));
            }
            let page: List<T> = self.get(url, operation).await?;
            let empty = page.data.is_empty();
            items.extend(page.data);
            // An empty page ends the walk even if a next link is sent (offsets past the end answer empty).
            next = match page.links.next.and_then(|n| n.href).filter(|h| !h.is_empty() && !empty) {
                Some(href) => Some(self.follow(&href)?),
                None => None,
            };
        }
        Ok(items)
    }
}

#[async_trait]
impl Provider for OneflowClient {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Oneflow
    }

    /// `GET /ping`: 200 `{}` for a valid token and user.
    async fn check_credentials(&self) -> Result<()> {
        self.ping().await
    }
}

/// Decodes a JSON body; an empty body reads as JSON `null`.
pub fn decode<T: DeserializeOwned>(response: &HttpResponse, operation: &str) -> Result<T> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &response.body };
    serde_json::from_slice(body).map_err(|e| {
        permanent(operation, format!("unexpected response from Oneflow: {e}"))
            .with_status(response.status.as_u16())
            .with_source(e)
    })
}
