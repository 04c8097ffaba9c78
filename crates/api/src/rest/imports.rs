//! Imports (SPEC R2, R3): a provider target's people brought into a sequence,
//! once or every hour; listed, inspected, stopped, and their contacts read
//! back by the outreach app. A new contact's external id is
//! `<provider>-<person id>` (see `hiresync_engine::import`).

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::rest::connections;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::Target;
use hiresync_engine::import::{self, ImportRequest};
use hiresync_store::imports::{self, Import};
use hiresync_store::sequences;
use serde::Deserialize;
use serde_json::{Value, json};

/// Starts an import of a target's people into a sequence.
#[utoipa::path(post, path = "/v1/imports", tag = "bulk", responses(
    (status = 202, description = "Started: {id}"),
    (status = 404, description = "The connection is not the caller's to use"),
    (status = 422, description = "Unknown connection or sequence, or a target the provider does not have the shape of")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    let Some(obj) = body.as_object() else { return Err(ApiError::field("", "must be an object")) };
    let conn = connections::named(&state, &caller, "connection_id", obj.get("connection_id")).await?;
    if !connections::open(&state, &conn)?.is_some_and(|c| c.capabilities().list_people) {
        let why = format!("{} cannot list a target's people", conn.provider.display_name());
        return Err(ApiError::field("connection_id", why));
    }
    let target = match obj.get("target") {
        None | Some(Value::Null) => return Err(ApiError::field("target", "required: the target to import from")),
        Some(t) => Target::parse(conn.provider, t, "target")?,
    };
    let Some(sequence) = obj.get("sequence").and_then(Value::as_str) else {
        return Err(ApiError::field("sequence", "required: the sequence to enroll people in"));
    };
    let recurring = match obj.get("recurring") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::field("recurring", "must be true or false")),
    };
    let mut c = state.store.db().await?;
    if sequences::get(&mut c, &caller.workspace_id, sequence).await?.is_none() {
        return Err(ApiError::field("sequence", "unknown sequence: PUT /v1/sequences/{id} first"));
    }
    drop(c);
    let request = ImportRequest { connection: &conn, target: &target, sequence, recurring, created_by: &caller.id };
    let id = import::start(&state.store, &caller.workspace_id, &request).await?;
    state.wake.notify_one();
    Ok((StatusCode::ACCEPTED, axum::Json(json!({"id": id.as_str()}))))
}

/// The workspace's imports that are not stopped, newest first.
#[utoipa::path(get, path = "/v1/imports", tag = "bulk",
    responses((status = 200, description = "[import], as GET /v1/imports/{id} shows each")))]
pub async fn list(State(state): State<AppState>, Caller(caller): Caller) -> ApiResult<axum::Json<Value>> {
    let mut c = state.store.db().await?;
    let all = imports::list(&mut c, &caller.workspace_id).await?;
    Ok(axum::Json(all.iter().map(view).collect()))
}

/// One import with its counts and schedule.
#[utoipa::path(get, path = "/v1/imports/{id}", tag = "bulk", responses(
    (status = 200, description = "{id, state, recurring, target, sequence, imported, skipped_no_email, \
        already_present, last_run_at, next_run_at, ...}"),
    (status = 404, description = "No such import")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let mut c = state.store.db().await?;
    let found = imports::get(&mut c, &caller.workspace_id, &id).await?.ok_or(ApiError::NotFound("import"))?;
    Ok(axum::Json(view(&found)))
}

/// Stops an import: a pending run does nothing and no further run is scheduled.
#[utoipa::path(delete, path = "/v1/imports/{id}", tag = "bulk", responses(
    (status = 204, description = "Stopped"), (status = 403, description = "Not the caller's import"),
    (status = 404, description = "No such import")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut c = state.store.db().await?;
    let found = imports::get(&mut c, &caller.workspace_id, &id).await?.ok_or(ApiError::NotFound("import"))?;
    if found.created_by != caller.id.as_str() && !caller.role.administers() {
        return Err(ApiError::Forbidden("only its creator or an administrator may stop this import"));
    }
    imports::stop(&mut c, &caller.workspace_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Paging of an import's contacts.
#[derive(Deserialize)]
pub struct ContactPage {
    /// At most this many (1-1000, default 500).
    limit: Option<i64>,
    /// Skip this many.
    offset: Option<i64>,
}

/// The contacts an import brought into its sequence, for the outreach app to pull.
#[utoipa::path(get, path = "/v1/imports/{id}/contacts", tag = "bulk",
    params(("limit" = Option<i64>, Query, description = "1-1000, default 500"),
        ("offset" = Option<i64>, Query, description = "skip this many")),
    responses((status = 200, description = "[{external_id, person_id, outcome, emails, first_name, last_name}]"),
        (status = 404, description = "No such import")))]
pub async fn contacts(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(page): Query<ContactPage>,
) -> ApiResult<axum::Json<Value>> {
    let limit = page.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field("limit", "must be 1 to 1000"));
    }
    let offset = page.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::field("offset", "must not be negative"));
    }
    let mut c = state.store.db().await?;
    if imports::get(&mut c, &caller.workspace_id, &id).await?.is_none() {
        return Err(ApiError::NotFound("import"));
    }
    let rows = imports::contacts(&mut c, &caller.workspace_id, &id, limit, offset).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|r| {
                json!({"external_id": r.contact_id, "person_id": r.person_id, "outcome": r.outcome,
                    "emails": r.data.get("emails"), "first_name": r.data.get("first_name"),
                    "last_name": r.data.get("last_name")})
            })
            .collect(),
    ))
}

fn time(ms: Option<i64>) -> Option<String> {
    ms.and_then(chrono::DateTime::from_timestamp_millis).map(|t| t.to_rfc3339())
}

fn view(i: &Import) -> Value {
    json!({"id": i.id, "state": i.state, "recurring": i.recurring, "connection_id": i.connection_id,
        "target": i.target, "sequence": i.sequence, "imported": i.imported, "skipped_no_email": i.skipped_no_email,
        "already_present": i.already_present, "runs": i.runs, "last_run_at": time(i.last_run_at),
        "next_run_at": time(i.next_run_at), "last_error": i.last_error, "created_at": time(Some(i.created_at))})
}
