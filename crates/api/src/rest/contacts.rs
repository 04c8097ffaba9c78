//! `PUT /v1/contacts/{external_id}`, its sync state per connection
//! (`GET .../sync`, SPEC L2), its sync log (`GET .../log`, SPEC L4) and what
//! a sync to one connection would write now (`GET .../preview`).

use crate::body::common::rfc3339;
use crate::body::contacts::{ContactIn, ContactOut, LogEntryOut, LogQuery, PreviewOut, PreviewQuery, SyncOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::decision::SyncState;
use hiresync_core::validation::is_external_id;
use hiresync_engine::JobError;
use hiresync_engine::job::Context;
use hiresync_store::{connections, contacts, events, sync_log};

/// Creates or replaces a contact.
#[utoipa::path(put, path = "/v1/contacts/{external_id}", tag = "contacts", params(ContactPath),
    request_body = ContactIn, responses(
    (status = 200, description = "Replaced", body = ContactOut),
    (status = 201, description = "Created", body = ContactOut),
    (status = 422, description = "Invalid fields")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    Json(body): Json<ContactIn>,
) -> ApiResult<(StatusCode, Json<ContactOut>)> {
    if !is_external_id(&external_id) {
        return Err(ApiError::field("external_id", "must be 1 to 255 characters"));
    }
    // Core holds the rules beyond types (lengths, emails), naming every field at fault at once.
    let mut contact = hiresync_core::ContactIn::parse(&body.to_json())?;
    contact.field_values = super::fields::checked_values(&state, &caller, &contact.field_values).await?;
    let data = serde_json::to_value(&contact).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut c = state.store.db().await?;
    let created = contacts::upsert(&mut c, &caller.workspace_id, &external_id, &data).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(ContactOut::new(external_id, contact))))
}

/// The path of one contact.
#[derive(utoipa::IntoParams)]
#[into_params(names("external_id"), parameter_in = Path)]
pub struct ContactPath(
    /// The outreach app's id for the contact (1 to 255 characters).
    pub String,
);

/// The contact's sync state with each connection (SPEC L2).
#[utoipa::path(get, path = "/v1/contacts/{external_id}/sync", tag = "contacts", params(ContactPath), responses(
    (status = 200, description = "The contact's state with each connection it was decided for", body = [SyncOut]),
    (status = 404, description = "No such contact")))]
pub async fn sync(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
) -> ApiResult<Json<Vec<SyncOut>>> {
    let ws = &caller.workspace_id;
    let mut c = state.store.db().await?;
    if contacts::get(&mut c, ws, &external_id).await?.is_none() {
        return Err(ApiError::NotFound("contact"));
    }
    let conns = connections::list(&mut c, ws).await?;
    let states = events::sync_states(&mut c, ws, &external_id).await?;
    let out = states
        .into_iter()
        .filter(|s| s.state != SyncState::None)
        .map(|s| {
            let provider = conns.iter().find(|k| k.id == s.connection_id).map(|k| k.provider);
            let open_label = s.person_url.as_ref().and(provider).map(|p| format!("Open in {}", p.display_name()));
            SyncOut {
                connection_id: s.connection_id.as_str().to_owned(),
                provider: provider.map(Into::into),
                state: events::state_name(s.state).into(),
                reason: s.reason,
                person_id: s.person_id,
                person_url: s.person_url,
                open_label,
                target: s.target,
                errors: s.errors,
            }
        })
        .collect();
    Ok(Json(out))
}

/// Log entries returned unless `?limit=` says otherwise.
const LOG_LIMIT: i64 = 200;
/// Most log entries one request may ask for.
const LOG_MAX: i64 = 1000;

/// The provider work done for the contact and its outcome, newest first (SPEC L4).
#[utoipa::path(get, path = "/v1/contacts/{external_id}/log", tag = "contacts", params(ContactPath, LogQuery),
    responses(
        (status = 200, description = "The entries, newest first; a failed job's `job_id` can be retried with \
            POST /v1/jobs/{id}/retry", body = [LogEntryOut]),
        (status = 404, description = "No such contact"), (status = 422, description = "Invalid limit")))]
pub async fn log(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    Query(query): Query<LogQuery>,
) -> ApiResult<Json<Vec<LogEntryOut>>> {
    let limit = query.limit.unwrap_or(LOG_LIMIT);
    if !(1..=LOG_MAX).contains(&limit) {
        return Err(ApiError::field("limit", "must be a whole number from 1 to 1000"));
    }
    let ws = &caller.workspace_id;
    let mut c = state.store.db().await?;
    if contacts::get(&mut c, ws, &external_id).await?.is_none() {
        return Err(ApiError::NotFound("contact"));
    }
    let conns = connections::list_all(&mut c, ws).await?;
    let entries = sync_log::recent_for_contact(&mut c, ws.as_str(), &external_id, limit).await?;
    // Another user's private connection's lines stay theirs and the administrators'.
    let hidden = |id: &str| conns.iter().any(|k| k.id.as_str() == id && !super::connections::usable_by(&caller, k));
    let out = entries
        .into_iter()
        .filter(|e| e.connection_id.as_deref().is_none_or(|id| !hidden(id)))
        .map(|e| {
            let provider = e
                .connection_id
                .as_deref()
                .and_then(|id| conns.iter().find(|k| k.id.as_str() == id))
                .map(|k| k.provider.into());
            LogEntryOut {
                at: rfc3339(e.at),
                connection_id: e.connection_id,
                provider,
                job_id: e.job_id,
                operation: e.operation,
                outcome: e.outcome,
                detail: e.detail,
            }
        })
        .collect();
    Ok(Json(out))
}

/// What a sync of the contact to the connection would write now: the sync's own steps, carried out
/// without storing anything or sending a single write to the provider (its reads are real).
#[utoipa::path(get, path = "/v1/contacts/{external_id}/preview", tag = "contacts", params(ContactPath, PreviewQuery),
    responses(
        (status = 200, description = "What the sync would do; why it would write nothing", body = PreviewOut),
        (status = 404, description = "No such contact, or a connection the caller may not use"),
        (status = 422, description = "No such connection, or one that syncs no people"),
        (status = 502, description = "The provider could not be read")))]
pub async fn preview(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    Query(query): Query<PreviewQuery>,
) -> ApiResult<Json<PreviewOut>> {
    let Some(connection_id) = query.connection_id.filter(|id| !id.trim().is_empty()) else {
        return Err(ApiError::field("connection_id", "name the connection to preview a sync to"));
    };
    let ws = &caller.workspace_id;
    if contacts::get(&mut state.store.db().await?, ws, &external_id).await?.is_none() {
        return Err(ApiError::NotFound("contact"));
    }
    let conn = super::connections::named(&state, &caller, "connection_id", &connection_id).await?;
    let cx = Context::new(state.store.clone(), state.clients.clone());
    let name = conn.provider.display_name();
    let preview = hiresync_engine::preview::preview(&cx, ws, &conn, &external_id).await.map_err(|e| match e {
        JobError::Provider(p) => ApiError::Upstream(format!("{name} could not be read: {}", p.message)),
        JobError::ConnectionDown { status, reason } => {
            ApiError::Upstream(format!("the connection is {status}: {reason}"))
        }
        JobError::Store(s) => s.into(),
        e @ (JobError::Broken(_) | JobError::LeaseLost) => ApiError::Internal(e.to_string()),
    })?;
    Ok(Json(preview.into()))
}
