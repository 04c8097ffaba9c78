//! `PUT /v1/contacts/{external_id}`, its sync state per connection
//! (`GET .../sync`, SPEC L2) and its sync log (`GET .../log`, SPEC L4).

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, query_pairs};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use hiresync_core::ContactIn;
use hiresync_core::decision::SyncState;
use hiresync_core::validation::is_external_id;
use hiresync_store::{connections, contacts, events, sync_log};
use serde_json::{Value, json};

/// Creates or replaces a contact.
#[utoipa::path(put, path = "/v1/contacts/{external_id}", tag = "contacts", responses(
    (status = 200, description = "Replaced"), (status = 201, description = "Created"),
    (status = 422, description = "Invalid fields")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    if !is_external_id(&external_id) {
        return Err(ApiError::field("external_id", "must be 1 to 255 characters"));
    }
    let contact = ContactIn::parse(&body)?;
    let data = serde_json::to_value(&contact).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut c = state.store.db().await?;
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
    let mut c = state.store.db().await?;
    if contacts::get(&mut c, ws, &external_id).await?.is_none() {
        return Err(ApiError::NotFound("contact"));
    }
    let conns = connections::list(&mut c, ws).await?;
    let states = events::sync_states(&mut c, ws, &external_id).await?;
    let out: Vec<Value> = states
        .into_iter()
        .filter(|s| s.state != SyncState::None)
        .map(|s| {
            let provider = conns.iter().find(|k| k.id == s.connection_id).map(|k| k.provider);
            let open_label = s.person_url.as_ref().and(provider).map(|p| format!("Open in {}", p.display_name()));
            json!({"connection_id": s.connection_id.as_str(), "provider": provider.map(|p| p.as_str()),
                "state": events::state_name(s.state), "reason": s.reason, "person_id": s.person_id,
                "person_url": s.person_url, "open_label": open_label, "target": s.target, "errors": s.errors})
        })
        .collect();
    Ok(axum::Json(Value::Array(out)))
}

/// Log entries returned unless `?limit=` says otherwise.
const LOG_LIMIT: i64 = 200;
/// Most log entries one request may ask for.
const LOG_MAX: i64 = 1000;

/// The provider work done for the contact and its outcome, newest first (SPEC L4).
#[utoipa::path(get, path = "/v1/contacts/{external_id}/log", tag = "contacts",
    params(("limit" = Option<i64>, Query, description = "At most this many entries (1 to 1000, default 200)")),
    responses(
        (status = 200, description = "[{at, connection_id, provider, job_id, operation, outcome, detail}]; \
            a failed job's `job_id` can be retried with POST /v1/jobs/{id}/retry"),
        (status = 404, description = "No such contact"), (status = 422, description = "Invalid limit")))]
pub async fn log(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<axum::Json<Value>> {
    let limit = match query_pairs(query.as_deref()).into_iter().find(|(k, _)| k == "limit") {
        None => LOG_LIMIT,
        Some((_, v)) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=LOG_MAX).contains(n))
            .ok_or_else(|| ApiError::field("limit", "must be a whole number from 1 to 1000"))?,
    };
    let ws = &caller.workspace_id;
    let mut c = state.store.db().await?;
    if contacts::get(&mut c, ws, &external_id).await?.is_none() {
        return Err(ApiError::NotFound("contact"));
    }
    let conns = connections::list_all(&mut c, ws).await?;
    let entries = sync_log::recent_for_contact(&mut c, ws.as_str(), &external_id, limit).await?;
    let out: Vec<Value> = entries
        .into_iter()
        .map(|e| {
            let provider = e
                .connection_id
                .as_deref()
                .and_then(|id| conns.iter().find(|k| k.id.as_str() == id))
                .map(|k| k.provider.as_str());
            json!({"at": chrono::DateTime::from_timestamp_millis(e.at).map(|t| t.to_rfc3339()),
                "connection_id": e.connection_id, "provider": provider, "job_id": e.job_id,
                "operation": e.operation, "outcome": e.outcome, "detail": e.detail})
        })
        .collect();
    Ok(axum::Json(Value::Array(out)))
}
