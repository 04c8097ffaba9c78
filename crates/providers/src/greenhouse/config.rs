//! Greenhouse connection settings: the Harvest v3 credential shape (an OAuth
//! client acting as one user), API and token hosts, an example, and
//! [`connect`], which reads a credentials object as the Harvest version it is
//! for: v3 here, or the legacy v1 key (`v1/`).

use super::{GreenhouseClient, GreenhouseProvider};
use crate::credentials::{self, CredentialShape, Credentials};
use crate::{ConnectOptions, People, Result};
use hiresync_core::ProviderKind;
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Value, json};
use std::sync::Arc;
use url::Url;

/// Harvest API root used when the connection sets none.
pub const DEFAULT_BASE_URL: &str = "https://harvest.greenhouse.io";
/// Token host used when the connection sets none.
pub const DEFAULT_AUTH_BASE_URL: &str = "https://auth.greenhouse.io";
/// Where people are opened in the Greenhouse web app.
pub const APP_URL: &str = "https://app.greenhouse.io";

/// What a credentials object of neither Harvest version is told.
const EXPECTED: &str = "expected {\"client_id\", \"client_secret\", \"user_id\"} (Harvest v3) or {\"api_key\", \"on_behalf_of_user_id\"} (Harvest v1)";

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

const USER_ID: &str = "must be a Greenhouse user id (a positive integer)";

/// An absent user id reads like a wrong one: both need the user's id. Other keys are just required.
pub(crate) fn missing_user(key: &str) -> String {
    if key.ends_with("user_id") { format!("`{key}` {USER_ID}") } else { format!("`{key}` is required") }
}

/// A Greenhouse user id, given as a number or as text.
pub(crate) fn user_id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .filter(|id| *id > 0)
    .ok_or_else(|| D::Error::custom(USER_ID))
}

/// The people client of a Greenhouse connection, for the Harvest version its credentials are for.
pub fn connect(credentials: &Credentials, options: &ConnectOptions) -> Result<Arc<dyn People>> {
    let object = credentials::object(ProviderKind::Greenhouse, credentials)?;
    if object.contains_key("client_id") || object.contains_key("client_secret") {
        let config = GreenhouseConfig::new(credentials::fields(object)?, options)?;
        return Ok(Arc::new(GreenhouseProvider::new(GreenhouseClient::new(config)?)));
    }
    if object.contains_key("api_key") {
        return super::v1::connect(credentials::fields(object)?, options);
    }
    Err(credentials::invalid(ProviderKind::Greenhouse, EXPECTED))
}

/// Everything needed to build a Harvest v3 [`GreenhouseClient`].
#[derive(Clone, Debug)]
pub struct GreenhouseConfig {
    /// The credentials.
    pub credentials: GreenhouseCredentials,
    /// Harvest API root (no trailing path).
    pub base_url: Url,
    /// Token host; `/token` is appended.
    pub auth_base_url: Url,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
    /// Where the credential's rate budget is kept when processes share it.
    pub budgets: Option<std::sync::Arc<dyn crate::http::Budgets>>,
}

impl GreenhouseConfig {
    /// Reads `{"client_id", "client_secret", "user_id"}`. Errors name the key at fault, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        Self::new(credentials::parse(credentials)?, options)
    }

    /// The settings for `credentials`, reached as `options` say.
    pub fn new(credentials: GreenhouseCredentials, options: &ConnectOptions) -> Result<Self> {
        Ok(Self {
            credentials,
            base_url: api_root(options)?,
            auth_base_url: ConnectOptions::root(
                ProviderKind::Greenhouse,
                options.auth_base_url.as_deref(),
                DEFAULT_AUTH_BASE_URL,
                "auth_base_url",
            )?,
            rate_limit: options.rate_limit,
            budgets: options.budgets.clone(),
        })
    }

    /// An example credentials object, as the API documents it.
    pub fn example() -> Value {
        json!({"client_id": "3f2c9a…", "client_secret": "…", "user_id": 4080321002_i64})
    }

    /// Hash identifying the credential (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        credentials::fingerprint(&[self.base_url.as_str(), &format!("v3:{}", self.credentials.client_id)])
    }
}

/// The Harvest API root: the connection's override or Greenhouse's.
pub(crate) fn api_root(options: &ConnectOptions) -> Result<Url> {
    ConnectOptions::root(ProviderKind::Greenhouse, options.base_url.as_deref(), DEFAULT_BASE_URL, "base_url")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    fn creds(v: Value) -> Credentials {
        Credentials(v.to_string().into())
    }

    #[test]
    fn the_v3_shape_parses_and_large_ids_survive() {
        let c = GreenhouseConfig::from_credentials(
            &creds(json!({"client_id": "c", "client_secret": "s", "user_id": 5414812002_i64})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert_eq!(c.credentials.user_id, 5414812002);
        assert_eq!(c.base_url.as_str(), "https://harvest.greenhouse.io/");
        let text_id = json!({"client_id": "c", "client_secret": "s", "user_id": " 17130511003 "});
        let c = GreenhouseConfig::from_credentials(&creds(text_id), &ConnectOptions::default()).unwrap();
        assert_eq!(c.credentials.user_id, 17130511003);
        assert!(
            connect(&creds(json!({"api_key": "k", "on_behalf_of_user_id": 1})), &ConnectOptions::default()).is_ok()
        );
    }

    #[test]
    fn bad_shapes_name_the_key_and_never_echo_secrets() {
        let options = ConnectOptions::default();
        let err = connect(&creds(json!({"client_id": "c", "client_secret": "hunter2"})), &options).unwrap_err();
        assert_eq!(err.message, "`user_id` must be a Greenhouse user id (a positive integer)");
        assert_eq!(err.kind, crate::ErrorKind::Permanent);
        let err = connect(&creds(json!({"client_id": "c", "client_secret": "hunter2", "user_id": 0})), &options);
        assert!(err.unwrap_err().message.contains("user_id"));
        assert_eq!(connect(&creds(json!({"token": "x"})), &options).unwrap_err().message, EXPECTED);
        let err = connect(&Credentials("not json".to_owned().into()), &options).unwrap_err();
        assert_eq!(err.message, "credentials must be a JSON object");
    }
}
