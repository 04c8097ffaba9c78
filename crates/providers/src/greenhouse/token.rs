//! Harvest v3 authorisation: bearer tokens minted for the acting user (`sub`)
//! with the client credentials and cached until shortly before expiry, never
//! per call. A token the API refuses is dropped so the next call mints anew.

use super::client::Auth;
use super::errors::classify_token;
use super::wire::{TokenRequest, TokenResponse};
use crate::http::{HttpClient, Idempotency};
use crate::{ErrorKind, ProviderError, Result};
use async_trait::async_trait;
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::Url;

/// Refresh this long before the token's stated expiry.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Assumed lifetime when the response states none (recorded tokens last one hour).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

#[derive(Clone)]
struct Cached {
    token: SecretString,
    refresh_at: Instant,
}

/// Token cache keyed by `sub`; one mint at a time so concurrent calls share it. Calls act as `user`.
pub struct TokenCache {
    http: HttpClient,
    token_url: Url,
    client_id: String,
    client_secret: SecretString,
    user: i64,
    tokens: Mutex<HashMap<i64, Cached>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache minting from `auth_base_url/token` for calls acting as `user`.
    pub fn new(
        http: HttpClient,
        auth_base_url: &Url,
        client_id: String,
        client_secret: SecretString,
        user: i64,
    ) -> Result<Self> {
        let token_url = crate::http::api_url(ProviderKind::Greenhouse, auth_base_url, super::endpoints::TOKEN, &[])?;
        Ok(Self { http, token_url, client_id, client_secret, user, tokens: Mutex::new(HashMap::new()) })
    }

    /// A valid token for `sub`, minting one only when none is cached or it is about to expire.
    pub async fn bearer(&self, sub: i64) -> Result<SecretString> {
        let mut tokens = self.tokens.lock().await;
        if let Some(cached) = tokens.get(&sub).filter(|c| Instant::now() < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        let cached = self.mint(sub).await?;
        let token = cached.token.clone();
        tokens.insert(sub, cached);
        Ok(token)
    }

    /// Drops the token `rejected` (whoever's it was), after the API refused it.
    pub async fn invalidate(&self, rejected: &SecretString) {
        let mut tokens = self.tokens.lock().await;
        tokens.retain(|_, c| c.token.expose_secret() != rejected.expose_secret());
    }

    async fn mint(&self, sub: i64) -> Result<Cached> {
        let request = self
            .http
            .reqwest()
            .post(self.token_url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .form(&TokenRequest { grant_type: "client_credentials", sub: sub.to_string() })
            .build()
            .map_err(|e| {
                ProviderError::new(
                    ErrorKind::Permanent,
                    ProviderKind::Greenhouse,
                    "mint token",
                    "could not build the token request",
                )
                .with_source(e.without_url())
            })?;
        // Minting twice is harmless, so a lost response may be retried.
        let response = self.http.send_with(request, "mint token", Idempotency::Safe, &classify_token).await?;
        let body: TokenResponse = response.json().map_err(|e| {
            ProviderError::new(
                ErrorKind::Transient,
                ProviderKind::Greenhouse,
                "mint token",
                "token response was not the documented JSON",
            )
            .with_status(response.status.as_u16())
            .with_source(e)
        })?;
        let lifetime = lifetime(&body);
        let margin = if lifetime > REFRESH_MARGIN * 2 { REFRESH_MARGIN } else { lifetime / 2 };
        tracing::debug!(sub, lifetime_secs = lifetime.as_secs(), "Minted a Greenhouse access token.");
        Ok(Cached { token: body.access_token.into(), refresh_at: Instant::now() + lifetime.saturating_sub(margin) })
    }
}

#[async_trait]
impl Auth for TokenCache {
    async fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        _write: bool,
        as_user: Option<i64>,
    ) -> Result<(reqwest::RequestBuilder, Option<SecretString>)> {
        // v3 knows who acts only by the token's `sub`: one token per user, each cached.
        let token = self.bearer(as_user.unwrap_or(self.user)).await?;
        Ok((request.bearer_auth(token.expose_secret()), Some(token)))
    }

    async fn refused(&self, token: &SecretString) {
        self.invalidate(token).await;
    }

    fn acting_user(&self) -> i64 {
        self.user
    }
}

fn lifetime(body: &TokenResponse) -> Duration {
    if let Some(at) = body.expires_at.as_deref().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()) {
        let secs = at.timestamp() - chrono::Utc::now().timestamp();
        return Duration::from_secs(u64::try_from(secs).unwrap_or(0));
    }
    body.expires_in.and_then(|s| u64::try_from(s).ok()).map_or(DEFAULT_LIFETIME, Duration::from_secs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    fn token(expires_at: Option<String>, expires_in: Option<i64>) -> TokenResponse {
        TokenResponse { access_token: "t".into(), token_type: Some("Bearer".into()), expires_at, expires_in }
    }

    #[test]
    fn lifetime_reads_expires_at_or_expires_in() {
        let in_an_hour = (chrono::Utc::now() + chrono::Duration::seconds(3600)).to_rfc3339();
        let l = lifetime(&token(Some(in_an_hour), None));
        assert!(l > Duration::from_secs(3590) && l <= Duration::from_secs(3600));
        assert_eq!(lifetime(&token(None, Some(120))), Duration::from_secs(120));
        assert_eq!(lifetime(&token(None, None)), DEFAULT_LIFETIME);
        assert_eq!(lifetime(&token(Some("2000-01-01T00:00:00Z".into()), None)), Duration::ZERO);
    }
}
