//! Live provider clients per connection, opened from sealed credentials and
//! reused across jobs so a connection keeps its token cache and rate limiter.
//! Each capability (people, Teamtailor's own client, Oneflow's contracts) is
//! reached through [`Client`]'s accessors. A client holds opened credentials,
//! so one its connection no longer uses (deleted, or idle for half an hour)
//! is dropped.

use crate::public::PublicUrl;
use crate::vault::{Vault, VaultError};
use hiresync_providers::http::Budgets;
use hiresync_providers::oneflow::OneflowClient;
use hiresync_providers::teamtailor::TeamtailorClient;
use hiresync_providers::{Client, ConnectOptions, Credentials, ErrorKind, People, ProviderError};
use hiresync_store::connections::Connection;
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a client may go unused before it is dropped with the credentials it holds.
const IDLE: Duration = Duration::from_secs(30 * 60);

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

struct Entry {
    /// The sealed credentials it was opened from: a change means a new client.
    sealed: String,
    client: Client,
    used: Instant,
}

struct Cache {
    entries: HashMap<String, Entry>,
    /// When idle entries were last dropped.
    swept: Instant,
}

/// Clients by connection id, rebuilt when the connection's credentials change.
#[derive(Clone)]
pub struct Clients {
    vault: Arc<Vault>,
    cache: Arc<Mutex<Cache>>,
    budgets: Option<Arc<dyn Budgets>>,
    idle: Duration,
    public: Option<Arc<PublicUrl>>,
}

impl Clients {
    /// An empty cache opening credentials with `vault`.
    pub fn new(vault: Arc<Vault>) -> Self {
        let cache = Cache { entries: HashMap::new(), swept: Instant::now() };
        Self { vault, cache: Arc::new(Mutex::new(cache)), budgets: None, idle: IDLE, public: None }
    }

    /// Keeps each credential's rate budget in `budgets`, shared with the other processes
    /// using them ([`crate::budgets::shared`]), instead of in this process's memory.
    #[must_use]
    pub fn with_budgets(self, budgets: Option<Arc<dyn Budgets>>) -> Self {
        Self { budgets, ..self }
    }

    /// Tells providers to reach this server at `public` (`HIRESYNC_PUBLIC_URL`): webhooks are
    /// registered there and signed file links point there.
    #[must_use]
    pub fn with_public_url(self, public: Option<url::Url>) -> Self {
        let public = public.map(|base| Arc::new(PublicUrl::new(base, &self.vault)));
        Self { public, ..self }
    }

    /// Where providers reach this server, when it has a public URL.
    pub fn public(&self) -> Option<&PublicUrl> {
        self.public.as_deref()
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
        self.sweep(&mut cache);
        if let Some(entry) = cache.entries.get_mut(id)
            && entry.sealed == conn.sealed_credentials
        {
            entry.used = Instant::now();
            return Ok(entry.client.clone());
        }
        let secret = self.vault.open(id, &conn.key_id, &conn.sealed_credentials)?;
        let client = hiresync_providers::connect(conn.provider, &Credentials(secret), &self.options(conn))
            .map_err(|e| OpenError::Provider(Box::new(e)))?;
        let entry = Entry { sealed: conn.sealed_credentials.clone(), client: client.clone(), used: Instant::now() };
        cache.entries.insert(id.to_owned(), entry);
        Ok(client)
    }

    /// The connection's webhook secret (`webhook_secret` in its credentials), if it set one:
    /// what deliveries of its provider's webhooks are verified with.
    pub fn webhook_secret(&self, conn: &Connection) -> Result<Option<SecretString>, OpenError> {
        let secret = self.vault.open(conn.id.as_str(), &conn.key_id, &conn.sealed_credentials)?;
        hiresync_providers::credentials::webhook_secret(conn.provider, &Credentials(secret))
            .map_err(|e| OpenError::Provider(Box::new(e)))
    }

    /// Drops a deleted connection's client, and the credentials it holds, now.
    pub fn forget(&self, connection_id: &str) {
        self.lock().entries.remove(connection_id);
    }

    /// Drops clients idle longer than `self.idle`, looking at most every tenth of it.
    fn sweep(&self, cache: &mut Cache) {
        if cache.swept.elapsed() >= self.idle / 10 {
            cache.entries.retain(|_, e| e.used.elapsed() < self.idle);
            cache.swept = Instant::now();
        }
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
        let entry = Entry { sealed: conn.sealed_credentials.clone(), client, used: Instant::now() };
        self.lock().entries.insert(conn.id.as_str().to_owned(), entry);
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

#[cfg(test)]
mod tests {
    use super::*;
    use hiresync_core::{ConnectionId, ProviderKind, WorkspaceId};
    use secrecy::SecretString;

    fn connection(clients: &Clients) -> Connection {
        let id = ConnectionId::generate();
        let credentials = SecretString::from(r#"{"api_key": "tt-key"}"#);
        Connection {
            sealed_credentials: clients.vault().seal(id.as_str(), &credentials),
            key_id: clients.vault().key_id().to_owned(),
            id,
            workspace_id: WorkspaceId::generate(),
            user_id: None,
            provider: ProviderKind::Teamtailor,
            base_url: None,
            auth_base_url: None,
            rate_limit: None,
            status: "connected".into(),
            last_error: None,
            failing_since: None,
            settings: Default::default(),
            created_at: 0,
        }
    }

    fn cached(clients: &Clients) -> usize {
        clients.lock().entries.len()
    }

    #[test]
    fn deleted_and_idle_connections_lose_their_clients() {
        let mut clients = Clients::new(Arc::new(Vault::from_bytes([7; 32])));
        clients.idle = Duration::from_millis(50);
        let (kept, gone, idle) = (connection(&clients), connection(&clients), connection(&clients));
        for conn in [&kept, &gone, &idle] {
            clients.get(conn).unwrap();
        }
        assert_eq!(cached(&clients), 3);
        clients.forget(gone.id.as_str());
        assert_eq!(cached(&clients), 2);
        for _ in 0..6 {
            std::thread::sleep(Duration::from_millis(15));
            clients.get(&kept).unwrap();
        }
        assert_eq!(cached(&clients), 1, "the idle one is dropped, the one in use stays");
    }
}
