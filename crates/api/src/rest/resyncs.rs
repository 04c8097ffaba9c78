//! `POST /v1/resyncs` and `GET /v1/resyncs/{id}` (SPEC R1): sync the contacts
//! of a list or a sequence that were never synced to a connection, backfill
//! their activity, and show the progress.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::rest::connections;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::{FieldError, ValidationError};
use hiresync_engine::resync::{self, ResyncRequest, Scope};
use hiresync_store::workspaces::User;
use hiresync_store::{contacts, resyncs, sequences};
use serde_json::{Value, json};

/// Most contacts one resync may name; a sequence has no limit.
pub const MAX_CONTACTS: usize = 10_000;

/// Starts a resync of a list of contacts or of a sequence's contacts.
#[utoipa::path(post, path = "/v1/resyncs", tag = "bulk", responses(
    (status = 202, description = "Started: {id}"),
    (status = 404, description = "The connection is not the caller's to use"),
    (status = 422, description = "Unknown connection, contact or sequence; both or neither of contacts and sequence")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    let Some(obj) = body.as_object() else { return Err(ApiError::field("", "must be an object")) };
    let conn = connections::named(&state, &caller, "connection_id", obj.get("connection_id")).await?;
    let list = obj.get("contacts").filter(|v| !v.is_null());
    let sequence = obj.get("sequence").filter(|v| !v.is_null());
    let scope = match (list, sequence) {
        (Some(_), Some(_)) => return Err(ApiError::field("sequence", "give either contacts or sequence, not both")),
        (None, None) => return Err(ApiError::field("contacts", "required: a list of contact ids, or a sequence")),
        (Some(list), None) => Scope::Contacts(known_contacts(&state, &caller, list).await?),
        (None, Some(seq)) => {
            let Some(seq) = seq.as_str() else { return Err(ApiError::field("sequence", "must be a sequence id")) };
            let mut c = state.store.db().await?;
            if sequences::get(&mut c, &caller.workspace_id, seq).await?.is_none() {
                return Err(ApiError::field("sequence", "unknown sequence: PUT /v1/sequences/{id} first"));
            }
            Scope::Sequence(seq.to_owned())
        }
    };
    let request = ResyncRequest { connection: &conn, scope, created_by: &caller.id };
    let started = resync::start(&state.store, &caller.workspace_id, &request).await?;
    if started.jobs > 0 {
        state.wake.notify_one();
    }
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"id": started.id.as_str()}))))
}

/// The listed contact ids, each known to the workspace; every unknown one is named.
async fn known_contacts(state: &AppState, caller: &User, list: &Value) -> ApiResult<Vec<String>> {
    let Some(items) = list.as_array().filter(|a| !a.is_empty() && a.len() <= MAX_CONTACTS) else {
        return Err(ApiError::field("contacts", format!("must be a list of 1 to {MAX_CONTACTS} contact ids")));
    };
    let mut c = state.store.db().await?;
    let mut out = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("contacts[{i}]");
        match item.as_str() {
            None => errors.push(FieldError { field, message: "must be a contact id".into() }),
            Some(id) if contacts::get(&mut c, &caller.workspace_id, id).await?.is_none() => {
                errors.push(FieldError { field, message: "unknown contact: PUT /v1/contacts/{id} first".into() });
            }
            Some(id) => out.push(id.to_owned()),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(ApiError::Invalid(ValidationError { errors })) }
}

/// A resync's progress.
#[utoipa::path(get, path = "/v1/resyncs/{id}", tag = "bulk", responses(
    (status = 200, description = "{id, state: running|done, total, done, synced, skipped, failed, ...}"),
    (status = 404, description = "No such resync")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let mut c = state.store.db().await?;
    let r = resyncs::get(&mut c, &caller.workspace_id, &id).await?.ok_or(ApiError::NotFound("resync"))?;
    Ok(axum::Json(json!({
        "id": r.id, "state": if r.done() < r.total { "running" } else { "done" },
        "connection_id": r.connection_id, "sequence": r.sequence,
        "total": r.total, "done": r.done(), "synced": r.synced, "skipped": r.skipped, "failed": r.failed,
        "created_at": chrono::DateTime::from_timestamp_millis(r.created_at).map(|t| t.to_rfc3339()),
    })))
}

/// Each contact of a resync with its outcome and the reason for a skip or failure.
#[utoipa::path(get, path = "/v1/resyncs/{id}/contacts", tag = "bulk", responses(
    (status = 200, description = "[{contact, state: queued|running|synced|skipped|failed, reason}]"),
    (status = 404, description = "No such resync")))]
pub async fn contacts(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let mut c = state.store.db().await?;
    if resyncs::get(&mut c, &caller.workspace_id, &id).await?.is_none() {
        return Err(ApiError::NotFound("resync"));
    }
    let items = resyncs::items(&mut c, &caller.workspace_id, &id).await?;
    Ok(axum::Json(
        items.into_iter().map(|i| json!({"contact": i.contact_id, "state": i.outcome, "reason": i.reason})).collect(),
    ))
}
