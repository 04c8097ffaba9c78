//! Greenhouse connection settings: the credential shape (Harvest v3 OAuth
//! client or legacy v1 key), API and token hosts, and an example.

use crate::credentials::{self, CredentialShape, Credentials};
use crate::{ConnectOptions, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Value, json};
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

/// Harvest v3 credentials: an OAuth client, and the Greenhouse user every call acts as.
#[derive(Clone, Debug, Deserialize)]
pub struct GreenhouseCredentials {
    /// OAuth client id.
    #[serde(deserialize_with = "credentials::text")]
    pub client_id: String,
    /// OAuth client secret.
    #[serde(deserialize_with = "credentials::secret")]
    pub client_secret: SecretString,
    /// The Greenhouse user every call acts as (token `sub`).
    #[serde(deserialize_with = "user_id")]
    pub user_id: i64,
}

impl CredentialShape for GreenhouseCredentials {
    const PROVIDER: ProviderKind = ProviderKind::Greenhouse;

    fn missing(key: &str) -> String {
        missing_user(key)
    }
}

/// Legacy Harvest v1 credentials: a Basic key, and the user writes are attributed to.
#[derive(Clone, Debug, Deserialize)]
pub struct V1Credentials {
    /// Harvest API key.
    #[serde(deserialize_with = "credentials::secret")]
    pub api_key: SecretString,
    /// The Greenhouse user writes are attributed to (`On-Behalf-Of`).
    #[serde(deserialize_with = "user_id")]
    pub on_behalf_of_user_id: i64,
}

impl CredentialShape for V1Credentials {
    const PROVIDER: ProviderKind = ProviderKind::Greenhouse;

    fn missing(key: &str) -> String {
        missing_user(key)
    }
}

const USER_ID: &str = "must be a Greenhouse user id (a positive integer)";

/// A user id that is absent reads like one that is wrong: both need the user's id.
fn missing_user(key: &str) -> String {
    if key.ends_with("user_id") { format!("`{key}` {USER_ID}") } else { format!("`{key}` is required") }
}

/// A Greenhouse user id, given as a number or as text.
fn user_id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .filter(|id| *id > 0)
    .ok_or_else(|| D::Error::custom(USER_ID))
}

const EXPECTED: &str = "expected {\"client_id\", \"client_secret\", \"user_id\"} (Harvest v3) or {\"api_key\", \"on_behalf_of_user_id\"} (Harvest v1)";

impl GreenhouseConfig {
    /// Reads the credentials JSON: `{"client_id","client_secret","user_id"}` (v3) or
    /// `{"api_key","on_behalf_of_user_id"}` (v1). Errors name the key at fault, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        let object = credentials::object(ProviderKind::Greenhouse, credentials)?;
        let auth = if object.contains_key("client_id") || object.contains_key("client_secret") {
            let c: GreenhouseCredentials = credentials::fields(object)?;
            GreenhouseAuth::V3 { client_id: c.client_id, client_secret: c.client_secret, user_id: c.user_id }
        } else if object.contains_key("api_key") {
            let c: V1Credentials = credentials::fields(object)?;
            GreenhouseAuth::V1 { api_key: c.api_key, on_behalf_of_user_id: c.on_behalf_of_user_id }
        } else {
            return Err(credentials::invalid(ProviderKind::Greenhouse, EXPECTED));
        };
        let root = |raw: &Option<String>, default, name| {
            ConnectOptions::root(ProviderKind::Greenhouse, raw.as_deref(), default, name)
        };
        Ok(Self {
            auth,
            base_url: root(&options.base_url, DEFAULT_BASE_URL, "base_url")?,
            auth_base_url: root(&options.auth_base_url, DEFAULT_AUTH_BASE_URL, "auth_base_url")?,
            rate_limit: options.rate_limit,
        })
    }

    /// An example credentials object, as the API documents it.
    pub fn example() -> Value {
        json!({"client_id": "3f2c9a…", "client_secret": "…", "user_id": 4080321002_i64})
    }

    /// Hash identifying the credential (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        let key = match &self.auth {
            GreenhouseAuth::V3 { client_id, .. } => format!("v3:{client_id}"),
            GreenhouseAuth::V1 { api_key, .. } => format!("v1:{}", api_key.expose_secret()),
        };
        credentials::fingerprint(&[self.base_url.as_str(), &key])
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
        assert_eq!(err.kind, crate::ErrorKind::Permanent);
        assert!(GreenhouseConfig::from_credentials(&creds(json!({"token": "x"})), &ConnectOptions::default()).is_err());
        assert!(
            GreenhouseConfig::from_credentials(&Credentials("not json".to_owned().into()), &ConnectOptions::default())
                .is_err()
        );
    }
}
