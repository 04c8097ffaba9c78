//! From a connection's provider name and credentials to a live [`Client`]:
//! one factory `match` over the closed set of providers.

use crate::clockwork::{ClockworkClient, ClockworkConfig, ClockworkProvider};
use crate::credentials::{Credentials, invalid};
use crate::http::Budgets;
use crate::oneflow::{OneflowClient, OneflowConfig};
use crate::teamtailor::{TeamtailorClient, TeamtailorConfig, TeamtailorProvider};
use crate::{People, Provider, Result};
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
    /// Where the credential's rate budget is kept when several processes share it; in memory when `None`.
    pub budgets: Option<Arc<dyn Budgets>>,
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

/// A connection's live client, by what its provider can do. Built by [`connect`]'s one `match`;
/// each capability is reached through its accessor, never by downcasting.
#[derive(Clone, Debug)]
pub enum Client {
    /// An ATS whose people hiresync syncs: Greenhouse (Harvest v3 or legacy v1) or Clockwork.
    People(Arc<dyn People>),
    /// Teamtailor: people sync, plus the custom fields, uploads and webhooks contracts use (SPEC B).
    Teamtailor(Arc<TeamtailorProvider>),
    /// Oneflow: contracts (SPEC B); it holds no people.
    Contracts(OneflowClient),
}

impl Client {
    /// The provider behind it.
    pub fn provider(&self) -> &dyn Provider {
        match self {
            Client::People(people) => people.as_ref(),
            Client::Teamtailor(teamtailor) => teamtailor.as_ref(),
            Client::Contracts(oneflow) => oneflow,
        }
    }

    /// Which provider it talks to.
    pub fn kind(&self) -> ProviderKind {
        self.provider().kind()
    }

    /// Checks the credentials with a cheap authenticated call.
    pub async fn check_credentials(&self) -> Result<()> {
        self.provider().check_credentials().await
    }

    /// People sync, when the provider holds people.
    pub fn people(&self) -> Option<Arc<dyn People>> {
        match self {
            Client::People(people) => Some(people.clone()),
            Client::Teamtailor(teamtailor) => Some(teamtailor.clone()),
            Client::Contracts(_) => None,
        }
    }

    /// Teamtailor's own client: custom field values, uploads and webhooks beyond people sync.
    pub fn teamtailor(&self) -> Option<&TeamtailorClient> {
        match self {
            Client::Teamtailor(teamtailor) => Some(teamtailor.client()),
            Client::People(_) | Client::Contracts(_) => None,
        }
    }

    /// Oneflow's contracts client.
    pub fn oneflow(&self) -> Option<&OneflowClient> {
        match self {
            Client::Contracts(oneflow) => Some(oneflow),
            Client::People(_) | Client::Teamtailor(_) => None,
        }
    }
}

/// Builds the client for a connection. Fails with [`crate::ErrorKind::Permanent`]
/// when the credentials object does not have the provider's shape.
pub fn connect(kind: ProviderKind, credentials: &Credentials, options: &ConnectOptions) -> Result<Client> {
    match kind {
        // Harvest v3, or legacy v1 for a v1 key: `greenhouse::connect` reads which.
        ProviderKind::Greenhouse => {
            crate::credentials::webhook_secret(kind, credentials)?;
            Ok(Client::People(crate::greenhouse::connect(credentials, options)?))
        }
        ProviderKind::Clockwork => {
            crate::credentials::webhook_secret(kind, credentials)?;
            let config = ClockworkConfig::from_credentials(credentials, options)?;
            Ok(Client::People(Arc::new(ClockworkProvider::new(ClockworkClient::new(config)?))))
        }
        ProviderKind::Teamtailor => {
            let config = TeamtailorConfig::from_credentials(credentials, options)?;
            Ok(Client::Teamtailor(Arc::new(TeamtailorProvider::new(TeamtailorClient::new(config)?))))
        }
        ProviderKind::Oneflow => {
            Ok(Client::Contracts(OneflowClient::new(OneflowConfig::from_credentials(credentials, options)?)?))
        }
    }
}
