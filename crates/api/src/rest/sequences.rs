//! `PUT /v1/sequences/{external_id}`: the outreach app's sequences, their
//! owner, "Sync Disabled" and "Custom Sync" target (SPEC S2, S4, L3).

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::Target;
use hiresync_core::validation::{Checker, is_external_id};
use hiresync_store::sequences::{self, Sequence};
use hiresync_store::{StoreError, connections, workspaces};
use serde_json::{Value, json};

/// Creates or replaces a sequence.
#[utoipa::path(put, path = "/v1/sequences/{external_id}", tag = "sequences", responses(
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
    let Some(obj) = body.as_object() else { return Err(ApiError::field("", "must be an object")) };
    let ws = &caller.workspace_id;
    let mut c = state.store.db().await?;
    let mut check = Checker::default();
    let name = match obj.get("name") {
        None | Some(Value::Null) => external_id.clone(),
        Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 255 => s.trim().to_owned(),
        Some(_) => {
            check.check(false, "name", "must be a non-empty string of at most 255 characters");
            String::new()
        }
    };
    let sync_disabled = match obj.get("sync_disabled") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            check.check(false, "sync_disabled", "must be true or false");
            false
        }
    };
    let sync_tags: Vec<String> = match obj.get("sync_tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|_| {
            check.check(false, "sync_tags", "must be a list of strings");
            Vec::new()
        }),
    };
    check.finish()?;
    let owner = match obj.get("owner") {
        None | Some(Value::Null) => caller.clone(),
        Some(Value::String(o)) => match workspaces::find_user(&mut c, ws, o).await {
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(ApiError::field("owner", "no such user in this workspace")),
            Err(e) => return Err(e.into()),
        },
        Some(_) => return Err(ApiError::field("owner", "must be a user id or email")),
    };
    let target = match obj.get("target") {
        None | Some(Value::Null) => None,
        Some(t) => {
            let conn_id = t.get("connection_id").and_then(Value::as_str).unwrap_or_default();
            let conn = match connections::get(&mut c, ws, conn_id).await {
                Ok(k) => k,
                Err(StoreError::NotFound) => {
                    return Err(ApiError::field("target.connection_id", "no such connection in this workspace"));
                }
                Err(e) => return Err(e.into()),
            };
            let mut parsed = Target::parse(conn.provider, t, "target")?.to_map();
            parsed.insert("connection_id".into(), conn_id.into());
            Some(Value::Object(parsed))
        }
    };
    let seq = Sequence { external_id, name, owner_id: owner.id, sync_disabled, target, sync_tags };
    let created = sequences::upsert(&mut c, ws, &seq).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, axum::Json(view(&seq))))
}

/// The sequence as the API shows it.
pub fn view(s: &Sequence) -> Value {
    json!({"external_id": s.external_id, "name": s.name, "owner": s.owner_id.as_str(),
        "sync_disabled": s.sync_disabled, "target": s.target, "sync_tags": s.sync_tags,
        "indicators": s.indicators()})
}
