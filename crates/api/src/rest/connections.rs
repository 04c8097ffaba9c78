//! Connections (SPEC C): create with a live credential check, list, get,
//! delete, settings, targets and settings cloning. Credentials are sealed
//! before they are stored and never returned.

use crate::base_url;
use crate::body::common::FreeForm;
use crate::body::connections::{
    CloneSettingsIn, ClonedOut, ConnectionIn, ConnectionOut, ConnectionPatch, Scope, Settings, TargetOptionOut,
    WebhookOut,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, RawBody, from_slice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::{ConnectionSettings, ProviderKind, UserId, field_map};
use hiresync_engine::{AccessChange, ConnectError, NewConnection, provider_hooks};
use hiresync_providers::{ConnectOptions, ErrorKind, People, ProviderError};
use hiresync_store::StoreError;
use hiresync_store::connections::{self, Connection};
use hiresync_store::workspaces::{self, User};
use secrecy::SecretString;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Connects a provider account after checking its credentials live.
#[utoipa::path(post, path = "/v1/connections", tag = "connections", request_body = ConnectionIn, responses(
    (status = 201, description = "Connected", body = ConnectionOut),
    (status = 403, description = "Only owners and managers add workspace connections"),
    (status = 422, description = "Invalid fields, or the provider rejected the credentials"),
    (status = 502, description = "The provider could not be reached")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<ConnectionIn>,
) -> ApiResult<(StatusCode, Json<ConnectionOut>)> {
    let FreeForm(credentials) = body.credentials;
    if credentials.is_empty() {
        return Err(ApiError::field("credentials", "required: an object with the provider's credential fields"));
    }
    let user_id = match body.scope.unwrap_or(Scope::User) {
        Scope::User => Some(caller.id.clone()),
        Scope::Workspace if caller.role.administers() => None,
        Scope::Workspace => return Err(ApiError::Forbidden("only owners and managers add workspace connections")),
    };
    let base_url = checked_url(&state, "base_url", body.base_url).await?;
    let auth_base_url = checked_url(&state, "auth_base_url", body.auth_base_url).await?;
    let rate_limit = body.rate_limit.map(|r| r.check("rate_limit")).transpose()?;
    let new = NewConnection {
        workspace_id: caller.workspace_id.clone(),
        user_id,
        provider: body.provider.into(),
        credentials: SecretString::from(Value::Object(credentials).to_string()),
        options: ConnectOptions { base_url, auth_base_url, rate_limit, budgets: None },
        settings: Map::new(),
    };
    let conn = hiresync_engine::connect(&state.store, &state.clients, new).await.map_err(connect_refusal)?;
    // The provider's webhook to us goes up with the connection; how that went is shown, never fatal.
    let hook = provider_hooks::register(&state.store, &state.clients, &conn).await?;
    let mut out = ConnectionOut::from(&conn);
    out.webhook = hook.map(webhook_out);
    Ok((StatusCode::CREATED, Json(out)))
}

/// Replaces credentials, base URLs or (owners and managers) the owner of a connection after a
/// live check; links, settings and history stay, and its held jobs run again. An empty body
/// re-checks the stored credentials, healing a connection whose key the provider accepts again.
#[utoipa::path(patch, path = "/v1/connections/{id}", tag = "connections", params(ConnectionPath),
    request_body = ConnectionPatch, responses(
    (status = 200, description = "The connection, connected", body = ConnectionOut),
    (status = 403, description = "Only its owner or an owner or manager"),
    (status = 404, description = "No such connection"),
    (status = 422, description = "Invalid fields, or the provider rejected the new values; nothing changed"),
    (status = 502, description = "The provider could not be reached; nothing changed")))]
pub async fn patch(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Json(body): Json<ConnectionPatch>,
) -> ApiResult<Json<ConnectionOut>> {
    let conn = load_managed(&state, &caller, &id).await?;
    let credentials = match body.credentials {
        None => None,
        Some(FreeForm(m)) if !m.is_empty() => Some(SecretString::from(Value::Object(m).to_string())),
        Some(_) => {
            return Err(ApiError::field("credentials", "must be an object with the provider's credential fields"));
        }
    };
    let base_url = match body.base_url {
        None => None,
        Some(url) => Some(checked_url(&state, "base_url", url).await?),
    };
    let auth_base_url = match body.auth_base_url {
        None => None,
        Some(url) => Some(checked_url(&state, "auth_base_url", url).await?),
    };
    let user_id = match &body.user_id {
        None => None,
        Some(u) => Some(new_owner(&state, &caller, &conn, u).await?),
    };
    let new_secret = credentials.is_some() && conn.provider == ProviderKind::Oneflow;
    let change = AccessChange { credentials, base_url, auth_base_url, user_id };
    let conn = hiresync_engine::reconnect(&state.store, &state.clients, conn, change).await.map_err(connect_refusal)?;
    let mut out = ConnectionOut::from(&conn);
    // New credentials may carry a new sign key: the webhook is registered again with it.
    if new_secret {
        provider_hooks::unregister(&state.store, &state.clients, &conn).await?;
        out.webhook = provider_hooks::register(&state.store, &state.clients, &conn).await?.map(webhook_out);
    }
    Ok(Json(out))
}

