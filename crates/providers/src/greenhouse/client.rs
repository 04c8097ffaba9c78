//! [`GreenhouseClient`]: authenticated Harvest requests through the shared
//! HTTP layer, JSON decoding, and pagination that follows `Link: rel="next"`
//! verbatim (v3 cursors and v1 pages alike). How a request is authorised is
//! an [`Auth`]: v3 bearer tokens here, the legacy v1 key in `v1/`.

use super::config::GreenhouseConfig;
use super::errors::classify;
use super::token::TokenCache;
use crate::http::{Budgets, HttpClient, HttpConfig, HttpResponse};
use crate::{ErrorKind, ProviderError, Result};
use async_trait::async_trait;
use futures::Stream;
use hiresync_core::ProviderKind;
use http::Method;
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Upper bound on pages one listing may walk, so a looping cursor cannot run forever.
pub const MAX_PAGES: usize = 1_000;

/// How a connection's requests carry its credentials.
#[async_trait]
pub trait Auth: std::fmt::Debug + Send + Sync {
    /// Adds the credentials to `request`; `write` is set for anything but a GET, and `as_user`
    /// names the Greenhouse user a write is attributed to instead of the credentials' own.
    /// Returns the bearer token used, if any, so one the API refuses can be retired.
    async fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        write: bool,
        as_user: Option<i64>,
    ) -> Result<(reqwest::RequestBuilder, Option<SecretString>)>;

    /// The API answered 401 to `token`: forget it, so the next request gets a fresh one.
    async fn refused(&self, token: &SecretString);

    /// The Greenhouse user calls act as (notes are written, and found again, as this user).
    fn acting_user(&self) -> i64;
}

/// A Greenhouse Harvest client for one credential, writing as its user or as another.
#[derive(Clone, Debug)]
pub struct GreenhouseClient {
    http: HttpClient,
    base_url: Url,
    auth: Arc<dyn Auth>,
    /// The user writes are attributed to instead of the credentials' own ([`Self::acting_as`]).
    acting: Option<i64>,
}

pub(crate) fn permanent(operation: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Greenhouse, operation, message)
}

/// The HTTP layer of a Greenhouse credential: Greenhouse's documented 50 requests / 10 s to
/// start with, then the `X-RateLimit-*` headers; `fingerprint` keys its shared limiter.
pub(crate) fn harvest_http(
    fingerprint: String,
    rate_limit: Option<hiresync_core::RateLimit>,
    budgets: Option<Arc<dyn Budgets>>,
) -> Result<HttpClient> {
    let published = ProviderKind::Greenhouse.published_rate_limit();
    HttpClient::new(
        HttpConfig::new(ProviderKind::Greenhouse, fingerprint, published.requests, published.window())
            .with_rate_limit(rate_limit)
            .with_budgets(budgets),
    )
}

impl GreenhouseClient {
    /// A Harvest v3 client: bearer tokens minted for the credentials' user.
    pub fn new(config: GreenhouseConfig) -> Result<Self> {
        let fingerprint = config.fingerprint();
        let c = config.credentials;
        let tokens = TokenCache::new(
            // The token endpoint has its own allowance (60 a minute) and headers: counting its
            // requests into Harvest's window would confuse both.
            HttpClient::new(
                HttpConfig::new(ProviderKind::Greenhouse, format!("{fingerprint}/token"), 60, Duration::from_secs(60))
                    .with_budgets(config.budgets.clone()),
            )?,
            &config.auth_base_url,
            c.client_id,
            c.client_secret,
            c.user_id,
        )?;
        Ok(Self::with_auth(
            harvest_http(fingerprint, config.rate_limit, config.budgets)?,
            config.base_url,
            Arc::new(tokens),
        ))
    }

    /// A client authorising its requests with `auth` (the legacy v1 key, for one).
    pub fn with_auth(http: HttpClient, base_url: Url, auth: Arc<dyn Auth>) -> Self {
        Self { http, base_url, auth, acting: None }
    }

    /// The same credential writing as Greenhouse user `user` (v3: a token minted for that `sub`;
    /// v1: `On-Behalf-Of`); reads stay the credentials' own, since list endpoints need a site
    /// admin. Rate budget and token cache are shared with `self`.
    #[must_use]
    pub fn acting_as(&self, user: i64) -> Self {
        Self { acting: Some(user), ..self.clone() }
    }

    /// The Greenhouse user writes are attributed to (notes are written, and found again, as it).
    pub fn acting_user(&self) -> i64 {
        self.acting.unwrap_or_else(|| self.auth.acting_user())
    }

    /// `base_url` joined with an absolute API path (`/v3/jobs?per_page=2`).
    pub fn url(&self, path: &str) -> Result<Url> {
        crate::http::api_url(ProviderKind::Greenhouse, &self.base_url, path, &[])
    }

