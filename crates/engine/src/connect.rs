//! Making a connection: the credentials are checked live with the provider,
//! sealed, and stored. The API and the sandbox both connect through here, so a
//! connection is never stored unchecked or unsealed.

use crate::Clients;
use hiresync_core::{ConnectionId, ProviderKind, RateLimit, UserId, WorkspaceId};
use hiresync_providers::{ConnectOptions, Credentials, ProviderError};
use hiresync_store::connections::{self, Connection};
use hiresync_store::{Store, StoreError, now_ms};
use secrecy::SecretString;
use serde_json::{Map, Value};
use std::time::Duration;

/// A connection about to be made.
#[derive(Debug)]
pub struct NewConnection {
    /// Its workspace.
    pub workspace_id: WorkspaceId,
    /// Its user; none for a workspace-wide connection.
    pub user_id: Option<UserId>,
    /// Which provider.
    pub provider: ProviderKind,
    /// The credentials object as the user gave it.
    pub credentials: SecretString,
    /// API root, host of the token endpoint and request allowance overrides.
    pub options: ConnectOptions,
    /// Settings keys to start with.
    pub settings: Map<String, Value>,
}

/// Why a connection was not made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The provider refused the credentials or could not be reached.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The stored credentials do not open, so a change that keeps them cannot be checked.
    #[error(transparent)]
    Sealed(#[from] crate::VaultError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a `PATCH` of a connection replaces; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct AccessChange {
    /// New credentials object.
    pub credentials: Option<SecretString>,
    /// New API root (`Some(None)` goes back to the provider's own).
    pub base_url: Option<Option<String>>,
    /// New token endpoint host (Greenhouse).
    pub auth_base_url: Option<Option<String>>,
    /// Hands a personal connection over to another user of the workspace.
    pub user_id: Option<UserId>,
}

/// How the client of a stored connection reaches its provider.
pub fn options(conn: &Connection) -> ConnectOptions {
    ConnectOptions {
        base_url: conn.base_url.clone(),
        auth_base_url: conn.auth_base_url.clone(),
        rate_limit: conn.rate_limit,
        budgets: None,
    }
}

/// The longest a person waits for the provider to accept new credentials: a provider that is
/// down, or a connection's own allowance of one request a minute, must not hold the request.
const LIVE_CHECK: Duration = Duration::from_secs(15);

/// Asks the provider whether it accepts the credentials, giving up after [`LIVE_CHECK`].
async fn live_check(client: &hiresync_providers::Client, provider: ProviderKind) -> Result<(), ProviderError> {
    match tokio::time::timeout(LIVE_CHECK, client.check_credentials()).await {
        Ok(checked) => checked,
        Err(_) => Err(ProviderError::new(
            hiresync_providers::ErrorKind::Transient,
            provider,
            "check credentials",
            format!("no answer within {} s", LIVE_CHECK.as_secs()),
        )),
    }
}

/// Checks the credentials with the provider, then seals and stores the connection.
pub async fn connect(store: &Store, clients: &Clients, new: NewConnection) -> Result<Connection, ConnectError> {
    let provider_error = |e: ProviderError| ConnectError::Provider(Box::new(e));
    let options = ConnectOptions { budgets: clients.budgets().cloned(), ..new.options.clone() };
    let client = hiresync_providers::connect(new.provider, &Credentials(new.credentials.clone()), &options)
        .map_err(provider_error)?;
    live_check(&client, new.provider).await.map_err(provider_error)?;
    let id = ConnectionId::generate();
    let conn = Connection {
        sealed_credentials: clients.vault().seal(id.as_str(), &new.credentials),
        key_id: clients.vault().key_id().to_owned(),
        id,
        workspace_id: new.workspace_id,
        user_id: new.user_id,
        provider: new.provider,
        base_url: new.options.base_url,
        auth_base_url: new.options.auth_base_url,
        rate_limit: new.options.rate_limit,
        status: "connected".into(),
        last_error: None,
        failing_since: None,
        settings: new.settings,
        created_at: now_ms(),
    };
    let mut c = store.db().await?;
    connections::insert(&mut c, &conn).await?;
    clients.adopt(&conn, client);
    Ok(conn)
}

/// Replaces a stored connection's credentials, URLs or owner once the provider accepts them
/// live; nothing changes when it does not. The connection is connected again, its held jobs
/// run, and its links, settings and history stay.
pub async fn reconnect(
    store: &Store,
    clients: &Clients,
    mut conn: Connection,
    change: AccessChange,
) -> Result<Connection, ConnectError> {
    let credentials = match change.credentials {
        Some(given) => given,
        None => clients.vault().open(conn.id.as_str(), &conn.key_id, &conn.sealed_credentials)?,
    };
    if let Some(base_url) = change.base_url {
        conn.base_url = base_url;
    }
    if let Some(auth_base_url) = change.auth_base_url {
        conn.auth_base_url = auth_base_url;
    }
    if let Some(user_id) = change.user_id {
        conn.user_id = Some(user_id);
    }
    let provider_error = |e: ProviderError| ConnectError::Provider(Box::new(e));
    let client = hiresync_providers::connect(conn.provider, &Credentials(credentials.clone()), &clients.options(&conn))
        .map_err(provider_error)?;
    live_check(&client, conn.provider).await.map_err(provider_error)?;
    conn.sealed_credentials = clients.vault().seal(conn.id.as_str(), &credentials);
    conn.key_id = clients.vault().key_id().to_owned();
    let mut tx = store.begin().await?;
    // A failing connection recovers here: `connection.recovered` goes out with the new access.
    crate::outbox::connection_recovered(&mut tx, conn.id.as_str()).await?;
    connections::update_access(&mut tx, &conn).await?;
    let released = hiresync_store::queue::release_held(&mut tx, conn.id.as_str()).await?;
    tx.commit().await?;
    if released > 0 {
        tracing::info!(connection_id = conn.id.as_str(), jobs = released, "New access works; held jobs run.");
    }
    conn.status = "connected".into();
    conn.last_error = None;
    conn.failing_since = None;
    clients.adopt(&conn, client);
    Ok(conn)
}

/// A rate limit given as JSON, or none.
pub fn rate_limit(field: &str, value: Option<&Value>) -> Result<Option<RateLimit>, hiresync_core::ValidationError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => RateLimit::parse(field, v).map(Some),
    }
}