/// The path of one connection.
#[derive(utoipa::IntoParams)]
#[into_params(names("id"), parameter_in = Path)]
pub struct ConnectionPath(
    /// The connection's id.
    pub String,
);

/// The user a personal connection is handed over to: owners and managers only, a current user.
async fn new_owner(state: &AppState, caller: &User, conn: &Connection, id: &str) -> ApiResult<UserId> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers hand a connection over"));
    }
    if conn.user_id.is_none() {
        return Err(ApiError::field("user_id", "a workspace connection belongs to no user"));
    }
    let mut c = state.store.db().await?;
    match workspaces::find_user(&mut c, &caller.workspace_id, id).await {
        Ok(u) => Ok(u.id),
        Err(StoreError::NotFound) => Err(ApiError::field("user_id", "no such user in this workspace")),
        Err(e) => Err(e.into()),
    }
}

fn connect_refusal(e: ConnectError) -> ApiError {
    match e {
        ConnectError::Provider(e) => provider_refusal(&e),
        ConnectError::Sealed(e) => {
            ApiError::field("credentials", format!("required: the stored credentials no longer open ({e})"))
        }
        ConnectError::Store(e) => e.into(),
    }
}

/// A base URL the server may call, without its trailing slash; 422 naming `field` otherwise.
async fn checked_url(state: &AppState, field: &str, url: Option<String>) -> ApiResult<Option<String>> {
    let Some(url) = url else { return Ok(None) };
    base_url::check(&url, state.allow_private_urls)
        .await
        .map(|u| Some(u.as_str().trim_end_matches('/').to_owned()))
        .map_err(|why| ApiError::field(field, why))
}

/// The provider's own reason as a 422, or a 502 when it could not be asked.
fn provider_refusal(e: &ProviderError) -> ApiError {
    match e.kind() {
        ErrorKind::Auth | ErrorKind::Permanent => ApiError::field("credentials", e.message.clone()),
        ErrorKind::Transient | ErrorKind::RateLimited { .. } => {
            ApiError::Upstream(format!("{} could not be reached: {}", e.provider, e.message))
        }
    }
}

/// The connections the caller can see.
#[utoipa::path(get, path = "/v1/connections", tag = "connections",
    responses((status = 200, description = "The caller's and the workspace's connections", body = [ConnectionOut])))]
pub async fn list(State(state): State<AppState>, Caller(caller): Caller) -> ApiResult<Json<Vec<ConnectionOut>>> {
    let mut c = state.store.db().await?;
    let all = connections::list(&mut c, &caller.workspace_id).await?;
    Ok(Json(all.iter().filter(|k| usable_by(&caller, k)).map(ConnectionOut::from).collect()))
}

/// One connection.
#[utoipa::path(get, path = "/v1/connections/{id}", tag = "connections", params(ConnectionPath), responses(
    (status = 200, description = "The connection", body = ConnectionOut),
    (status = 404, description = "No such connection")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConnectionOut>> {
    let conn = load(&state, &caller, &id).await?;
    let mut out = ConnectionOut::from(&conn);
    out.webhook = provider_hooks::recorded(&state.store, &conn).await?.map(webhook_out);
    Ok(Json(out))
}

fn webhook_out(h: provider_hooks::HookState) -> WebhookOut {
    WebhookOut { state: h.state, callback_url: h.callback_url, reason: h.reason }
}

/// Disconnects: credentials are wiped, history stays.
#[utoipa::path(delete, path = "/v1/connections/{id}", tag = "connections", params(ConnectionPath), responses(
    (status = 204, description = "Deleted"), (status = 403, description = "Only its owner or an owner or manager"),
    (status = 404, description = "No such connection")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let conn = load_managed(&state, &caller, &id).await?;
    let mut c = state.store.db().await?;
    connections::delete(&mut c, &caller.workspace_id, conn.id.as_str()).await?;
    drop(c);
    // After the delete: deliveries for it are refused from now on, whatever the provider says.
    provider_hooks::unregister(&state.store, &state.clients, &conn).await?;
    state.clients.forget(conn.id.as_str());
    Ok(StatusCode::NO_CONTENT)
}

