//! Clockwork connection settings: the credential shape (firm domain, API key
//! and secret, firm service key), the API root, and an example.

use crate::registry::{ConnectOptions, Credentials};
use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

/// API root used when the connection sets none; `/v3.0/{firm}` is appended.
pub const DEFAULT_BASE_URL: &str = "https://api.clockworkrecruiting.com";
/// Suffix of a firm's web-app host (`acme` → `acme.clockworkrecruiting.com`).
pub const APP_DOMAIN: &str = "clockworkrecruiting.com";

/// Everything needed to build a [`super::ClockworkClient`].
#[derive(Clone, Debug)]
pub struct ClockworkConfig {
    /// The firm's login subdomain (`acme`), the `{firm}` path segment of every call.
    pub firm: String,
    /// Host of the firm's web app, where people are opened.
    pub app_host: String,
    /// Per-user API key.
    pub api_key: String,
    /// Per-user API secret, shown once by Clockwork.
    pub api_secret: SecretString,
    /// The firm service key, sent as `X-API-Key`.
    pub firm_service_key: SecretString,
    /// API root (no trailing path).
    pub base_url: Url,
    /// The connection's own request allowance, if it set one.
    pub rate_limit: Option<hiresync_core::RateLimit>,
}

fn invalid(message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Clockwork, "read credentials", message)
}

fn text(v: &Value, key: &str) -> Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| invalid(format!("`{key}` is required")))
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
    /// missing key, never a value.
    pub fn from_credentials(credentials: &Credentials, options: &ConnectOptions) -> Result<Self> {
        let value: Value = serde_json::from_str(credentials.0.expose_secret())
            .map_err(|_| invalid("credentials must be a JSON object"))?;
        let (firm, app_host) = parse_firm_domain(&text(&value, "firm_domain")?).ok_or_else(|| {
            invalid("`firm_domain` must be the firm's Clockwork domain, like acme.clockworkrecruiting.com")
        })?;
        let raw = options.base_url.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(DEFAULT_BASE_URL);
        let base_url =
            Url::parse(raw.trim_end_matches('/')).map_err(|e| invalid(format!("base_url is not a URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(invalid("base_url must be an http(s) URL"));
        }
        Ok(Self {
            firm,
            app_host,
            api_key: text(&value, "api_key")?,
            api_secret: text(&value, "api_secret")?.into(),
            firm_service_key: text(&value, "firm_service_key")?.into(),
            base_url,
            rate_limit: options.rate_limit,
        })
    }

    /// An example credentials object, as the API documents it.
    pub fn example() -> Value {
        json!({"firm_domain": "acme.clockworkrecruiting.com", "api_key": "…", "api_secret": "…", "firm_service_key": "…"})
    }

    /// Hash identifying the credential (for its shared rate limiter), never the secret itself.
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.base_url.as_str());
        hash.update(format!("{}:{}", self.firm, self.api_key));
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
        assert_eq!((c.firm.as_str(), c.base_url.as_str()), ("acme", "https://api.clockworkrecruiting.com/"));
        let err = ClockworkConfig::from_credentials(
            &creds(json!({"firm_domain": "acme", "api_key": "k", "api_secret": "hunter2"})),
            &ConnectOptions::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("firm_service_key") && !err.message.contains("hunter2"));
        assert_eq!(err.kind, ErrorKind::Permanent);
        assert!(!format!("{c:?}").contains("hunter2"));
        let options = ConnectOptions { base_url: Some("ftp://x".into()), ..ConnectOptions::default() };
        let all = json!({"firm_domain": "acme", "api_key": "k", "api_secret": "s", "firm_service_key": "f"});
        assert!(ClockworkConfig::from_credentials(&creds(all), &options).is_err());
    }
}
