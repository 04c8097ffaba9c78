//! Teamtailor connection settings: the credential shape (`{"api_key"}` plus
//! an optional `"region"` and an optional `"webhook_secret"`, the company
//! webhook's signature key), the data-stack host, the pinned API version.

use crate::credentials::{self, CredentialShape, Credentials};
use crate::{ConnectOptions, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Value, json};
use url::Url;

/// EU data stack API root.
pub const EU_BASE_URL: &str = "https://api.teamtailor.com";
/// North America data stack API root.
pub const NA_BASE_URL: &str = "https://api.na.teamtailor.com";
/// The `X-Api-Version` every request pins; the latest one seen in recent clients.
pub const API_VERSION: &str = "20240404";
/// Web app root of the EU stack.
pub const EU_APP_URL: &str = "https://app.teamtailor.com";
/// Web app root of the North America stack.
pub const NA_APP_URL: &str = "https://app.na.teamtailor.com";

/// Which Teamtailor data stack the company lives on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Region {
    /// `api.teamtailor.com` (default).
    #[default]
    Eu,
    /// `api.na.teamtailor.com`.
    Na,
}

impl Region {
    /// Reads a region name: `eu` / `europe` (or empty), `na` / `north_america` / `us`, in any case.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
        match folded.as_str() {
            "" | "eu" | "europe" => Some(Region::Eu),
            "na" | "northamerica" | "us" => Some(Region::Na),
            _ => None,
        }
    }

    /// The data stack's API root, used when no `base_url` overrides it.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Eu => EU_BASE_URL,
            Region::Na => NA_BASE_URL,
        }
    }

    /// The data stack's web app root.
    pub fn app_url(self) -> &'static str {
        match self {
            Region::Eu => EU_APP_URL,
            Region::Na => NA_APP_URL,
        }
    }
}

/// A Teamtailor connection's credentials object: `{"api_key", "region"?, "webhook_secret"?, "webhook_v1"?}`.
#[derive(Clone, Debug, Deserialize)]
pub struct TeamtailorCredentials {
    /// Admin-scope API key (read/write).
    #[serde(deserialize_with = "credentials::secret")]
    pub api_key: SecretString,
    /// Data stack; `eu` when absent.
    #[serde(default, deserialize_with = "region")]
    pub region: Region,
    /// The company webhook's signature key (`TT-Signature`), when webhooks are set up.
    #[serde(default, deserialize_with = "webhook_secret")]
    pub webhook_secret: Option<SecretString>,
    /// Accept deliveries with the deprecated v1 signature, which signs only the resource id.
    #[serde(default)]
    pub webhook_v1: bool,
}

impl CredentialShape for TeamtailorCredentials {
    const PROVIDER: ProviderKind = ProviderKind::Teamtailor;

    fn missing(key: &str) -> String {
        format!("expected {{\"api_key\", \"region\"?}}: `{key}` is required")
    }
}

fn region<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Region, D::Error> {
    let refused = || D::Error::custom("must be \"eu\" or \"na\"");
    match Value::deserialize(d)? {
        Value::Null => Ok(Region::Eu),
        Value::String(raw) => Region::parse(&raw).ok_or_else(refused),
        _ => Err(refused()),
    }
}

fn webhook_secret<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<SecretString>, D::Error> {
    credentials::optional_text(d, "must be the webhook's signature key").map(|s| s.map(SecretString::from))
}

/// Everything needed to build a [`super::TeamtailorClient`].
#[derive(Clone, Debug)]
pub struct TeamtailorConfig {
    /// The credentials.
    pub credentials: TeamtailorCredentials,
    /// API root without `/v1` (the region's host unless overridden).
    pub base_url: Url,
    /// Sent as `X-Api-Version`.
    pub api_version: String,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
    /// Where the credential's rate budget is kept when processes share it.
    pub budgets: Option<std::sync::Arc<dyn crate::http::Budgets>>,
}

impl TeamtailorConfig {
    /// Reads `{"api_key", "region"?}`; `region` is `eu` (default) or `na`. Errors name the key, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        let credentials: TeamtailorCredentials = credentials::parse(credentials)?;
        let base_url = ConnectOptions::root(
            ProviderKind::Teamtailor,
            options.base_url.as_deref(),
            credentials.region.base_url(),
            "base_url",
        )?;
        Ok(Self {
            credentials,
            base_url,
            api_version: API_VERSION.to_owned(),
            rate_limit: options.rate_limit,
            budgets: options.budgets.clone(),
        })
    }

    /// An example credentials object, as the API documents it.
    pub fn example() -> Value {
        json!({"api_key": "…", "region": "eu", "webhook_secret": "…"})
    }

    /// Hash identifying the credential (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        credentials::fingerprint(&[self.base_url.as_str(), self.credentials.api_key.expose_secret()])
    }

    /// The web app root of the region.
    pub fn app_url(&self) -> &'static str {
        self.credentials.region.app_url()
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
    fn region_picks_the_data_stack_and_base_url_overrides_it() {
        let c =
            TeamtailorConfig::from_credentials(&creds(json!({"api_key": "k"})), &ConnectOptions::default()).unwrap();
        assert_eq!((c.credentials.region, c.base_url.as_str()), (Region::Eu, "https://api.teamtailor.com/"));
        assert!(c.credentials.webhook_secret.is_none());
        let c = TeamtailorConfig::from_credentials(
            &creds(json!({"api_key": "k", "webhook_secret": "s"})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert_eq!(c.credentials.webhook_secret.as_ref().map(ExposeSecret::expose_secret), Some("s"));
        let c = TeamtailorConfig::from_credentials(
            &creds(json!({"api_key": "k", "region": "NA"})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert_eq!(c.base_url.as_str(), "https://api.na.teamtailor.com/");
        assert_eq!(c.app_url(), NA_APP_URL);
        for (name, region) in [("north_america", Region::Na), ("North America", Region::Na), ("Europe", Region::Eu)] {
            let c = TeamtailorConfig::from_credentials(
                &creds(json!({"api_key": "k", "region": name})),
                &ConnectOptions::default(),
            )
            .unwrap();
            let expected = format!("{}/", region.base_url());
            assert_eq!((c.credentials.region, c.base_url.as_str()), (region, expected.as_str()), "{name}");
        }
        assert_eq!(c.api_version, API_VERSION, "one pinned X-Api-Version for every request");
        let options = ConnectOptions { base_url: Some("http://127.0.0.1:9/".into()), ..ConnectOptions::default() };
        let c = TeamtailorConfig::from_credentials(&creds(json!({"api_key": "k"})), &options).unwrap();
        assert_eq!(c.base_url.as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn bad_shapes_name_the_key_and_never_echo_secrets() {
        let err = TeamtailorConfig::from_credentials(&creds(json!({"token": "hunter2"})), &ConnectOptions::default())
            .unwrap_err();
        assert!(err.message.contains("api_key") && !err.message.contains("hunter2"));
        let err = TeamtailorConfig::from_credentials(
            &creds(json!({"api_key": "hunter2", "region": "mars"})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("region") && !err.message.contains("hunter2"));
        let err = TeamtailorConfig::from_credentials(
            &creds(json!({"api_key": "hunter2", "webhook_secret": 7})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("webhook_secret"));
        assert!(
            TeamtailorConfig::from_credentials(&Credentials("nope".to_owned().into()), &ConnectOptions::default())
                .is_err()
        );
    }
}
