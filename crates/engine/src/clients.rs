//! Live provider clients per connection, opened from sealed credentials and
//! reused across jobs so a connection keeps its token cache and rate limiter.
//! Each capability (people, Teamtailor's own client, Oneflow's contracts) is
//! reached through [`Client`]'s accessors.

use crate::vault::{Vault, VaultError};
use hiresync_providers::http::Budgets;
use hiresync_providers::oneflow::OneflowClient;
use hiresync_providers::teamtailor::TeamtailorClient;
use hiresync_providers::{Client, ConnectOptions, Credentials, ErrorKind, People, ProviderError};
use hiresync_store::connections::Connection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why a connection's client could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The sealed credentials do not open with this server's key.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The provider refused the credential shape or options, or lacks the capability asked for.
    #[error(transparent)]
    Provider(Box<ProviderError>),
}

type Cache = HashMap<String, (String, Client)>;

/// Clients by connection id, rebuilt when the connection's credentials change.
#[derive(Clone)]
pub struct Clients {
    vault: Arc<Vault>,
    cache: Arc<Mutex<Cache>>,
    budgets: Option<Arc<dyn Budgets>>,
}

impl Clients {
    /// An empty cache opening credentials with `vault`.
    pub fn new(vault: Arc<Vault>) -> Self {
        Self { vault, cache: Arc::default(), budgets: None }
    }

    /// Keeps each credential's rate budget in `budgets`, shared with the other processes
    /// using them ([`crate::budgets::shared`]), instead of in this process's memory.
    #[must_use]
    pub fn with_budgets(self, budgets: Option<Arc<dyn Budgets>>) -> Self {
        Self { budgets, ..self }
    }

    /// How clients reach `conn`'s provider, their rate budgets kept where this process keeps them.
    pub fn options(&self, conn: &Connection) -> ConnectOptions {
        ConnectOptions { budgets: self.budgets.clone(), ..crate::connect::options(conn) }
    }

    /// Where this process keeps rate budgets; `None`: in memory.
    pub fn budgets(&self) -> Option<&Arc<dyn Budgets>> {
        self.budgets.as_ref()
    }

    /// The vault credentials are sealed with.
    pub fn vault(&self) -> &Arc<Vault> {
        &self.vault
    }

    /// The client for a stored connection; concurrent first calls share one client (one token cache).
    pub fn get(&self, conn: &Connection) -> Result<Client, OpenError> {
        let id = conn.id.as_str();
        let mut cache = self.lock();
        if let Some((sealed, client)) = cache.get(id)
            && *sealed == conn.sealed_credentials
        {
            return Ok(client.clone());
        }
        let secret = self.vault.open(id, &conn.key_id, &conn.sealed_credentials)?;
        let client = hiresync_providers::connect(conn.provider, &Credentials(secret), &self.options(conn))
            .map_err(|e| OpenError::Provider(Box::new(e)))?;
        cache.insert(id.to_owned(), (conn.sealed_credentials.clone(), client.clone()));
        Ok(client)
    }

    /// The people capability of an ATS connection.
    pub fn people(&self, conn: &Connection) -> Result<Arc<dyn People>, OpenError> {
        self.get(conn)?.people().ok_or_else(|| lacks(conn, "people"))
    }

    /// The Oneflow client of an Oneflow connection (contracts, webhooks).
    pub fn oneflow(&self, conn: &Connection) -> Result<OneflowClient, OpenError> {
        self.get(conn)?.oneflow().cloned().ok_or_else(|| lacks(conn, "contracts"))
    }

    /// The Teamtailor client of a Teamtailor connection (custom fields, uploads, webhooks).
    pub fn teamtailor(&self, conn: &Connection) -> Result<TeamtailorClient, OpenError> {
        self.get(conn)?.teamtailor().cloned().ok_or_else(|| lacks(conn, "Teamtailor's custom fields"))
    }

    /// Keeps the client that checked a new connection's credentials, with its token, for its jobs.
    pub fn adopt(&self, conn: &Connection, client: Client) {
        self.lock().insert(conn.id.as_str().to_owned(), (conn.sealed_credentials.clone(), client));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A connection whose provider has no such capability: asking again cannot help.
fn lacks(conn: &Connection, capability: &str) -> OpenError {
    let message =
        format!("connection {} is {} and holds no {capability}", conn.id.as_str(), conn.provider.display_name());
    OpenError::Provider(Box::new(ProviderError::new(ErrorKind::Permanent, conn.provider, "open client", message)))
}
