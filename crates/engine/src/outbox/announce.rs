//! Writing an event to the outbox: one delivery per endpoint of the workspace
//! that wants its type, each with the job that sends it, on the caller's
//! transaction.

use super::Event;
use hiresync_core::{DeliveryId, MessageId};
use hiresync_store::queue::{self, NewJob, PRIORITY_INTERACTIVE};
use hiresync_store::webhooks_out::{self, NewDelivery};
use hiresync_store::{Db, StoreError, now_ms};
use serde::Serialize;

/// The stored kind of the job that sends a delivery (see [`crate::webhook::DeliverWebhook`]).
pub const DELIVERY_KIND: &str = "deliver_webhook_v1";

/// Attempts a delivery job gets at its own bookkeeping (the database failing under it); the
/// endpoint's failures are counted on the delivery, by its retry schedule.
const JOB_ATTEMPTS: i64 = 10;

/// The body sent: `{"type", "timestamp", "data"}`.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(flatten)]
    event: &'a Event,
    timestamp: String,
}

#[derive(Serialize)]
struct Payload<'a> {
    kind: &'static str,
    delivery_id: &'a str,
}

/// Each delivery is its own ordering key: one endpoint's failing delivery, waiting hours for its
/// next try, holds back neither its later deliveries nor anyone else's.
pub fn delivery_ordering_key(delivery_id: &str) -> String {
    format!("webhook:{delivery_id}")
}

/// The queue row of the job that makes the next attempt at a delivery, due at `run_at`.
pub(crate) fn delivery_job(workspace_id: &str, delivery_id: &str, run_at: i64) -> Result<NewJob, StoreError> {
    let payload = serde_json::to_string(&Payload { kind: DELIVERY_KIND, delivery_id })
        .map_err(|e| StoreError::Corrupt { column: "jobs.payload", message: e.to_string() })?;
    Ok(NewJob {
        workspace_id: workspace_id.to_owned(),
        connection_id: None,
        contact_id: None,
        ordering_key: delivery_ordering_key(delivery_id),
        kind: DELIVERY_KIND.to_owned(),
        payload,
        priority: PRIORITY_INTERACTIVE,
        max_attempts: JOB_ATTEMPTS,
        run_at,
    })
}

/// In the caller's transaction: stores `event` for every enabled endpoint of `workspace` that
/// wants its type, with the jobs that send it; returns how many deliveries it made.
pub async fn announce(db: &mut Db, workspace: &str, event: &Event) -> Result<usize, StoreError> {
    let endpoints = webhooks_out::subscribers(db, workspace, event.name()).await?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let message_id = MessageId::generate();
    let timestamp = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let body = serde_json::to_string(&Body { event, timestamp })
        .map_err(|e| StoreError::Corrupt { column: "webhook_out_deliveries.body", message: e.to_string() })?;
    let ids: Vec<DeliveryId> = endpoints.iter().map(|_| DeliveryId::generate()).collect();
    let rows: Vec<NewDelivery<'_>> = endpoints
        .iter()
        .zip(&ids)
        .map(|(e, id)| NewDelivery {
            id: id.as_str(),
            workspace_id: workspace,
            endpoint_id: &e.id,
            message_id: message_id.as_str(),
            event_type: event.name(),
            body: &body,
        })
        .collect();
    webhooks_out::insert_deliveries(db, &rows).await?;
    let now = now_ms();
    let jobs = ids.iter().map(|id| delivery_job(workspace, id.as_str(), now)).collect::<Result<Vec<_>, _>>()?;
    queue::enqueue_many(db, &jobs).await?;
    tracing::debug!(workspace_id = workspace, event = event.name(), message_id = %message_id,
        endpoints = ids.len(), "Event written to the outbox.");
    Ok(ids.len())
}
