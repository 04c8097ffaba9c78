//! Greenhouse connection settings: the credential shape (Harvest v3 OAuth
//! client or legacy v1 key), API and token hosts, and an example.

use crate::registry::{ConnectOptions, Credentials};
use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

/// Harvest API root used when the connection sets none.
pub const DEFAULT_BASE_URL: &str = "https://harvest.greenhouse.io";
/// Token host used when the connection sets none.
pub const DEFAULT_AUTH_BASE_URL: &str = "https://auth.greenhouse.io";
/// Where people are opened in the Greenhouse web app.
pub const APP_URL: &str = "https://app.greenhouse.io";

/// How a connection authenticates.
#[derive(Clone, Debug)]
pub enum GreenhouseAuth {
    /// Harvest v3: OAuth client credentials; tokens are minted with `sub = user_id`.
    V3 {
        /// OAuth client id.
        client_id: String,
        /// OAuth client secret.
        client_secret: SecretString,
        /// The Greenhouse user every call acts as (token `sub`).
        user_id: i64,
    },
    /// Harvest v1 (legacy, reported switched off after 2026-08-31): Basic key plus `On-Behalf-Of` on writes.
    V1 {
        /// Harvest API key.
        api_key: SecretString,
        /// The Greenhouse user writes are attributed to.
        on_behalf_of_user_id: i64,
    },
}

/// Everything needed to build a [`super::GreenhouseClient`].
#[derive(Clone, Debug)]
pub struct GreenhouseConfig {
    /// Credentials.
    pub auth: GreenhouseAuth,
    /// Harvest API root (no trailing path).
    pub base_url: Url,
    /// Token host; `/token` is appended.
    pub auth_base_url: Url,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
}

fn invalid(message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Greenhouse, "read credentials", message)
}

fn user_id(v: &Value, key: &str) -> Result<i64> {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_i64().filter(|id| *id > 0),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok().filter(|id| *id > 0),
        _ => None,
    }
    .ok_or_else(|| invalid(format!("`{key}` must be a Greenhouse user id (a positive integer)")))
}

fn text(v: &Value, key: &str) -> Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| invalid(format!("`{key}` is required")))
}

fn url(raw: Option<&str>, default: &str, name: &str) -> Result<Url> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(default);
    let url = Url::parse(raw.trim_end_matches('/')).map_err(|e| invalid(format!("{name} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!("{name} must be an http(s) URL")));
    }
    Ok(url)
}

impl GreenhouseConfig {
    /// Reads the credentials JSON: `{"client_id","client_secret","user_id"}` (v3) or
    /// `{"api_key","on_behalf_of_user_id"}` (v1). Errors name the missing key, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        let value: Value = serde_json::from_str(credentials.0.expose_secret())
            .map_err(|_| invalid("credentials must be a JSON object"))?;
        let auth = if value.get("client_id").is_some() || value.get("client_secret").is_some() {
            GreenhouseAuth::V3 {
                client_id: text(&value, "client_id")?,
                client_secret: text(&value, "client_secret")?.into(),
                user_id: user_id(&value, "user_id")?,
            }
        } else if value.get("api_key").is_some() {
            GreenhouseAuth::V1 {
                api_key: text(&value, "api_key")?.into(),
                on_behalf_of_user_id: user_id(&value, "on_behalf_of_user_id")?,
            }
        } else {
            return Err(invalid(
                "expected {\"client_id\", \"client_secret\", \"user_id\"} (Harvest v3) or {\"api_key\", \"on_behalf_of_user_id\"} (Harvest v1)",
            ));
        };
        Ok(Self {
            auth,
            base_url: url(options.base_url.as_deref(), DEFAULT_BASE_URL, "base_url")?,
            auth_base_url: url(options.auth_base_url.as_deref(), DEFAULT_AUTH_BASE_URL, "auth_base_url")?,
            rate_limit: options.rate_limit,
        })
    }

    /// An example credentials object, as the API documents it.
    pub fn example() -> Value {
        json!({"client_id": "3f2c9a…", "client_secret": "…", "user_id": 4080321002_i64})
    }

    /// Hash identifying the credential (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.base_url.as_str());
        match &self.auth {
            GreenhouseAuth::V3 { client_id, .. } => hash.update(format!("v3:{client_id}")),
            GreenhouseAuth::V1 { api_key, .. } => hash.update(format!("v1:{}", api_key.expose_secret())),
        }
        hex::encode(&hash.finalize()[..16])
    }

    /// The user calls act as.
    pub fn acting_user(&self) -> i64 {
        match self.auth {
            GreenhouseAuth::V3 { user_id, .. } => user_id,
            GreenhouseAuth::V1 { on_behalf_of_user_id, .. } => on_behalf_of_user_id,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    fn creds(v: Value) -> Credentials {
        Credentials(v.to_string().into())
    }

    #[test]
    fn v3_and_v1_shapes_parse_and_large_ids_survive() {
        let c = GreenhouseConfig::from_credentials(
            &creds(json!({"client_id": "c", "client_secret": "s", "user_id": 5414812002_i64})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert!(matches!(c.auth, GreenhouseAuth::V3 { user_id: 5414812002, .. }));
        assert_eq!(c.base_url.as_str(), "https://harvest.greenhouse.io/");
        let c = GreenhouseConfig::from_credentials(
            &creds(json!({"api_key": "k", "on_behalf_of_user_id": "17130511003"})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert_eq!(c.acting_user(), 17130511003);
    }

    #[test]
    fn bad_shapes_name_the_key_and_never_echo_secrets() {
        let err = GreenhouseConfig::from_credentials(
            &creds(json!({"client_id": "c", "client_secret": "hunter2"})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("user_id") && !err.message.contains("hunter2"));
        assert_eq!(err.kind, ErrorKind::Permanent);
        assert!(GreenhouseConfig::from_credentials(&creds(json!({"token": "x"})), &ConnectOptions::default()).is_err());
        assert!(
            GreenhouseConfig::from_credentials(&Credentials("not json".to_owned().into()), &ConnectOptions::default())
                .is_err()
        );
    }
}
