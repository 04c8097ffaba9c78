//! From a connection's provider name and sealed credentials to a live client:
//! one factory `match` over the closed set of providers.

use crate::{Provider, Result};
use hiresync_core::{ProviderKind, RateLimit};
use secrecy::SecretString;
use std::sync::Arc;

/// A connection's credentials as the JSON object the user gave, kept secret.
#[derive(Clone)]
pub struct Credentials(pub SecretString);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials([REDACTED])")
    }
}

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

/// Builds the client for a connection. Fails with [`crate::ErrorKind::Permanent`]
/// when the credentials object does not have the provider's shape.
// `ProviderError` is over 128 bytes; boxing it is a crate-wide call (see error.rs).
#[allow(clippy::result_large_err)]
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
