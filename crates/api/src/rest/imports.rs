//! Imports (SPEC R2, R3): a provider target's people brought into a sequence,
//! once or every hour; listed, inspected, stopped, and their contacts read
//! back by the outreach app. A new contact's external id is
//! `<provider>-<person id>` (see `hiresync_engine::import`).

use crate::body::common::StartedOut;
use crate::body::imports::{ContactPage, ImportIn, ImportOut, ImportedContactOut};
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
use hiresync_store::workspaces::User;

/// Starts an import of a target's people into a sequence.
#[utoipa::path(post, path = "/v1/imports", tag = "bulk", request_body = ImportIn, responses(
    (status = 202, description = "Started", body = StartedOut),
    (status = 404, description = "The connection is not the caller's to use"),
    (status = 422, description = "Unknown connection or sequence, or a target the provider does not have the shape of")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<ImportIn>,
) -> ApiResult<(StatusCode, Json<StartedOut>)> {
    let conn = connections::named(&state, &caller, "connection_id", &body.connection_id).await?;
    if !connections::open(&state, &conn)?.is_some_and(|c| c.capabilities().list_people) {
        let why = format!("{} cannot list a target's people", conn.provider.display_name());
        return Err(ApiError::field("connection_id", why));
    }
    let target = Target::parse(conn.provider, &body.target.to_json(), "target")?;
    let sequence = body.sequence.as_str();
    let mut c = state.store.db().await?;
    if sequences::get(&mut c, &caller.workspace_id, sequence).await?.is_none() {
        return Err(ApiError::field("sequence", "unknown sequence: PUT /v1/sequences/{id} first"));
    }
    drop(c);
    let recurring = body.recurring.unwrap_or(false);
    let request = ImportRequest { connection: &conn, target: &target, sequence, recurring, created_by: &caller.id };
    let id = import::start(&state.store, &caller.workspace_id, &request).await?;
    state.wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(StartedOut { id: id.as_str().to_owned() })))
}

/// The path of one import.
#[derive(utoipa::IntoParams)]
#[into_params(names("id"), parameter_in = Path)]
pub struct ImportPath(
    /// The import's id.
    pub String,
);

/// The workspace's imports that are not stopped, newest first.
#[utoipa::path(get, path = "/v1/imports", tag = "bulk",
    responses((status = 200, description = "The imports, as GET /v1/imports/{id} shows each", body = [ImportOut])))]
pub async fn list(State(state): State<AppState>, Caller(caller): Caller) -> ApiResult<Json<Vec<ImportOut>>> {
    let mut c = state.store.db().await?;
    let all = imports::list(&mut c, &caller.workspace_id).await?;
    drop(c);
    let mut seen = Vec::with_capacity(all.len());
    for import in &all {
        if visible(&state, &caller, import).await? {
            seen.push(ImportOut::from(import));
        }
    }
    Ok(Json(seen))
}

/// One import with its counts and schedule.
#[utoipa::path(get, path = "/v1/imports/{id}", tag = "bulk", params(ImportPath), responses(
    (status = 200, description = "The import", body = ImportOut),
    (status = 404, description = "No such import")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ImportOut>> {
    let found = find(&state, &caller, &id).await?;
    Ok(Json(ImportOut::from(&found)))
}

/// Stops an import: a pending run does nothing and no further run is scheduled.
#[utoipa::path(delete, path = "/v1/imports/{id}", tag = "bulk", params(ImportPath), responses(
    (status = 204, description = "Stopped"), (status = 403, description = "Not the caller's import"),
    (status = 404, description = "No such import")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let found = find(&state, &caller, &id).await?;
    let mut c = state.store.db().await?;
    if found.created_by != caller.id.as_str() && !caller.role.administers() {
        return Err(ApiError::Forbidden("only its creator or an administrator may stop this import"));
    }
    imports::stop(&mut c, &caller.workspace_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The contacts an import brought into its sequence, for the outreach app to pull.
#[utoipa::path(get, path = "/v1/imports/{id}/contacts", tag = "bulk", params(ImportPath, ContactPage), responses(
    (status = 200, description = "The contacts, in the order the import first saw them", body = [ImportedContactOut]),
    (status = 404, description = "No such import"), (status = 422, description = "Invalid limit or offset")))]
pub async fn contacts(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(page): Query<ContactPage>,
) -> ApiResult<Json<Vec<ImportedContactOut>>> {
    let limit = page.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field("limit", "must be 1 to 1000"));
    }
    let offset = page.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::field("offset", "must not be negative"));
    }
    find(&state, &caller, &id).await?;
    let mut c = state.store.db().await?;
    let rows = imports::contacts(&mut c, &caller.workspace_id, &id, limit, offset).await?;
    Ok(Json(rows.into_iter().map(ImportedContactOut::from).collect()))
}

/// Whether `caller` may see `import`: its creator, or anyone who may use its connection.
async fn visible(state: &AppState, caller: &User, import: &Import) -> ApiResult<bool> {
    Ok(import.created_by == caller.id.as_str()
        || connections::may_see_work(state, caller, &import.connection_id).await?)
}

/// The import `id` of the caller's workspace, if the caller may see it; else 404.
async fn find(state: &AppState, caller: &User, id: &str) -> ApiResult<Import> {
    let mut c = state.store.db().await?;
    let found = imports::get(&mut c, &caller.workspace_id, id).await?.ok_or(ApiError::NotFound("import"))?;
    drop(c);
    if visible(state, caller, &found).await? { Ok(found) } else { Err(ApiError::NotFound("import")) }
}
