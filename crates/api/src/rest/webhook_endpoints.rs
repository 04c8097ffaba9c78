//! Webhooks out (API.md "Webhooks out"): owners and managers register the
//! outreach app's endpoints for the event types it wants, rotate their
//! signing secrets, read their recent deliveries and send one again.

use crate::base_url;
use crate::body::webhook_endpoints::{
    DeliveryPage, WebhookDeliveryOut, WebhookEndpointCreatedOut, WebhookEndpointIn, WebhookEndpointOut,
    WebhookSecretOut,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::EndpointId;
use hiresync_engine::outbox::EVENT_TYPES;
use hiresync_engine::webhook::{redeliver as send_again, sign};
use hiresync_store::now_ms;
use hiresync_store::webhooks_out::{self, Endpoint};
use hiresync_store::workspaces::User;
use secrecy::{ExposeSecret, SecretString};

/// Longest description kept.
const DESCRIPTION_MAX: usize = 500;

fn administer(caller: &User) -> ApiResult<()> {
    if caller.role.administers() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only owners and managers manage webhook endpoints"))
    }
}

/// The event types asked for, each known and named once, in the order given.
fn event_types(events: &[String]) -> ApiResult<Vec<String>> {
    if events.is_empty() {
        return Err(ApiError::field("events", "required: at least one event type"));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if !EVENT_TYPES.contains(&e.as_str()) {
            return Err(ApiError::field(
                format!("events[{i}]"),
                format!("unknown event type; one of {}", EVENT_TYPES.join(", ")),
            ));
        }
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    Ok(out)
}

/// Registers an endpoint; its signing secret is in the answer and never shown again.
#[utoipa::path(post, path = "/v1/webhook-endpoints", tag = "webhooks out", request_body = WebhookEndpointIn, responses(
    (status = 201, description = "Registered, with its secret", body = WebhookEndpointCreatedOut),
    (status = 403, description = "Only owners and managers"),
    (status = 422, description = "An invalid URL or an unknown event type")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<WebhookEndpointIn>,
) -> ApiResult<(StatusCode, Json<WebhookEndpointCreatedOut>)> {
    administer(&caller)?;
    let events = event_types(&body.events)?;
    if body.description.as_ref().is_some_and(|d| d.chars().count() > DESCRIPTION_MAX) {
        return Err(ApiError::field("description", format!("at most {DESCRIPTION_MAX} characters")));
    }
    let url = base_url::check(&body.url, state.allow_private_urls).await.map_err(|why| ApiError::field("url", why))?;
    let id = EndpointId::generate();
    let secret = sign::new_secret();
    let vault = state.clients.vault();
    let endpoint = Endpoint {
        id: id.as_str().to_owned(),
        workspace_id: caller.workspace_id.as_str().to_owned(),
        url: url.as_str().to_owned(),
        events,
        description: body.description,
        sealed_secret: vault.seal(id.as_str(), &secret),
        key_id: vault.key_id().to_owned(),
        created_at: now_ms(),
        failing_since: None,
        disabled_at: None,
        disabled_reason: None,
    };
    webhooks_out::insert_endpoint(&mut state.store.db().await?, &endpoint).await?;
    let out = WebhookEndpointCreatedOut {
        id: endpoint.id,
        url: endpoint.url,
        events: endpoint.events,
        description: endpoint.description,
        secret: secret.expose_secret().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(out)))
}

/// The workspace's endpoints, failing and disabled ones marked.
#[utoipa::path(get, path = "/v1/webhook-endpoints", tag = "webhooks out", responses(
    (status = 200, description = "The endpoints, oldest first", body = [WebhookEndpointOut]),
    (status = 403, description = "Only owners and managers")))]
pub async fn list(State(state): State<AppState>, Caller(caller): Caller) -> ApiResult<Json<Vec<WebhookEndpointOut>>> {
    administer(&caller)?;
    let all = webhooks_out::endpoints(&mut state.store.db().await?, caller.workspace_id.as_str()).await?;
    Ok(Json(all.iter().map(WebhookEndpointOut::from).collect()))
}

/// The path of one endpoint.
#[derive(utoipa::IntoParams)]
#[into_params(names("id"), parameter_in = Path)]
pub struct EndpointPath(
    /// The endpoint's id.
    pub String,
);

