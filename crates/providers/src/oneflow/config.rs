//! Oneflow connection settings: the credential shape (`{"api_token",
//! "user_email", "webhook_secret"}` plus an optional
//! `"teamtailor_connection_id"`), the API root, an example.

use crate::registry::{ConnectOptions, Credentials};
use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

/// API root used when the connection sets none (paths add `/v1`).
pub const DEFAULT_BASE_URL: &str = "https://api.oneflow.com";
/// Where contracts are opened in the Oneflow web app.
pub const APP_URL: &str = "https://app.oneflow.com";

/// Everything needed to build a [`super::OneflowClient`].
#[derive(Clone, Debug)]
pub struct OneflowConfig {
    /// `x-oneflow-api-token`.
    pub api_token: SecretString,
    /// `x-oneflow-user-email`: the account user calls act as.
    pub user_email: String,
    /// The webhook sign key (`sha1(callback_id + sign_key)`).
    pub webhook_secret: SecretString,
    /// The Teamtailor connection contracts sync with (SPEC B).
    pub teamtailor_connection_id: Option<String>,
    /// API root (no `/v1`).
    pub base_url: Url,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
}

fn invalid(message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Oneflow, "read credentials", message)
}

fn text(v: &Value, key: &str) -> Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| invalid(format!("`{key}` is required")))
}

impl OneflowConfig {
    /// Reads the credentials JSON. Errors name the missing key, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        let value: Value = serde_json::from_str(credentials.0.expose_secret())
            .map_err(|_| invalid("credentials must be a JSON object"))?;
        if !value.is_object() {
            return Err(invalid("expected {\"api_token\", \"user_email\", \"webhook_secret\"}"));
        }
        let user_email = text(&value, "user_email")?;
        if !user_email.contains('@') {
            return Err(invalid("`user_email` must be the email of an Oneflow account user"));
        }
        let teamtailor_connection_id = match value.get("teamtailor_connection_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(_) => return Err(invalid("`teamtailor_connection_id` must be a connection id")),
        };
        let raw = options.base_url.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(DEFAULT_BASE_URL);
        let base_url =
            Url::parse(raw.trim_end_matches('/')).map_err(|e| invalid(format!("base_url is not a URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(invalid("base_url must be an http(s) URL"));
        }
        Ok(Self {
            api_token: text(&value, "api_token")?.into(),
            user_email,
            webhook_secret: text(&value, "webhook_secret")?.into(),
            teamtailor_connection_id,
            base_url,
            rate_limit: options.rate_limit,
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
        let mut hash = Sha256::new();
        hash.update(self.base_url.as_str());
        hash.update(self.api_token.expose_secret());
        hex::encode(&hash.finalize()[..16])
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
        assert_eq!(c.teamtailor_connection_id.as_deref(), Some("conn_1"));
        assert_eq!(c.webhook_secret.expose_secret(), "s");
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
