//! `PUT /v1/sequences/{external_id}`: the outreach app's sequences, their
//! owner, "Sync Disabled" and "Custom Sync" target (SPEC S2, S4, L3).

use crate::body::sequences::{SequenceIn, SequenceOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::Target;
use hiresync_core::validation::is_external_id;
use hiresync_store::sequences::{self, Sequence};
use hiresync_store::{StoreError, connections, workspaces};
use serde_json::Value;

/// Creates or replaces a sequence.
#[utoipa::path(put, path = "/v1/sequences/{external_id}", tag = "sequences",
    params(("external_id" = String, Path, description = "The outreach app's id for the sequence (1 to 255 characters)")),
    request_body = SequenceIn, responses(
    (status = 200, description = "Replaced", body = SequenceOut),
    (status = 201, description = "Created", body = SequenceOut),
    (status = 422, description = "Invalid fields")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    Json(body): Json<SequenceIn>,
) -> ApiResult<(StatusCode, Json<SequenceOut>)> {
    if !is_external_id(&external_id) {
        return Err(ApiError::field("external_id", "must be 1 to 255 characters"));
    }
    let ws = &caller.workspace_id;
    let name = match body.name {
        None => external_id.clone(),
        Some(s) if !s.trim().is_empty() && s.len() <= 255 => s.trim().to_owned(),
        Some(_) => return Err(ApiError::field("name", "must be a non-empty string of at most 255 characters")),
    };
    let mut c = state.store.db().await?;
    let owner = match &body.owner {
        None => caller.clone(),
        Some(o) => match workspaces::find_user(&mut c, ws, o).await {
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(ApiError::field("owner", "no such user in this workspace")),
            Err(e) => return Err(e.into()),
        },
    };
    // The owner's personal connections write the sequence's notes: naming someone else is theirs to allow.
    if owner.id != caller.id && !caller.role.administers() {
        return Err(ApiError::Forbidden("only owners and managers make another user a sequence's owner"));
    }
    let target = match &body.target {
        None => None,
        Some(t) => {
            let conn_id = t.connection_id.as_deref().unwrap_or_default();
            let conn = match connections::get(&mut c, ws, conn_id).await {
                Ok(k) if super::connections::usable_by(&caller, &k) => k,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(ApiError::field("target.connection_id", "no such connection in this workspace"));
                }
                Err(e) => return Err(e.into()),
            };
            let parsed = Target::parse(conn.provider, &t.to_json(), "target")?;
            let mut parsed = super::target_stage::resolved(&state, &conn, parsed, "target").await?.to_map();
            parsed.insert("connection_id".into(), conn_id.into());
            Some(Value::Object(parsed))
        }
    };
    let seq = Sequence {
        external_id,
        name,
        owner_id: owner.id,
        sync_disabled: body.sync_disabled.unwrap_or(false),
        target,
        sync_tags: body.sync_tags.unwrap_or_default(),
    };
    let created = sequences::upsert(&mut c, ws, &seq).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(SequenceOut::from(&seq))))
}
