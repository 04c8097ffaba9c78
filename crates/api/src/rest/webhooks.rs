//! Webhook receivers (SPEC B2-B4): no bearer token, the connection's own
//! secret is the credential. The raw body is verified exactly as the provider
//! signs it (a bad or missing signature is a 401), recorded under its
//! idempotency key so a replay answers 200 and changes nothing, and turned
//! into jobs; the answer goes out as soon as that commits. The body is only a
//! hint: the jobs read the contract and the candidate again.

use crate::body::common::FreeForm;
use crate::body::webhooks::ReceivedOut;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, RawBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use hiresync_core::ProviderKind;
use hiresync_engine::contract::{Received, receive_oneflow, receive_teamtailor};
use hiresync_providers::teamtailor::webhook::Acceptance;
use hiresync_providers::{oneflow, teamtailor};
use hiresync_store::StoreError;
use hiresync_store::connections::{self, Connection};
use secrecy::ExposeSecret;

/// An Oneflow notification (`sha1(callback_id + sign_key)` in the body), deduplicated on `callback_id`.
#[utoipa::path(post, path = "/v1/webhooks/oneflow/{connection_id}", tag = "webhooks", security(()),
    params(("connection_id" = String, Path, description = "The Oneflow connection")),
    request_body(content = FreeForm, description = "Oneflow's notification, verified over its raw bytes"), responses(
    (status = 200, description = "Received (or a replay, which changes nothing)", body = ReceivedOut),
    (status = 401, description = "The signature does not verify"),
    (status = 404, description = "No such Oneflow connection")))]
pub async fn oneflow(
    State(state): State<AppState>,
    Path(connection_id): Path<String>,
    RawBody(body): RawBody,
) -> ApiResult<Json<ReceivedOut>> {
    let conn = connection(&state, &connection_id, ProviderKind::Oneflow).await?;
    let client = state.clients.oneflow(&conn).map_err(|e| ApiError::Internal(e.to_string()))?;
    let notification = oneflow::webhook::parse(client.config().credentials.webhook_secret.expose_secret(), &body)
        .map_err(|e| ApiError::BadSignature(format!("the notification does not verify: {e}")))?;
    let events: Vec<i64> = notification.events.iter().map(|e| e.id).collect();
    let received =
        receive_oneflow(&state.store, &conn, &notification.callback_id, notification.contract.id, &events).await?;
    Ok(answer(&state, received))
}

/// A Teamtailor company webhook (`TT-Signature` v2, signed within 5 minutes; v1 only when the
/// credentials set `webhook_v1`), deduplicated on what its signature covers.
#[utoipa::path(post, path = "/v1/webhooks/teamtailor/{connection_id}", tag = "webhooks", security(()),
    params(("connection_id" = String, Path, description = "The Teamtailor connection"),
        ("TT-Signature" = String, Header, description = "Teamtailor's signature of the body")),
    request_body(content = FreeForm, description = "Teamtailor's delivery, verified over its raw bytes"), responses(
    (status = 200, description = "Received (or a replay, which changes nothing)", body = ReceivedOut),
    (status = 401, description = "The signature does not verify, or the connection has no webhook_secret"),
    (status = 404, description = "No such Teamtailor connection")))]
pub async fn teamtailor(
    State(state): State<AppState>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<ReceivedOut>> {
    let conn = connection(&state, &connection_id, ProviderKind::Teamtailor).await?;
    let client = state.clients.teamtailor(&conn).map_err(|e| ApiError::Internal(e.to_string()))?;
    let Some(secret) = client.config().credentials.webhook_secret.as_ref() else {
        return Err(ApiError::BadSignature("the connection has no webhook_secret to verify deliveries with".into()));
    };
    let signature = headers.get("tt-signature").and_then(|v| v.to_str().ok());
    let accept = Acceptance { now: chrono::Utc::now().timestamp(), v1: client.config().credentials.webhook_v1 };
    let event = teamtailor::webhook::parse(secret.expose_secret().as_bytes(), &body, signature, accept)
        .map_err(|e| ApiError::BadSignature(format!("the delivery does not verify: {e}")))?;
    // Teamtailor sends no delivery id; what its signature covers identifies a delivery.
    let key = format!("teamtailor:{}", event.delivery_key);
    let candidate =
        (event.kind == "candidates" && event.event_name != "candidate.destroy").then_some(event.id.as_str());
    let received = receive_teamtailor(&state.store, &conn, &key, candidate).await?;
    Ok(answer(&state, received))
}

/// The live connection the path names, if it is of `provider`; anything else is a 404.
async fn connection(state: &AppState, id: &str, provider: ProviderKind) -> ApiResult<Connection> {
    let mut c = state.store.db().await?;
    match connections::find(&mut c, id).await {
        Ok(conn) if conn.provider == provider => Ok(conn),
        Ok(_) | Err(StoreError::NotFound) => Err(ApiError::NotFound("connection")),
        Err(e) => Err(e.into()),
    }
}

fn answer(state: &AppState, received: Received) -> Json<ReceivedOut> {
    if received.jobs > 0 {
        state.wake.notify_one();
    }
    Json(ReceivedOut { received: true, duplicate: received.duplicate, jobs: received.jobs })
}
