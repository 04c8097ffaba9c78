//! The provider's webhook to this server, set up with the connection and
//! taken down with it: Oneflow's is registered through its API (`POST
//! /webhooks` with the callback URL and the connection's sign key) and
//! removed when the connection is deleted. Teamtailor's API cannot register
//! one, so its connection shows the URL to add in Teamtailor's settings.
//! Without `HIRESYNC_PUBLIC_URL` nothing is registered and the connection
//! says why. None of it ever fails the connection itself: what happened is
//! recorded on it (`GET /v1/connections/{id}` shows it).

use crate::clients::Clients;
use hiresync_core::ProviderKind;
use hiresync_providers::oneflow::wire::CreateWebhook;
use hiresync_store::connections::{self, Connection};
use hiresync_store::{Store, StoreError};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What was done about a connection's webhook.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookState {
    /// `registered`, `manual`, `skipped`, `failed` or `removed`.
    pub state: String,
    /// Where the provider delivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Why it is not registered, or what to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The provider's id for the webhook, to remove it by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
}

impl HookState {
    fn new(state: &str, callback_url: Option<String>, reason: Option<String>) -> Self {
        Self { state: state.to_owned(), callback_url, reason, id: None }
    }
}

/// What registering `conn`'s webhook would do, and does: none for providers whose webhooks
/// hiresync does not receive.
pub async fn register(store: &Store, clients: &Clients, conn: &Connection) -> Result<Option<HookState>, StoreError> {
    let state = match conn.provider {
        ProviderKind::Oneflow => oneflow(clients, conn).await,
        ProviderKind::Teamtailor => match clients.public() {
            Some(public) => HookState::new(
                "manual",
                Some(public.webhook(conn.provider, conn.id.as_str())),
                Some(
                    "Teamtailor's API cannot register webhooks: add this URL, with the connection's \
                      webhook_secret as its key, under Settings → Integrations → Webhooks"
                        .into(),
                ),
            ),
            None => skipped(conn),
        },
        ProviderKind::Greenhouse | ProviderKind::Clockwork => return Ok(None),
    };
    record(store, conn, &state).await?;
    Ok(Some(state))
}

async fn oneflow(clients: &Clients, conn: &Connection) -> HookState {
    let Some(public) = clients.public() else { return skipped(conn) };
    let callback_url = public.webhook(conn.provider, conn.id.as_str());
    let client = match clients.oneflow(conn) {
        Ok(client) => client,
        Err(e) => return HookState::new("failed", Some(callback_url), Some(e.to_string())),
    };
    let body = CreateWebhook {
        callback_url: callback_url.clone(),
        sign_key: Some(client.config().credentials.webhook_secret.expose_secret().to_owned()),
        filters: Vec::new(),
    };
    match client.create_webhook(&body).await {
        Ok(hook) => {
            tracing::info!(
                connection_id = conn.id.as_str(),
                webhook_id = hook.webhook_id,
                "Registered the Oneflow webhook."
            );
            HookState { id: Some(hook.webhook_id), ..HookState::new("registered", Some(callback_url), None) }
        }
        Err(e) => {
            tracing::warn!(connection_id = conn.id.as_str(), error = %e, "Oneflow did not register the webhook.");
            let reason = format!("Oneflow refused to register it ({}); add the URL in Oneflow by hand", e.message);
            HookState::new("failed", Some(callback_url), Some(reason))
        }
    }
}

fn skipped(conn: &Connection) -> HookState {
    let path = format!("/v1/webhooks/{}/{}", conn.provider.as_str(), conn.id.as_str());
    let reason = format!(
        "HIRESYNC_PUBLIC_URL is not set, so no webhook was registered: point {}'s webhook at {path} on this server by hand",
        conn.provider.display_name()
    );
    HookState::new("skipped", None, Some(reason))
}

/// Removes the webhook registered for `conn` (called as it is deleted). A provider that
/// refuses is logged and recorded, never an error: the connection goes either way, and its
/// deliveries are refused from then on.
pub async fn unregister(store: &Store, clients: &Clients, conn: &Connection) -> Result<(), StoreError> {
    let Some(mut state) = recorded(store, conn).await? else { return Ok(()) };
    let Some(id) = state.id.filter(|_| state.state == "registered") else { return Ok(()) };
    let removed = match clients.oneflow(conn) {
        // Already gone at Oneflow is as good as removed.
        Ok(client) => match client.delete_webhook(id).await {
            Err(e) if e.status != Some(404) => Err(e.message),
            _ => Ok(()),
        },
        Err(e) => Err(e.to_string()),
    };
    match removed {
        Ok(()) => state = HookState { id: None, ..HookState::new("removed", state.callback_url, None) },
        Err(why) => {
            tracing::warn!(connection_id = conn.id.as_str(), webhook_id = id, error = %why, "Could not remove the Oneflow webhook.");
            state.reason = Some(format!("removing it failed ({why}); delete webhook {id} in Oneflow by hand"));
        }
    }
    record(store, conn, &state).await
}

/// What was last recorded about `conn`'s webhook.
pub async fn recorded(store: &Store, conn: &Connection) -> Result<Option<HookState>, StoreError> {
    let mut c = store.db().await?;
    let raw = connections::webhook(&mut c, &conn.id).await?;
    Ok(raw.and_then(|v| serde_json::from_value(v).ok()))
}

async fn record(store: &Store, conn: &Connection, state: &HookState) -> Result<(), StoreError> {
    let value = serde_json::to_value(state).unwrap_or(Value::Null);
    let mut c = store.db().await?;
    connections::set_webhook(&mut c, &conn.id, &value).await
}
