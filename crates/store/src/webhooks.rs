//! Webhook deliveries received, by connection and the provider's idempotency
//! key (Oneflow's `callback_id`, a digest of a Teamtailor body): recording one
//! twice is how a replay is recognised and ignored.

use crate::{Conn, Result, now_ms};

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
    /// The raw body, as received.
    pub body: &'a str,
}

/// How long a delivery (its key and its body, which may hold personal data) is kept.
/// A replay older than this is treated as new, which is harmless: every delivery's job
/// re-reads the current state from the providers and writes only what differs.
pub const RETENTION_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Records a delivery, dropping the connection's deliveries past [`RETENTION_MS`]; false when its
/// key was seen before (a replay).
pub async fn record(c: &mut Conn, d: &Delivery<'_>) -> Result<bool> {
    sqlx::query("delete from webhook_deliveries where connection_id = $1 and received_at < $2")
        .bind(d.connection_id)
        .bind(now_ms() - RETENTION_MS)
        .execute(&mut *c)
        .await?;
    let done = sqlx::query(
        "insert into webhook_deliveries (connection_id, delivery_key, workspace_id, provider, body, received_at)
         values ($1, $2, $3, $4, $5, $6) on conflict (connection_id, delivery_key) do nothing",
    )
    .bind(d.connection_id)
    .bind(d.key)
    .bind(d.workspace_id)
    .bind(d.provider)
    .bind(d.body)
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many deliveries a connection has received (tests, diagnostics).
pub async fn count(c: &mut Conn, connection_id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from webhook_deliveries where connection_id = $1")
        .bind(connection_id)
        .fetch_one(c)
        .await?;
    Ok(n)
}
