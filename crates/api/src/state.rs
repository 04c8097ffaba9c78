//! What every handler shares.

use crate::metrics::Metrics;
use crate::ttl_cache::TtlCache;
use hiresync_engine::{Clients, Intake};
use hiresync_store::Store;
use std::sync::Arc;
use tokio::sync::Notify;

/// Shared handler state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Where posted event batches wait their turn to be stored.
    pub intake: Intake,
    /// Provider clients, opened from sealed credentials.
    pub clients: Clients,
    /// Wakes the in-process worker after jobs are enqueued.
    pub wake: Arc<Notify>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// Off-limits answers by connection and person (SPEC S10), kept a few minutes.
    pub off_limits: Arc<TtlCache<Option<String>>>,
    /// Allow http and private addresses as provider base URLs (sandbox, tests).
    pub allow_private_urls: bool,
    /// Provider field definitions, cached briefly for checking field maps.
    pub field_defs: Arc<crate::field_defs::FieldDefs>,
}
