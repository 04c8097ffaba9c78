//! Webhook deliveries on SQLite.

use crate::Result;
use crate::webhooks::Delivery;
use sqlx::SqliteConnection;

/// Stores a delivery; false when its key is stored already.
pub(crate) async fn insert(c: &mut SqliteConnection, d: &Delivery<'_>, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "insert into webhook_deliveries (connection_id, delivery_key, workspace_id, provider, body, received_at)
         values ($1, $2, $3, $4, $5, $6) on conflict (connection_id, delivery_key) do nothing",
    )
    .bind(d.connection_id)
    .bind(d.key)
    .bind(d.workspace_id)
    .bind(d.provider)
    // Only the key deduplicates; the body, which may hold personal data, is not kept.
    .bind("")
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn count(c: &mut SqliteConnection, connection_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from webhook_deliveries where connection_id = $1")
        .bind(connection_id)
        .fetch_one(c)
        .await?)
}