/// Removes an endpoint; its pending deliveries go with it.
#[utoipa::path(delete, path = "/v1/webhook-endpoints/{id}", tag = "webhooks out", params(EndpointPath), responses(
    (status = 204, description = "Removed"), (status = 403, description = "Only owners and managers"),
    (status = 404, description = "No such endpoint")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    administer(&caller)?;
    let mut db = state.store.db().await?;
    if webhooks_out::delete_endpoint(&mut db, caller.workspace_id.as_str(), &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("webhook endpoint"))
    }
}

/// Gives an endpoint a new signing secret, shown once; deliveries are signed with it from now on.
#[utoipa::path(post, path = "/v1/webhook-endpoints/{id}/rotate-secret", tag = "webhooks out", params(EndpointPath),
    responses((status = 200, description = "The new secret", body = WebhookSecretOut),
    (status = 403, description = "Only owners and managers"), (status = 404, description = "No such endpoint")))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookSecretOut>> {
    administer(&caller)?;
    let secret: SecretString = sign::new_secret();
    let vault = state.clients.vault();
    let sealed = vault.seal(&id, &secret);
    let mut db = state.store.db().await?;
    if !webhooks_out::set_secret(&mut db, caller.workspace_id.as_str(), &id, &sealed, vault.key_id()).await? {
        return Err(ApiError::NotFound("webhook endpoint"));
    }
    Ok(Json(WebhookSecretOut { id, secret: secret.expose_secret().to_owned() }))
}

/// An endpoint's most recent deliveries, with their attempts' outcome.
#[utoipa::path(get, path = "/v1/webhook-endpoints/{id}/deliveries", tag = "webhooks out",
    params(EndpointPath, DeliveryPage), responses(
    (status = 200, description = "Newest first", body = [WebhookDeliveryOut]),
    (status = 403, description = "Only owners and managers"), (status = 404, description = "No such endpoint"),
    (status = 422, description = "Invalid limit")))]
pub async fn deliveries(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(page): Query<DeliveryPage>,
) -> ApiResult<Json<Vec<WebhookDeliveryOut>>> {
    administer(&caller)?;
    let limit = page.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field("limit", "must be 1 to 200"));
    }
    let ws = caller.workspace_id.as_str();
    let mut db = state.store.db().await?;
    if webhooks_out::endpoint(&mut db, ws, &id).await?.is_none() {
        return Err(ApiError::NotFound("webhook endpoint"));
    }
    let rows = webhooks_out::deliveries(&mut db, ws, &id, limit).await?;
    Ok(Json(rows.iter().map(WebhookDeliveryOut::from).collect()))
}

/// The path of one delivery.
#[derive(utoipa::IntoParams)]
#[into_params(names("id"), parameter_in = Path)]
pub struct DeliveryPath(
    /// The delivery's id.
    pub String,
);

/// Sends a delivery again now, with a fresh retry schedule (the same `webhook-id`).
#[utoipa::path(post, path = "/v1/webhook-deliveries/{id}/redeliver", tag = "webhooks out", params(DeliveryPath),
    responses((status = 202, description = "Queued", body = WebhookDeliveryOut),
    (status = 403, description = "Only owners and managers"), (status = 404, description = "No such delivery"),
    (status = 409, description = "Its endpoint is disabled")))]
pub async fn redeliver(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<WebhookDeliveryOut>)> {
    administer(&caller)?;
    let ws = caller.workspace_id.as_str();
    let mut db = state.store.db().await?;
    let found = webhooks_out::delivery_of(&mut db, ws, &id).await?.ok_or(ApiError::NotFound("webhook delivery"))?;
    let endpoint = webhooks_out::endpoint(&mut db, ws, &found.endpoint_id).await?;
    if endpoint.is_none_or(|e| e.disabled_at.is_some()) {
        return Err(ApiError::Conflict("its endpoint is disabled: register it again to receive deliveries".into()));
    }
    drop(db);
    if !send_again(&state.store, ws, &id).await? {
        return Err(ApiError::NotFound("webhook delivery"));
    }
    state.wake.notify_one();
    let now = webhooks_out::delivery_of(&mut state.store.db().await?, ws, &id).await?;
    let now = now.ok_or(ApiError::NotFound("webhook delivery"))?;
    Ok((StatusCode::ACCEPTED, Json(WebhookDeliveryOut::from(&now))))
}
