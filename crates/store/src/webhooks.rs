//! Webhook deliveries received, by connection and the provider's idempotency
//! key (Oneflow's `callback_id`, what a Teamtailor signature covers): recording one
//! twice is how a replay is recognised and ignored.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};

/// A verified delivery to record.
#[derive(Clone, Debug)]
pub struct Delivery<'a> {
    /// The connection it was addressed to.
    pub connection_id: &'a str,
    /// The provider's idempotency key for it.
    pub key: &'a str,
    /// The connection's workspace.
    pub workspace_id: &'a str,
    /// `oneflow`, `teamtailor`.
    pub provider: &'a str,
}

/// Records a delivery's key (never its body, which may hold personal data); false when the key
/// was seen before (a replay). Keys are kept for the configured retention, never less than
/// [`crate::retention::WEBHOOK_REPLAY_MS`] (see [`crate::retention::prune_webhooks_in`]). A replay
/// older than that is treated as new, which is harmless: every delivery's job re-reads the
/// current state from the providers and writes only what differs.
pub async fn record(db: &mut Db, d: &Delivery<'_>) -> Result<bool> {
    on_backend!(db, webhooks::insert(d, now_ms()))
}

/// How many deliveries a connection has received (tests, diagnostics).
pub async fn count(db: &mut Db, connection_id: &str) -> Result<i64> {
    on_backend!(db, webhooks::count(connection_id))
}
