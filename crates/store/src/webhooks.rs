//! Webhook deliveries received, by connection and the provider's idempotency
//! key (Oneflow's `callback_id`, a digest of a Teamtailor body): recording one
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

/// How long a delivery's key is kept (its body, which may hold personal data, never is).
/// A replay older than this is treated as new, which is harmless: every delivery's job
/// re-reads the current state from the providers and writes only what differs.
pub const RETENTION_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Records a delivery, dropping the connection's deliveries past [`RETENTION_MS`]; false when its
/// key was seen before (a replay).
pub async fn record(db: &mut Db, d: &Delivery<'_>) -> Result<bool> {
    on_backend!(db, webhooks::drop_before(d.connection_id, now_ms() - RETENTION_MS))?;
    on_backend!(db, webhooks::insert(d, now_ms()))
}

/// How many deliveries a connection has received (tests, diagnostics).
pub async fn count(db: &mut Db, connection_id: &str) -> Result<i64> {
    on_backend!(db, webhooks::count(connection_id))
}