/// The resolved settings (built-in defaults, workspace defaults, the connection's own).
#[utoipa::path(get, path = "/v1/connections/{id}/settings", tag = "connections", params(ConnectionPath), responses(
    (status = 200, description = "Resolved settings", body = Settings),
    (status = 404, description = "No such connection")))]
pub async fn get_settings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Settings>> {
    let conn = load(&state, &caller, &id).await?;
    Ok(Json(resolved(&state, &conn, &conn.settings).await?))
}

/// Replaces the connection's own settings; every key is validated, naming the field at fault.
#[utoipa::path(put, path = "/v1/connections/{id}/settings", tag = "connections", params(ConnectionPath),
    request_body = Settings, responses(
    (status = 200, description = "Resolved settings", body = Settings),
    (status = 403, description = "Only its owner or an owner or manager"),
    (status = 404, description = "No such connection"),
    (status = 422, description = "Invalid settings"),
    (status = 502, description = "The provider's fields could not be listed to check field_map")))]
pub async fn put_settings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Json(Settings(mut own)): Json<Settings>,
) -> ApiResult<Json<Settings>> {
    let conn = load_managed(&state, &caller, &id).await?;
    let mut out = resolved(&state, &conn, &own).await?;
    if let Some(linked) = out.0.get("teamtailor_connection_id").and_then(Value::as_str) {
        check_teamtailor_link(&state, &caller, linked).await?;
    }
    check_field_map(&state, &conn, &out).await?;
    if let Some(t) = own.get("default_target").filter(|t| !t.is_null()) {
        let parsed = hiresync_core::Target::parse(conn.provider, t, "default_target")?;
        let target = super::target_stage::resolved(&state, &conn, parsed, "default_target").await?.to_json();
        out.0.insert("default_target".into(), target.clone());
        own.insert("default_target".into(), target);
    }
    if let Some(users) = own.get("acting_users").and_then(Value::as_object).filter(|m| !m.is_empty()) {
        check_acting_users(&state, &caller, &conn, users).await?;
    }
    if own.contains_key("stage_map")
        && let Some(ids) = check_stage_map(&state, &conn, &out).await?
    {
        own.insert("stage_map".into(), Value::Object(ids.clone()));
        out.0.insert("stage_map".into(), Value::Object(ids));
    }
    let mut c = state.store.db().await?;
    connections::set_settings(&mut c, &caller.workspace_id, &conn.id, &own).await?;
    Ok(Json(out))
}

/// Checks the field map's targets against the fields the provider really has (M4): its standard
/// fields, and its custom fields where it can list them.
async fn check_field_map(state: &AppState, conn: &Connection, resolved: &Settings) -> ApiResult<()> {
    let settings = ConnectionSettings::parse(conn.provider, &Value::Object(resolved.0.clone()))?;
    if settings.field_map.is_empty() {
        return Ok(());
    }
    let Some(client) = open(state, conn)? else { return Ok(()) };
    let known = state.field_defs.known(conn.id.as_str(), client.as_ref()).await.map_err(|e| {
        ApiError::Upstream(format!("could not list {} fields to check field_map: {}", e.provider, e.message))
    })?;
    Ok(field_map::check_targets(&settings.field_map, &known.known, conn.provider.display_name())?)
}

/// Checks an admin's `acting_users` (SPEC C1): each key a user of the workspace, each value an
/// active Greenhouse user this workspace connection can write as; 422 naming the entry otherwise.
async fn check_acting_users(
    state: &AppState,
    caller: &User,
    conn: &Connection,
    users: &Map<String, Value>,
) -> ApiResult<()> {
    if conn.user_id.is_some() {
        return Err(ApiError::field("acting_users", "a personal connection writes as its own user"));
    }
    let Some(client) = open(state, conn)? else { return Ok(()) };
    for (key, value) in users {
        let field = format!("acting_users.{key}");
        let mut c = state.store.db().await?;
        match workspaces::find_user(&mut c, &caller.workspace_id, key).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => return Err(ApiError::field(field, "no such user in this workspace")),
            Err(e) => return Err(e.into()),
        }
        drop(c);
        let id = value.as_i64().map(|v| v.to_string()).unwrap_or_default();
        if client.acting_as(&id).is_none() {
            return Err(ApiError::field(field, "this connection cannot write as other users (a Harvest v1 key)"));
        }
        let exists = client.user_exists(&id).await.map_err(|e| {
            ApiError::Upstream(format!("could not read {} users to check acting_users: {}", e.provider, e.message))
        })?;
        if !exists {
            return Err(ApiError::field(field, format!("Greenhouse has no active user {id}")));
        }
    }
    Ok(())
}

