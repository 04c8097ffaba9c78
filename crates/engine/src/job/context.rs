//! What a job runs with: the store and the providers' clients.

use crate::clients::Clients;
use hiresync_store::Store;

/// The store jobs read and write, and the clients they call providers through.
#[derive(Clone)]
pub struct Context {
    store: Store,
    clients: Clients,
}

impl Context {
    /// Jobs over this store, opening clients through `clients`.
    pub fn new(store: Store, clients: Clients) -> Self {
        Self { store, clients }
    }

    /// The store jobs come from.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The provider clients jobs use.
    pub fn clients(&self) -> &Clients {
        &self.clients
    }
}
