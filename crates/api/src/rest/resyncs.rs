//! `POST /v1/resyncs` and `GET /v1/resyncs/{id}` (SPEC R1): sync the contacts
//! of a list or a sequence that were never synced to a connection, backfill
//! their activity, and show the progress.

use crate::body::common::StartedOut;
use crate::body::resyncs::{ResyncContactOut, ResyncContactPage, ResyncFilter, ResyncFilterState, ResyncIn, ResyncOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::rest::connections;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::{FieldError, ValidationError};
use hiresync_engine::resync::{self, ResyncRequest, Scope};
use hiresync_store::connections::Connection;
use hiresync_store::resyncs::ContactFilter;
use hiresync_store::workspaces::User;
use hiresync_store::{contacts, resyncs, sequences};

/// Most contacts one resync may name; a sequence has no limit.
pub const MAX_CONTACTS: usize = 10_000;

/// Most resyncs one workspace may have unfinished: each queues up to a sequence's worth of
/// bulk jobs, and one team's pile of them should not be everyone's queue.
pub const MAX_IN_FLIGHT: i64 = 5;

/// Starts a resync of a list of contacts or of a sequence's contacts.
#[utoipa::path(post, path = "/v1/resyncs", tag = "bulk", request_body = ResyncIn, responses(
    (status = 202, description = "Started", body = StartedOut),
    (status = 404, description = "The connection is not the caller's to use"),
    (status = 422, description = "Unknown connection, contact or sequence; not exactly one of contacts, sequence \
        and filter; a bad filter"),
    (status = 429, description = "The workspace already has as many resyncs in flight as it may")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<ResyncIn>,
) -> ApiResult<(StatusCode, Json<StartedOut>)> {
    let conn = connections::named(&state, &caller, "connection_id", &body.connection_id).await?;
    let given = [body.contacts.is_some(), body.sequence.is_some(), body.filter.is_some()];
    if given.iter().filter(|g| **g).count() > 1 {
        let field = if body.filter.is_some() { "filter" } else { "sequence" };
        return Err(ApiError::field(field, "give one of contacts, sequence or filter"));
    }
    if let Some(filter) = body.filter {
        let scope = filtered(&state, &caller, &conn, filter).await?;
        return started(&state, &caller, &conn, scope).await;
    }
    let scope = match (body.contacts, body.sequence) {
        (Some(_), Some(_)) => return Err(ApiError::field("sequence", "give either contacts or sequence, not both")),
        (None, None) => {
            return Err(ApiError::field("contacts", "required: a list of contact ids, a sequence or a filter"));
        }
        (Some(list), None) => Scope::Contacts(known_contacts(&state, &caller, list).await?),
        (None, Some(seq)) => {
            let mut c = state.store.db().await?;
            if sequences::get(&mut c, &caller.workspace_id, &seq).await?.is_none() {
                return Err(ApiError::field("sequence", "unknown sequence: PUT /v1/sequences/{id} first"));
            }
            Scope::Sequence(seq)
        }
    };
    started(&state, &caller, &conn, scope).await
}

async fn started(
    state: &AppState,
    caller: &User,
    conn: &Connection,
    scope: Scope,
) -> ApiResult<(StatusCode, Json<StartedOut>)> {
    let mut c = state.store.db().await?;
    let in_flight = resyncs::in_flight(&mut c, &caller.workspace_id).await?;
    drop(c);
    if in_flight >= MAX_IN_FLIGHT {
        return Err(ApiError::TooMany(format!(
            "the workspace has {in_flight} resyncs in flight, the most it may; start another when one finishes"
        )));
    }
    let request = ResyncRequest { connection: conn, scope, created_by: &caller.id };
    let started = resync::start(&state.store, &caller.workspace_id, &request).await?;
    if started.jobs > 0 {
        state.wake.notify_one();
    }
    Ok((StatusCode::ACCEPTED, Json(StartedOut { id: started.id.as_str().to_owned() })))
}