/// Checks each stage the stage map names, by id or by name, against the stages the provider
/// lists for its targets (A5): a typo is a 422 now, not a dead job later. Names are resolved per
/// placement when a person is moved, since each job may give one name its own id.
/// Returns the map with ids for names where the provider's ids do not depend on the job.
async fn check_stage_map(
    state: &AppState,
    conn: &Connection,
    resolved: &Settings,
) -> ApiResult<Option<Map<String, Value>>> {
    let settings = ConnectionSettings::parse(conn.provider, &Value::Object(resolved.0.clone()))?;
    if settings.stage_map.is_empty() {
        return Ok(None);
    }
    let Some(client) = open(state, conn)? else { return Ok(None) };
    if !client.capabilities().stages {
        return Ok(None);
    }
    let targets = client.list_targets().await.map_err(|e| {
        ApiError::Upstream(format!("could not list {} stages to check stage_map: {}", e.provider, e.message))
    })?;
    let mut known: Vec<(String, String)> = targets.into_iter().flat_map(|t| t.stages).collect();
    known.sort();
    known.dedup();
    let whose = format!("any {} target", conn.provider.display_name());
    let mut ids = Map::new();
    for (outreach, stage) in &settings.stage_map {
        match hiresync_providers::stages::stage_id(stage, &known, &whose) {
            Ok(id) => ids.insert(outreach.clone(), Value::String(id)),
            Err(message) => return Err(ApiError::field(format!("stage_map.{outreach}"), message)),
        };
    }
    // Clockwork's statuses are the firm's, one id per name everywhere: stored as ids. Elsewhere a
    // job may give one name its own id, so a name stays a name, resolved in the person's job.
    Ok((conn.provider == ProviderKind::Clockwork).then_some(ids))
}

async fn resolved(state: &AppState, conn: &Connection, own: &Map<String, Value>) -> ApiResult<Settings> {
    let mut c = state.store.db().await?;
    let defaults = workspaces::defaults(&mut c, &conn.workspace_id, conn.provider.as_str()).await?;
    let settings = ConnectionSettings::resolve(conn.provider, &defaults, own)?;
    match settings.to_json() {
        Value::Object(resolved) => Ok(Settings(resolved)),
        other => Err(ApiError::Internal(format!("resolved settings are not an object: {other}"))),
    }
}

/// An Oneflow connection's contracts sync with a Teamtailor connection the caller can see (SPEC B).
async fn check_teamtailor_link(state: &AppState, caller: &User, id: &str) -> ApiResult<()> {
    match load(state, caller, id).await {
        Ok(k) if k.provider == ProviderKind::Teamtailor => Ok(()),
        Ok(_) => Err(ApiError::field("teamtailor_connection_id", "must be a Teamtailor connection")),
        Err(ApiError::NotFound(_)) => {
            Err(ApiError::field("teamtailor_connection_id", "no such connection in this workspace"))
        }
        Err(e) => Err(e),
    }
}

/// The provider's jobs / pools / projects and their stages.
#[utoipa::path(get, path = "/v1/connections/{id}/targets", tag = "connections", params(ConnectionPath), responses(
    (status = 200, description = "The targets people can be put on", body = [TargetOptionOut]),
    (status = 404, description = "No such connection"),
    (status = 422, description = "The provider refused, or holds no people (Oneflow)"),
    (status = 502, description = "Provider unreachable")))]
pub async fn targets(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<TargetOptionOut>>> {
    let conn = load(&state, &caller, &id).await?;
    let Some(client) = open(&state, &conn)? else {
        // The refusal the provider's failing people call used to surface, kept word for word.
        let why = format!(
            "{} holds contracts, not people; this connection does not sync people",
            conn.provider.display_name()
        );
        return Err(ApiError::field("credentials", why));
    };
    let list = client.list_targets().await.map_err(|e| provider_refusal(&e))?;
    answered(&state, &conn).await;
    Ok(Json(list.into_iter().map(TargetOptionOut::from).collect()))
}

/// Copies this connection's own settings to teammates' connections of the same provider (SPEC S12).
#[utoipa::path(post, path = "/v1/connections/{id}/clone-settings", tag = "connections", params(ConnectionPath),
    request_body(content = Option<CloneSettingsIn>, description = "Optional: no body clones to everyone"),
    responses(
    (status = 200, description = "The users whose connections now have the settings", body = ClonedOut),
    (status = 403, description = "Owners and managers only"), (status = 404, description = "No such connection"),
    (status = 422, description = "Invalid fields")))]