    /// `base_url` joined with an API path and query pairs.
    pub fn url_with(&self, path: &str, query: &[(&str, String)]) -> Result<Url> {
        let mut url = self.url(path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// A `next` link as a URL, refused unless it points at our API host: the
    /// credentials must never be sent elsewhere.
    pub fn follow(&self, next: &str) -> Result<Url> {
        crate::http::follow_link(ProviderKind::Greenhouse, &self.base_url, next)
    }

    /// Sends one request (JSON body if any) with auth; a refused bearer token is replaced once.
    pub async fn request(
        &self,
        method: Method,
        url: Url,
        body: Option<&dyn erased::Body>,
        operation: &str,
    ) -> Result<HttpResponse> {
        let body = body
            .map(|b| b.to_json())
            .transpose()
            .map_err(|e| permanent(operation, format!("could not encode the request: {e}")))?;
        let (first, token) = self.send(method.clone(), url.clone(), body.clone(), operation).await;
        match (first, token) {
            // Tokens can be revoked before their stated expiry; retry once with a fresh one.
            (Err(e), Some(token)) if e.status == Some(401) => {
                self.auth.refused(&token).await;
                self.send(method, url, body, operation).await.0
            }
            (other, _) => other,
        }
    }

    /// Sends once; also returns the bearer token it carried.
    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        operation: &str,
    ) -> (Result<HttpResponse>, Option<SecretString>) {
        let write = method != Method::GET;
        let builder = self.http.reqwest().request(method, url).header("accept", "application/json");
        let as_user = self.acting.filter(|_| write);
        let (mut builder, token) = match self.auth.authorize(builder, write, as_user).await {
            Ok(authorized) => authorized,
            Err(e) => return (Err(e), None),
        };
        if let Some(body) = body {
            builder = builder.header("content-type", "application/json").body(body);
        }
        let request = match builder.build() {
            Ok(request) => request,
            Err(e) => {
                return (Err(permanent(operation, "could not build the request").with_source(e.without_url())), token);
            }
        };
        (self.http.send(request, operation, &classify).await, token)
    }

    /// Sends and decodes the JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<&dyn erased::Body>,
        operation: &str,
    ) -> Result<T> {
        let response = self.request(method, url, body, operation).await?;
        decode(&response, operation)
    }

    /// One page of a listing and the next link, if any.
    pub async fn page<T: DeserializeOwned>(&self, url: Url, operation: &str) -> Result<(Vec<T>, Option<String>)> {
        let response = self.request(Method::GET, url, None, operation).await?;
        let items = decode(&response, operation)?;
        let next = response.headers.get_all("link").iter().filter_map(|v| v.to_str().ok()).find_map(next_link);
        Ok((items, next))
    }

    /// Every page of a listing, following next links verbatim, at most [`MAX_PAGES`].
    pub async fn all<T: DeserializeOwned>(&self, url: Url, operation: &str) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut next = Some(url);
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(permanent(operation, format!("listing exceeded {MAX_PAGES} pages")));
            }
            let (page, link) = self.page::<T>(url, operation).await?;
            items.extend(page);
            next = link.map(|l| self.follow(&l)).transpose()?;
        }
        Ok(items)
    }

    /// The pages of a listing as a stream, for callers that process as they go.
    pub fn pages<'a, T: DeserializeOwned + 'a>(
        &'a self,
        url: Url,
        operation: &'a str,
    ) -> impl Stream<Item = Result<Vec<T>>> + 'a {
        futures::stream::try_unfold((Some(url), 0usize), move |(next, count)| async move {
            let Some(url) = next else { return Ok(None) };
            if count >= MAX_PAGES {
                return Err(permanent(operation, format!("listing exceeded {MAX_PAGES} pages")));
            }
            let (page, link) = self.page::<T>(url, operation).await?;
            let next = link.map(|l| self.follow(&l)).transpose()?;
            Ok(Some((page, (next, count + 1))))
        })
    }
}

/// Decodes a JSON body; an empty body reads as JSON `null`.
pub fn decode<T: DeserializeOwned>(response: &HttpResponse, operation: &str) -> Result<T> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &response.body };
    serde_json::from_slice(body).map_err(|e| {
        permanent(operation, format!("unexpected response from Greenhouse: {e}"))
            .with_status(response.status.as_u16())
            .with_source(e)
    })
}

/// The `rel="next"` target of an RFC 8288 `Link` header; an empty header means none.
pub fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let params_end = rest[end..].find('<').map_or(rest.len(), |i| end + i);
        let params = &rest[end + 1..params_end];
        let is_next = params.split(';').any(|p| {
            let p = p.trim().trim_end_matches(',').trim();
            p.strip_prefix("rel=")
                .is_some_and(|v| v.trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
        });
        if is_next && !target.trim().is_empty() {
            return Some(target.trim().to_owned());
        }
        rest = &rest[params_end..];
    }
    None
}

/// Object-safe JSON bodies, so request methods take any serialisable value.
pub mod erased {
    /// A request body that can be encoded as JSON.
    pub trait Body: Send + Sync {
        /// The JSON bytes.
        fn to_json(&self) -> serde_json::Result<Vec<u8>>;
    }

    impl<T: serde::Serialize + Send + Sync> Body for T {
        fn to_json(&self) -> serde_json::Result<Vec<u8>> {
            serde_json::to_vec(self)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn next_link_reads_recorded_and_v1_headers() {
        let v3 = "<https://harvest.greenhouse.io/v3/jobs?cursor=eyJx%3D>; rel=\"next\"";
        assert_eq!(next_link(v3).as_deref(), Some("https://harvest.greenhouse.io/v3/jobs?cursor=eyJx%3D"));
        assert_eq!(next_link(""), None);
        let v1 = "<https://h/v1/candidates?page=1&per_page=2>; rel=\"prev\", <https://h/v1/candidates?page=3&per_page=2>; rel=\"next\", <https://h/v1/candidates?page=9&per_page=2>; rel=\"last\"";
        assert_eq!(next_link(v1).as_deref(), Some("https://h/v1/candidates?page=3&per_page=2"));
        assert_eq!(next_link("<https://h/x>; rel=\"last\""), None);
        assert_eq!(next_link("<broken"), None);
    }
}
