//! Webhooks out (API.md "Webhooks out"): the endpoints a workspace registers
//! for the event types it wants, and the outbox of deliveries to them. A
//! delivery is stored in the transaction of the state change it reports, with
//! the job that sends it, and then records every attempt at sending it.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};

/// A delivery waiting for its next attempt.
pub const PENDING: &str = "pending";
/// A delivery the endpoint answered with a 2xx.
pub const DELIVERED: &str = "delivered";
/// A delivery that used up its retry schedule, or whose endpoint was disabled or refused it for good.
pub const FAILED: &str = "failed";

/// An endpoint of the outreach app, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// Its id (`whe_...`).
    pub id: String,
    /// Its workspace.
    pub workspace_id: String,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<String>,
    /// The caller's note on it.
    pub description: Option<String>,
    /// Its signing secret, sealed by the vault under `key_id`.
    pub sealed_secret: String,
    /// The master key that sealed the secret.
    pub key_id: String,
    /// When it was registered (epoch ms).
    pub created_at: i64,
    /// Since when its deliveries fail without one succeeding (epoch ms).
    pub failing_since: Option<i64>,
    /// When it was disabled (epoch ms); a disabled endpoint gets no deliveries.
    pub disabled_at: Option<i64>,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
}

/// A delivery to store.
#[derive(Clone, Debug)]
pub struct NewDelivery<'a> {
    /// Its id (`whd_...`).
    pub id: &'a str,
    /// Its workspace.
    pub workspace_id: &'a str,
    /// The endpoint it goes to.
    pub endpoint_id: &'a str,
    /// The `webhook-id`: one per event, the same for every endpoint.
    pub message_id: &'a str,
    /// The event type.
    pub event_type: &'a str,
    /// The body as it is signed and sent.
    pub body: &'a str,
}

/// A delivery and where its attempts stand.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Delivery {
    /// Its id.
    pub id: String,
    /// Its workspace.
    pub workspace_id: String,
    /// The endpoint it goes to.
    pub endpoint_id: String,
    /// The `webhook-id`.
    pub message_id: String,
    /// The event type.
    pub event_type: String,
    /// The body as it is signed and sent.
    pub body: String,
    /// [`PENDING`], [`DELIVERED`] or [`FAILED`].
    pub state: String,
    /// Attempts made since it was stored or last redelivered.
    pub attempts: i64,
    /// When the next attempt is due (epoch ms), while pending.
    pub next_attempt_at: Option<i64>,
    /// When the last attempt was made (epoch ms).
    pub last_attempt_at: Option<i64>,
    /// The endpoint's HTTP status at the last attempt, when it answered.
    pub response_status: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was stored (epoch ms).
    pub created_at: i64,
    /// When the endpoint took it (epoch ms).
    pub delivered_at: Option<i64>,
}

/// One attempt's result, to record on its delivery.
#[derive(Clone, Debug)]
pub struct Attempt<'a> {
    /// The delivery's state after it.
    pub state: &'a str,
    /// The endpoint's HTTP status, when it answered.
    pub response_status: Option<i64>,
    /// Why it failed.
    pub error: Option<&'a str>,
    /// When the next attempt is due, if there is one.
    pub next_attempt_at: Option<i64>,
}

/// Stores an endpoint.
pub async fn insert_endpoint(db: &mut Db, e: &Endpoint) -> Result<()> {
    on_backend!(db, webhooks_out::insert_endpoint(e))
}

/// The workspace's endpoints, oldest first.
pub async fn endpoints(db: &mut Db, workspace: &str) -> Result<Vec<Endpoint>> {
    on_backend!(db, webhooks_out::endpoints(workspace, None))
}

/// One endpoint of the workspace.
pub async fn endpoint(db: &mut Db, workspace: &str, id: &str) -> Result<Option<Endpoint>> {
    Ok(on_backend!(db, webhooks_out::endpoints(workspace, Some(id)))?.pop())
}