pub async fn clone_settings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> ApiResult<Json<ClonedOut>> {
    if !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers clone settings"));
    }
    // The body is optional: no body clones to everyone.
    let body: CloneSettingsIn =
        if body.iter().all(u8::is_ascii_whitespace) { CloneSettingsIn::default() } else { from_slice(&body)? };
    let group = body.group;
    let source = load(&state, &caller, &id).await?;
    let mut c = state.store.db().await?;
    let users = workspaces::list_users(&mut c, &caller.workspace_id).await?;
    let mut updated = Vec::new();
    for k in connections::list(&mut c, &caller.workspace_id).await? {
        let Some(owner) = k.user_id.as_ref().and_then(|u| users.iter().find(|x| &x.id == u)) else { continue };
        if k.id == source.id || k.provider != source.provider {
            continue;
        }
        if group.as_ref().is_some_and(|g| !owner.groups.contains(g)) {
            continue;
        }
        connections::set_settings(&mut c, &caller.workspace_id, &k.id, &source.settings).await?;
        if !updated.iter().any(|u| u == owner.id.as_str()) {
            updated.push(owner.id.as_str().to_owned());
        }
    }
    Ok(Json(ClonedOut { updated }))
}

/// After a provider call for a failing connection succeeded: it works again, and its held jobs run.
pub async fn answered(state: &AppState, conn: &Connection) {
    if conn.status != "failing" {
        return;
    }
    if let Err(e) = hiresync_engine::heal::recovered(&state.store, conn.id.as_str()).await {
        tracing::warn!(connection_id = conn.id.as_str(), error = %e, "Could not mark the connection connected again.");
    }
}

/// The people capability of a stored connection; none when its provider holds no people (Oneflow).
pub fn open(state: &AppState, conn: &Connection) -> ApiResult<Option<Arc<dyn People>>> {
    let client = state.clients.get(conn);
    client.map(|c| c.people()).map_err(|e| ApiError::Internal(format!("opening connection {}: {e}", conn.id.as_str())))
}

/// A connection the caller may see, else 404.
pub async fn load(state: &AppState, caller: &User, id: &str) -> ApiResult<Connection> {
    let mut c = state.store.db().await?;
    match connections::get(&mut c, &caller.workspace_id, id).await {
        Ok(k) if usable_by(caller, &k) => Ok(k),
        Ok(_) | Err(StoreError::NotFound) => Err(ApiError::NotFound("connection")),
        Err(e) => Err(e.into()),
    }
}

/// Whether `caller` may see bulk work (an import, a resync) on connection `id`: owners and
/// managers see all of it, others only work on connections they may use.
pub async fn may_see_work(state: &AppState, caller: &User, id: &str) -> ApiResult<bool> {
    if caller.role.administers() {
        return Ok(true);
    }
    match load(state, caller, id).await {
        Ok(_) => Ok(true),
        Err(ApiError::NotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

async fn load_managed(state: &AppState, caller: &User, id: &str) -> ApiResult<Connection> {
    let conn = load(state, caller, id).await?;
    if conn.user_id.as_ref() == Some(&caller.id) || caller.role.administers() {
        Ok(conn)
    } else {
        Err(ApiError::Forbidden("only its owner or an administrator may change this connection"))
    }
}

/// Whether `caller` may see and sync through `k`: the workspace's, their own, or any for owners and managers.
pub fn usable_by(caller: &User, k: &Connection) -> bool {
    k.user_id.is_none() || k.user_id.as_ref() == Some(&caller.id) || caller.role.administers()
}

/// The connection a request body names under `field`: 422 naming the field when
/// no such connection exists, 404 when it exists but the caller
/// may not see it (another user's, another workspace's), as for `GET /v1/connections/{id}`.
pub async fn named(state: &AppState, caller: &User, field: &str, id: &str) -> ApiResult<Connection> {
    let conn = match load(state, caller, id).await {
        Ok(conn) => conn,
        Err(ApiError::NotFound(what)) => {
            let mut c = state.store.db().await?;
            return Err(if connections::exists_anywhere(&mut c, id).await? {
                ApiError::NotFound(what)
            } else {
                ApiError::field(field, "no such connection")
            });
        }
        Err(e) => return Err(e),
    };
    if !conn.provider.syncs_people() {
        return Err(ApiError::field(field, format!("{} connections do not sync people", conn.provider.display_name())));
    }
    Ok(conn)
}
