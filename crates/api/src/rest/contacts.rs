//! `PUT /v1/contacts/{external_id}` and `GET /v1/contacts/{external_id}/sync`.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hiresync_core::ContactIn;
use hiresync_core::decision::SyncState;
use hiresync_core::validation::is_external_id;
use hiresync_store::{connections, contacts, events};
use serde_json::{Value, json};

/// Creates or replaces a contact.
#[utoipa::path(put, path = "/v1/contacts/{external_id}", tag = "contacts", responses(
    (status = 200, description = "Replaced"), (status = 201, description = "Created"),
    (status = 422, description = "Invalid fields")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    if !is_external_id(&external_id) {
        return Err(ApiError::field("external_id", "must be 1 to 255 characters"));
    }
    let contact = ContactIn::parse(&body)?;
    let data = serde_json::to_value(&contact).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut c = state.store.conn().await?;
    let created = contacts::upsert(&mut c, &caller.workspace_id, &external_id, &data).await?;
    let mut out = data;
    out["external_id"] = external_id.into();
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, axum::Json(out)))
}

/// The contact's sync state with each connection (SPEC L2).
#[utoipa::path(get, path = "/v1/contacts/{external_id}/sync", tag = "contacts", responses(
    (status = 200, description = "[{connection_id, provider, state, reason, person_id, person_url, target, errors}]"),
    (status = 404, description = "No such contact")))]
pub async fn sync(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let ws = &caller.workspace_id;
    let mut c = state.store.conn().await?;
    if contacts::get(&mut c, ws, &external_id).await?.is_none() {
        return Err(ApiError::NotFound("contact"));
    }
    let conns = connections::list(&mut c, ws).await?;
    let states = events::sync_states(&mut c, ws, &external_id).await?;
    let out: Vec<Value> = states
        .into_iter()
        .filter(|s| s.state != SyncState::None)
        .map(|s| {
            let provider = conns.iter().find(|k| k.id == s.connection_id).map(|k| k.provider.as_str());
            json!({"connection_id": s.connection_id.as_str(), "provider": provider,
                "state": events::state_name(s.state), "reason": s.reason, "person_id": s.person_id,
                "person_url": s.person_url, "target": s.target, "errors": s.errors})
        })
        .collect();
    Ok(axum::Json(Value::Array(out)))
}
