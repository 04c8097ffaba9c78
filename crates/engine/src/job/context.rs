//! What a job runs with: the store, the providers' clients, and the sender of webhooks out.

use crate::clients::Clients;
use crate::webhook::{WebhookConfig, Webhooks};
use hiresync_store::Store;
use std::sync::Arc;

/// The store jobs read and write, and the clients they call providers and endpoints through.
#[derive(Clone)]
pub struct Context {
    store: Store,
    clients: Clients,
    webhooks: Arc<Webhooks>,
}

impl Context {
    /// Jobs over this store, opening clients through `clients`, sending webhooks as by default.
    pub fn new(store: Store, clients: Clients) -> Self {
        Self { store, clients, webhooks: Arc::new(Webhooks::new(WebhookConfig::default())) }
    }

    /// Sends webhooks out as `config` says.
    #[must_use]
    pub fn with_webhooks(self, config: WebhookConfig) -> Self {
        Self { webhooks: Arc::new(Webhooks::new(config)), ..self }
    }

    /// The store jobs come from.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The provider clients jobs use.
    pub fn clients(&self) -> &Clients {
        &self.clients
    }

    /// The sender of webhooks out.
    pub fn webhooks(&self) -> &Webhooks {
        &self.webhooks
    }
}