/// The workspace's endpoints that are enabled and receive `event_type`.
pub async fn subscribers(db: &mut Db, workspace: &str, event_type: &str) -> Result<Vec<Endpoint>> {
    let all = endpoints(db, workspace).await?;
    Ok(all.into_iter().filter(|e| e.disabled_at.is_none() && e.events.iter().any(|t| t == event_type)).collect())
}

/// Deletes an endpoint and its deliveries; false when the workspace has no such endpoint.
pub async fn delete_endpoint(db: &mut Db, workspace: &str, id: &str) -> Result<bool> {
    on_backend!(db, webhooks_out::delete_endpoint(workspace, id))
}

/// Replaces an endpoint's sealed secret; false when the workspace has no such endpoint.
pub async fn set_secret(db: &mut Db, workspace: &str, id: &str, sealed: &str, key_id: &str) -> Result<bool> {
    on_backend!(db, webhooks_out::set_secret(workspace, id, sealed, key_id))
}

/// Notes a failed attempt on the endpoint: it fails since now, unless it already did.
pub async fn endpoint_failed(db: &mut Db, id: &str) -> Result<()> {
    on_backend!(db, webhooks_out::endpoint_failed(id, now_ms()))
}

/// Notes a delivery the endpoint took: it no longer fails.
pub async fn endpoint_succeeded(db: &mut Db, id: &str) -> Result<()> {
    on_backend!(db, webhooks_out::endpoint_succeeded(id))
}

/// Disables an endpoint for `reason`; its pending deliveries are failed with it.
pub async fn disable_endpoint(db: &mut Db, id: &str, reason: &str) -> Result<()> {
    on_backend!(db, webhooks_out::disable_endpoint(id, reason, now_ms()))
}

/// Stores deliveries, pending and due now.
pub async fn insert_deliveries(db: &mut Db, deliveries: &[NewDelivery<'_>]) -> Result<()> {
    let now = now_ms();
    for d in deliveries {
        on_backend!(db, webhooks_out::insert_delivery(d, now))?;
    }
    Ok(())
}

/// A delivery, in any workspace (its job names it).
pub async fn delivery(db: &mut Db, id: &str) -> Result<Option<Delivery>> {
    on_backend!(db, webhooks_out::delivery(None, id))
}

/// A delivery of this workspace.
pub async fn delivery_of(db: &mut Db, workspace: &str, id: &str) -> Result<Option<Delivery>> {
    on_backend!(db, webhooks_out::delivery(Some(workspace), id))
}

/// Records an attempt at a delivery, counting it.
pub async fn record_attempt(db: &mut Db, id: &str, a: &Attempt<'_>) -> Result<()> {
    on_backend!(db, webhooks_out::record_attempt(id, a, now_ms()))
}

/// Makes a delivery pending again with a fresh retry schedule, due now.
pub async fn redeliver(db: &mut Db, workspace: &str, id: &str) -> Result<bool> {
    on_backend!(db, webhooks_out::redeliver(workspace, id, now_ms()))
}

/// An endpoint's most recent deliveries, newest first.
pub async fn deliveries(db: &mut Db, workspace: &str, endpoint_id: &str, limit: i64) -> Result<Vec<Delivery>> {
    on_backend!(db, webhooks_out::deliveries(workspace, endpoint_id, limit))
}

/// Every endpoint's sealed secret as (id, key_id, sealed), across workspaces (`hiresync rekey`).
pub async fn sealed_secrets(db: &mut Db) -> Result<Vec<(String, String, String)>> {
    on_backend!(db, webhooks_out::sealed_secrets())
}

/// Replaces an endpoint's sealed secret with one sealed under `key_id`, only while it is still
/// `was` (a rotation meanwhile wins); false otherwise.
pub async fn replace_secret(db: &mut Db, id: &str, was: &str, key_id: &str, sealed: &str) -> Result<bool> {
    on_backend!(db, webhooks_out::replace_secret(id, was, key_id, sealed))
}
