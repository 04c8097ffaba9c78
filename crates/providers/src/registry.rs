//! From a connection's provider name and sealed credentials to a live client:
//! one factory `match` over the closed set of providers.

use crate::credentials::{Credentials, invalid};
use crate::{Provider, Result};
use hiresync_core::{ProviderKind, RateLimit};
use std::sync::Arc;
use url::Url;

/// Where and how to reach the provider.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// Replaces the provider's API root (regions, sandboxes, tests).
    pub base_url: Option<String>,
    /// Greenhouse v3: replaces the token endpoint host.
    pub auth_base_url: Option<String>,
    /// Replaces the provider's published request allowance.
    pub rate_limit: Option<RateLimit>,
}

impl ConnectOptions {
    /// An API root: `raw` (an override) or `default`, as an http(s) URL; `name` labels errors.
    pub fn root(provider: ProviderKind, raw: Option<&str>, default: &str, name: &str) -> Result<Url> {
        let raw = raw.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(default);
        let url = Url::parse(raw.trim_end_matches('/'))
            .map_err(|e| invalid(provider, format!("{name} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(invalid(provider, format!("{name} must be an http(s) URL")));
        }
        Ok(url)
    }
}

/// Builds the client for a connection. Fails with [`crate::ErrorKind::Permanent`]
/// when the credentials object does not have the provider's shape.
pub fn connect(kind: ProviderKind, credentials: &Credentials, options: &ConnectOptions) -> Result<Arc<dyn Provider>> {
    match kind {
        ProviderKind::Greenhouse => {
            let config = crate::greenhouse::GreenhouseConfig::from_credentials(credentials, options)?;
            let client = crate::greenhouse::GreenhouseClient::new(config)?;
            Ok(Arc::new(crate::greenhouse::GreenhouseProvider::new(client)))
        }
        ProviderKind::Clockwork => {
            let config = crate::clockwork::ClockworkConfig::from_credentials(credentials, options)?;
            let client = crate::clockwork::ClockworkClient::new(config)?;
            Ok(Arc::new(crate::clockwork::ClockworkProvider::new(client)))
        }
        ProviderKind::Teamtailor => {
            let config = crate::teamtailor::TeamtailorConfig::from_credentials(credentials, options)?;
            let client = crate::teamtailor::TeamtailorClient::new(config)?;
            Ok(Arc::new(crate::teamtailor::TeamtailorProvider::new(client)))
        }
        ProviderKind::Oneflow => {
            let config = crate::oneflow::OneflowConfig::from_credentials(credentials, options)?;
            let client = crate::oneflow::OneflowClient::new(config)?;
            Ok(Arc::new(crate::oneflow::OneflowProvider::new(client)))
        }
    }
}
