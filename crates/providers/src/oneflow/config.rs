//! Oneflow connection settings: the credential shape (`{"api_token",
//! "user_email", "webhook_secret"}` plus an optional
//! `"teamtailor_connection_id"`), the API root, an example.

use crate::credentials::{self, CredentialShape, Credentials};
use crate::{ConnectOptions, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Value, json};
use url::Url;

/// API root used when the connection sets none (paths add `/v1`).
pub const DEFAULT_BASE_URL: &str = "https://api.oneflow.com";
/// Where contracts are opened in the Oneflow web app.
pub const APP_URL: &str = "https://app.oneflow.com";

/// An Oneflow connection's credentials object.
#[derive(Clone, Debug, Deserialize)]
pub struct OneflowCredentials {
    /// `x-oneflow-api-token`.
    #[serde(deserialize_with = "credentials::secret")]
    pub api_token: SecretString,
    /// `x-oneflow-user-email`: the account user calls act as.
    #[serde(deserialize_with = "user_email")]
    pub user_email: String,
    /// The webhook sign key (`sha1(callback_id + sign_key)`).
    #[serde(deserialize_with = "credentials::secret")]
    pub webhook_secret: SecretString,
    /// The Teamtailor connection contracts sync with (SPEC B).
    #[serde(default, deserialize_with = "teamtailor_connection_id")]
    pub teamtailor_connection_id: Option<String>,
}

impl CredentialShape for OneflowCredentials {
    const PROVIDER: ProviderKind = ProviderKind::Oneflow;
}

fn user_email<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    let email = credentials::text(d)?;
    if !email.contains('@') {
        return Err(D::Error::custom("must be the email of an Oneflow account user"));
    }
    Ok(email)
}

fn teamtailor_connection_id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    credentials::optional_text(d, "must be a connection id")
}

/// Everything needed to build a [`super::OneflowClient`].
#[derive(Clone, Debug)]
pub struct OneflowConfig {
    /// The credentials.
    pub credentials: OneflowCredentials,
    /// API root (no `/v1`).
    pub base_url: Url,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
    /// Where the credential's rate budget is kept when processes share it.
    pub budgets: Option<std::sync::Arc<dyn crate::http::Budgets>>,
}

impl OneflowConfig {
    /// Reads the credentials JSON. Errors name the key at fault, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        Ok(Self {
            credentials: credentials::parse(credentials)?,
            base_url: ConnectOptions::root(
                ProviderKind::Oneflow,
                options.base_url.as_deref(),
                DEFAULT_BASE_URL,
                "base_url",
            )?,
            rate_limit: options.rate_limit,
            budgets: options.budgets.clone(),
        })
    }

    /// An example credentials object, as the API documents it.
    pub fn example() -> Value {
        json!({
            "api_token": "…",
            "user_email": "contracts@example.com",
            "webhook_secret": "…",
            "teamtailor_connection_id": "conn_01J…"
        })
    }

    /// Hash identifying the token (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        credentials::fingerprint(&[self.base_url.as_str(), self.credentials.api_token.expose_secret()])
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
    fn the_documented_shape_parses() {
        let c = OneflowConfig::from_credentials(
            &creds(json!({"api_token": "t", "user_email": "a@b.io", "webhook_secret": "s", "teamtailor_connection_id": "conn_1"})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert_eq!(c.base_url.as_str(), "https://api.oneflow.com/");
        assert_eq!(c.credentials.teamtailor_connection_id.as_deref(), Some("conn_1"));
        assert_eq!(c.credentials.webhook_secret.expose_secret(), "s");
    }

    #[test]
    fn bad_shapes_name_the_key_and_never_echo_secrets() {
        let err = OneflowConfig::from_credentials(
            &creds(json!({"api_token": "hunter2", "user_email": "a@b.io"})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("webhook_secret") && !err.message.contains("hunter2"));
        let err = OneflowConfig::from_credentials(
            &creds(json!({"api_token": "hunter2", "user_email": "nobody", "webhook_secret": "s"})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("user_email"));
        assert!(OneflowConfig::from_credentials(&creds(json!([1])), &ConnectOptions::default()).is_err());
    }
}
