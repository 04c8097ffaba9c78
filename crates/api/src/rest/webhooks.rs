//! Webhook receivers (SPEC B2-B4, R3): no bearer token, the connection's own
//! secret is the credential. The raw body is verified exactly as the provider
//! signs it (a bad or missing signature is a 401, and so is a connection with
//! no secret to verify with), recorded under its idempotency key so a replay
//! answers 200 and changes nothing, and turned into jobs; the answer goes out
//! as soon as that commits. The body is only a hint: the jobs read the
//! contract, the candidate or the person again, and only its ids are used.
//! Only the key is stored, never the body.

use crate::body::common::FreeForm;
use crate::body::webhooks::ReceivedOut;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, RawBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use hiresync_core::ProviderKind;
use hiresync_engine::contract::{Received, receive_oneflow, receive_teamtailor};
use hiresync_providers::teamtailor::webhook::Acceptance;
use hiresync_providers::{clockwork, greenhouse, oneflow, teamtailor};
use hiresync_store::StoreError;
use hiresync_store::connections::{self, Connection};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};

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
    let received = receive_teamtailor(&state.store, &conn, &key, candidate, event.arrived().as_ref()).await?;
    Ok(answer(&state, received))
}

/// A Greenhouse web hook (`Signature: sha256 <hex HMAC-SHA256 of the raw body>` under the
/// connection's `webhook_secret`), deduplicated on the digest of the body it signs. A person put
/// on (or moved within) a job a recurring import reads is brought into its sequence at once.
#[utoipa::path(post, path = "/v1/webhooks/greenhouse/{connection_id}", tag = "webhooks", security(()),
    params(("connection_id" = String, Path, description = "The Greenhouse connection"),
        ("Signature" = String, Header, description = "`sha256 <hex>`: Greenhouse's signature of the body")),
    request_body(content = FreeForm, description = "Greenhouse's delivery, verified over its raw bytes"), responses(
    (status = 200, description = "Received (or a replay, which changes nothing)", body = ReceivedOut),
    (status = 401, description = "The signature does not verify, or the connection has no webhook_secret"),
    (status = 404, description = "No such Greenhouse connection"),
    (status = 422, description = "Signed, but not a Greenhouse web hook event")))]
pub async fn greenhouse(
    State(state): State<AppState>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<ReceivedOut>> {
    let conn = connection(&state, &connection_id, ProviderKind::Greenhouse).await?;
    let secret = webhook_secret(&state, &conn)?;
    let signature = headers.get("signature").and_then(|v| v.to_str().ok());
    let event =
        greenhouse::webhook::parse(secret.expose_secret().as_bytes(), &body, signature).map_err(|e| match e {
            greenhouse::webhook::WebhookError::BadPayload(why) => ApiError::field("body", why),
            e => ApiError::BadSignature(format!("the delivery does not verify: {e}")),
        })?;
    // Greenhouse-Event-ID is not signed: what the signature covers identifies a delivery.
    let key = format!("greenhouse:{}", digest(&body));
    let received = hiresync_engine::import::receive(&state.store, &conn, &key, event.arrived().as_ref()).await?;
    Ok(answer(&state, received))
}

/// Where a Clockwork hook URL carries the connection's secret.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HookToken {
    /// The connection's `webhook_secret`, put in the hook URL given to Clockwork: Clockwork
    /// signs nothing, so the URL is what is verified.
    pub token: Option<String>,
}

/// A Clockwork webhook (`candidacy_updated`). Clockwork signs nothing (`[U]`), so the hook URL
/// carries the connection's `webhook_secret` as `?token=`, checked in constant time; a delivery
/// is deduplicated on its candidacy and `updated_at`.
#[utoipa::path(post, path = "/v1/webhooks/clockwork/{connection_id}", tag = "webhooks", security(()),
    params(("connection_id" = String, Path, description = "The Clockwork connection"), HookToken),
    request_body(content = FreeForm, description = "Clockwork's delivery"), responses(
    (status = 200, description = "Received (or a replay, which changes nothing)", body = ReceivedOut),
    (status = 401, description = "The hook URL's token is not the connection's webhook_secret, or it has none"),
    (status = 404, description = "No such Clockwork connection"),
    (status = 422, description = "Not a Clockwork webhook event")))]
pub async fn clockwork(
    State(state): State<AppState>,
    Path(connection_id): Path<String>,
    Query(hook): Query<HookToken>,
    RawBody(body): RawBody,
) -> ApiResult<Json<ReceivedOut>> {
    let conn = connection(&state, &connection_id, ProviderKind::Clockwork).await?;
    let secret = webhook_secret(&state, &conn)?;
    clockwork::webhook::verify_token(secret.expose_secret(), hook.token.as_deref())
        .map_err(|e| ApiError::BadSignature(format!("the delivery does not verify: {e}")))?;
    let event = clockwork::webhook::parse(&body).map_err(|e| ApiError::field("body", e.to_string()))?;
    let key = format!("clockwork:{}", event.dedupe_key());
    let received = hiresync_engine::import::receive(&state.store, &conn, &key, event.arrived().as_ref()).await?;
    Ok(answer(&state, received))
}

/// The connection's webhook secret; a connection without one cannot verify anything (401).
fn webhook_secret(state: &AppState, conn: &Connection) -> ApiResult<SecretString> {
    match state.clients.webhook_secret(conn) {
        Ok(Some(secret)) => Ok(secret),
        Ok(None) => Err(ApiError::BadSignature(
            "the connection has no webhook_secret to verify deliveries with; set one with PATCH /v1/connections/{id}"
                .into(),
        )),
        Err(e) => Err(ApiError::Internal(e.to_string())),
    }
}

/// The hex SHA-256 of a body: a delivery's key where the provider sends no signed id.
fn digest(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
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