/// The contacts a filter takes: a state's are synced as a list would be; those first synced
/// before a time have their people updated.
async fn filtered(state: &AppState, caller: &User, conn: &Connection, filter: ResyncFilter) -> ApiResult<Scope> {
    let chosen = match (filter.state, filter.synced_before) {
        (Some(_), Some(_)) => return Err(ApiError::field("filter", "give one of state or synced_before")),
        (None, None) => return Err(ApiError::field("filter", "required: state or synced_before")),
        (Some(ResyncFilterState::NeverSynced), None) => ContactFilter::NeverSynced,
        (Some(ResyncFilterState::Failed), None) => ContactFilter::Failed,
        (None, Some(at)) => match chrono::DateTime::parse_from_rfc3339(at.trim()) {
            Ok(at) => ContactFilter::SyncedBefore(at.timestamp_millis()),
            Err(_) => return Err(ApiError::field("filter.synced_before", "must be an RFC 3339 time")),
        },
    };
    let mut c = state.store.db().await?;
    let contacts = resyncs::contacts_matching(&mut c, &caller.workspace_id, &conn.id, chosen).await?;
    Ok(match chosen {
        ContactFilter::SyncedBefore(_) => Scope::Refresh(contacts),
        ContactFilter::NeverSynced | ContactFilter::Failed => Scope::Contacts(contacts),
    })
}

/// The listed contact ids, each known to the workspace; every unknown one is named.
async fn known_contacts(state: &AppState, caller: &User, list: Vec<String>) -> ApiResult<Vec<String>> {
    if list.is_empty() || list.len() > MAX_CONTACTS {
        return Err(ApiError::field("contacts", format!("must be a list of 1 to {MAX_CONTACTS} contact ids")));
    }
    let mut c = state.store.db().await?;
    let mut errors = Vec::new();
    for (i, id) in list.iter().enumerate() {
        if contacts::get(&mut c, &caller.workspace_id, id).await?.is_none() {
            let message = "unknown contact: PUT /v1/contacts/{id} first".into();
            errors.push(FieldError { field: format!("contacts[{i}]"), message });
        }
    }
    if errors.is_empty() { Ok(list) } else { Err(ApiError::Invalid(ValidationError { errors })) }
}

/// The path of one resync.
#[derive(utoipa::IntoParams)]
#[into_params(names("id"), parameter_in = Path)]
pub struct ResyncPath(
    /// The resync's id.
    pub String,
);

/// A resync's progress.
#[utoipa::path(get, path = "/v1/resyncs/{id}", tag = "bulk", params(ResyncPath), responses(
    (status = 200, description = "The resync's progress", body = ResyncOut),
    (status = 404, description = "No such resync")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ResyncOut>> {
    let mut c = state.store.db().await?;
    let r = resyncs::get(&mut c, &caller.workspace_id, &id).await?.ok_or(ApiError::NotFound("resync"))?;
    drop(c);
    if !connections::may_see_work(&state, &caller, &r.connection_id).await? {
        return Err(ApiError::NotFound("resync"));
    }
    Ok(Json(r.into()))
}

/// A page of a resync's contacts with their outcome and the reason for a skip or failure.
#[utoipa::path(get, path = "/v1/resyncs/{id}/contacts", tag = "bulk", params(ResyncPath, ResyncContactPage), responses(
    (status = 200, description = "Contacts and their outcomes, by contact id", body = [ResyncContactOut]),
    (status = 404, description = "No such resync"), (status = 422, description = "Invalid limit")))]
pub async fn contacts(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(page): Query<ResyncContactPage>,
) -> ApiResult<Json<Vec<ResyncContactOut>>> {
    let limit = page.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field("limit", "must be 1 to 1000"));
    }
    let mut c = state.store.db().await?;
    let r = resyncs::get(&mut c, &caller.workspace_id, &id).await?.ok_or(ApiError::NotFound("resync"))?;
    if !connections::may_see_work(&state, &caller, &r.connection_id).await? {
        return Err(ApiError::NotFound("resync"));
    }
    let after = page.after.unwrap_or_default();
    let items = resyncs::items_page(&mut c, &caller.workspace_id, &id, &after, limit).await?;
    Ok(Json(items.into_iter().map(ResyncContactOut::from).collect()))
}
