//! Clockwork connection settings: the credential shape (firm domain, API key
//! and secret, firm service key), the API root, and an example.

use crate::credentials::{self, CredentialShape, Credentials};
use crate::{ConnectOptions, Result};
use hiresync_core::ProviderKind;
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Value, json};
use url::Url;

/// API root used when the connection sets none; `/v3.0/{firm}` is appended.
pub const DEFAULT_BASE_URL: &str = "https://api.clockworkrecruiting.com";
/// Suffix of a firm's web-app host (`acme` → `acme.clockworkrecruiting.com`).
pub const APP_DOMAIN: &str = "clockworkrecruiting.com";

/// A Clockwork connection's credentials object (clockwork.md §2; `[S]`, see ASSUMPTIONS.md).
#[derive(Clone, Debug, Deserialize)]
pub struct ClockworkCredentials {
    /// The firm's Clockwork domain (`acme`, `acme.clockworkrecruiting.com` or its URL).
    #[serde(deserialize_with = "firm_domain")]
    pub firm_domain: FirmDomain,
    /// Per-user API key.
    #[serde(deserialize_with = "credentials::text")]
    pub api_key: String,
    /// Per-user API secret, shown once by Clockwork.
    #[serde(deserialize_with = "credentials::secret")]
    pub api_secret: SecretString,
    /// The firm service key, sent as `X-API-Key`.
    #[serde(deserialize_with = "credentials::secret")]
    pub firm_service_key: SecretString,
}

impl CredentialShape for ClockworkCredentials {
    const PROVIDER: ProviderKind = ProviderKind::Clockwork;
}

/// A firm as its domain names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirmDomain {
    /// The firm's login subdomain (`acme`), the `{firm}` path segment of every call.
    pub firm: String,
    /// Host of the firm's web app, where people are opened.
    pub app_host: String,
}

fn firm_domain<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<FirmDomain, D::Error> {
    let raw = credentials::text(d)?;
    let (firm, app_host) = parse_firm_domain(&raw)
        .ok_or_else(|| D::Error::custom("must be the firm's Clockwork domain, like acme.clockworkrecruiting.com"))?;
    Ok(FirmDomain { firm, app_host })
}

/// Everything needed to build a [`super::ClockworkClient`].
#[derive(Clone, Debug)]
pub struct ClockworkConfig {
    /// The credentials.
    pub credentials: ClockworkCredentials,
    /// API root (no trailing path).
    pub base_url: Url,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
    /// Where the credential's rate budget is kept when processes share it.
    pub budgets: Option<std::sync::Arc<dyn crate::http::Budgets>>,
}

/// The firm name and web host of a `firm_domain` given as `acme`,
/// `acme.clockworkrecruiting.com` or `https://acme.clockworkrecruiting.com/`.
pub fn parse_firm_domain(raw: &str) -> Option<(String, String)> {
    let raw = raw.trim().trim_end_matches('/');
    let host = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")).unwrap_or(raw);
    let host = host.split('/').next().unwrap_or_default().to_ascii_lowercase();
    let firm = host.split('.').next().unwrap_or_default().to_owned();
    let valid = |s: &str| !s.is_empty() && s.len() <= 63 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid(&firm) || !host.split('.').all(valid) {
        return None;
    }
    let app_host = if host.contains('.') { host } else { format!("{firm}.{APP_DOMAIN}") };
    Some((firm, app_host))
}

impl ClockworkConfig {
    /// Reads `{"firm_domain", "api_key", "api_secret", "firm_service_key"}`. Errors name the
    /// key at fault, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        Ok(Self {
            credentials: credentials::parse(credentials)?,
            base_url: ConnectOptions::root(
                ProviderKind::Clockwork,
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
        json!({"firm_domain": "acme.clockworkrecruiting.com", "api_key": "…", "api_secret": "…", "firm_service_key": "…"})
    }

    /// The firm's login subdomain, the `{firm}` path segment of every call.
    pub fn firm(&self) -> &str {
        &self.credentials.firm_domain.firm
    }

    /// Host of the firm's web app, where people are opened.
    pub fn app_host(&self) -> &str {
        &self.credentials.firm_domain.app_host
    }

    /// Hash identifying the credential (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        credentials::fingerprint(&[self.base_url.as_str(), &format!("{}:{}", self.firm(), self.credentials.api_key)])
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
    fn firm_domains_normalise_to_the_firm_and_its_web_host() {
        assert_eq!(parse_firm_domain("acme"), Some(("acme".into(), "acme.clockworkrecruiting.com".into())));
        assert_eq!(
            parse_firm_domain(" https://Acme.clockworkrecruiting.com/ "),
            Some(("acme".into(), "acme.clockworkrecruiting.com".into()))
        );
        assert_eq!(
            parse_firm_domain("acme.clockworkrecruiting.com/people"),
            Some(("acme".into(), "acme.clockworkrecruiting.com".into()))
        );
        assert_eq!(parse_firm_domain(""), None);
        assert_eq!(parse_firm_domain("ac me"), None);
        assert_eq!(parse_firm_domain("acme/../x"), Some(("acme".into(), "acme.clockworkrecruiting.com".into())));
        assert_eq!(parse_firm_domain("a..b"), None);
    }

    #[test]
    fn the_documented_shape_parses_and_bad_ones_name_the_key_only() {
        let c = ClockworkConfig::from_credentials(
            &creds(json!({"firm_domain": "acme", "api_key": "k", "api_secret": "hunter2", "firm_service_key": "f"})),
            &ConnectOptions::default(),
        )
        .unwrap();
        assert_eq!((c.firm(), c.base_url.as_str()), ("acme", "https://api.clockworkrecruiting.com/"));
        let err = ClockworkConfig::from_credentials(
            &creds(json!({"firm_domain": "acme", "api_key": "k", "api_secret": "hunter2"})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("firm_service_key") && !err.message.contains("hunter2"));
        assert_eq!(err.kind, crate::ErrorKind::Permanent);
        assert!(!format!("{c:?}").contains("hunter2"));
        let options = ConnectOptions { base_url: Some("ftp://x".into()), ..ConnectOptions::default() };
        let all = json!({"firm_domain": "acme", "api_key": "k", "api_secret": "s", "firm_service_key": "f"});
        assert!(ClockworkConfig::from_credentials(&creds(all), &options).is_err());
    }
}
