//! Contracts between Teamtailor and Oneflow (SPEC B1): create one for a
//! candidate, prefilled from their mapped custom fields, and read one back
//! with its field values as last synced and whether its signed file was attached.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::rest::connections::load;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::{FieldError, ProviderKind, ValidationError};
use hiresync_engine::contract::{self, NewContract};
use hiresync_store::StoreError;
use hiresync_store::contracts::{self as store, ContractRecord};
use serde_json::{Map, Value, json};

/// Creates a contract in Oneflow for a Teamtailor candidate.
#[utoipa::path(post, path = "/v1/contracts", tag = "contracts", responses(
    (status = 201, description = "Created: {id, contract_id, url, prefilled: {custom_id: value}}"),
    (status = 422, description = "Invalid fields, or the candidate, template or workspace does not exist"),
    (status = 502, description = "Teamtailor or Oneflow could not be reached")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, axum::Json<Value>)> {
    let Some(obj) = body.as_object() else { return Err(ApiError::field("", "must be an object")) };
    let mut errors = Vec::new();
    let connection_id = text(obj, "oneflow_connection_id", true, &mut errors);
    let candidate = candidate(obj, &mut errors);
    let template_id = id(obj, "template_id", &mut errors);
    let workspace_id = id(obj, "workspace_id", &mut errors);
    let name = text(obj, "name", false, &mut errors);
    let (Some(connection_id), Some(candidate), Some(template_id), Some(workspace_id), true) =
        (connection_id, candidate, template_id, workspace_id, errors.is_empty())
    else {
        return Err(ApiError::Invalid(ValidationError { errors }));
    };
    let oneflow = match load(&state, &caller, &connection_id).await {
        Ok(conn) if conn.provider == ProviderKind::Oneflow => conn,
        Ok(_) => return Err(ApiError::field("oneflow_connection_id", "must be an Oneflow connection")),
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field("oneflow_connection_id", "no such connection in this workspace"));
        }
        Err(e) => return Err(e),
    };
    let new = NewContract {
        workspace: caller.workspace_id.clone(),
        oneflow,
        candidate,
        template_id,
        oneflow_workspace_id: workspace_id,
        name,
    };
    let created = contract::create(&state.store, &state.clients, new).await?;
    let mut out = view(&created.record);
    out["prefilled"] = json!(created.prefilled);
    Ok((StatusCode::CREATED, axum::Json(out)))
}

/// One contract, its candidate, its field values as last synced and whether the signed file was attached.
#[utoipa::path(get, path = "/v1/contracts/{id}", tag = "contracts",
    responses((status = 200, description = "The contract"), (status = 404, description = "No such contract")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let mut c = state.store.db().await?;
    let record = match store::get(&mut c, &caller.workspace_id, &id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Err(ApiError::NotFound("contract")),
        Err(e) => return Err(e.into()),
    };
    drop(c);
    // Contracts follow their Oneflow connection: whoever cannot see it cannot see them.
    match load(&state, &caller, &record.oneflow_connection_id).await {
        Ok(_) => Ok(axum::Json(view(&record))),
        Err(ApiError::NotFound(_)) => Err(ApiError::NotFound("contract")),
        Err(e) => Err(e),
    }
}

fn view(r: &ContractRecord) -> Value {
    let time = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339());
    let values: Map<String, Value> = r.synced.iter().map(|(k, v)| (k.clone(), json!(v.oneflow))).collect();
    let fields: Vec<Value> = r
        .field_map
        .iter()
        .map(|m| {
            let synced = r.synced.get(&m.oneflow_data_field);
            json!({"teamtailor_custom_field": m.teamtailor_custom_field, "oneflow_data_field": m.oneflow_data_field,
                "oneflow_value": synced.map(|s| &s.oneflow), "teamtailor_value": synced.map(|s| &s.teamtailor)})
        })
        .collect();
    json!({
        "id": r.id.as_str(), "contract_id": r.contract_id, "url": r.url, "name": r.name, "state": r.state,
        "candidate": r.candidate, "oneflow_connection_id": r.oneflow_connection_id,
        "teamtailor_connection_id": r.teamtailor_connection_id, "workspace_id": r.oneflow_workspace_id,
        "template_id": r.template_id, "values": values, "fields": fields,
        "file_attached": r.attached_at.is_some(), "upload_id": r.upload_id,
        "file_attached_at": r.attached_at.and_then(time), "created_at": time(r.created_at),
        "updated_at": time(r.updated_at),
    })
}

fn fail(errors: &mut Vec<FieldError>, field: &str, message: &str) {
    errors.push(FieldError { field: field.to_owned(), message: message.to_owned() });
}

/// A non-empty string of at most 255 characters.
fn text(obj: &Map<String, Value>, key: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) if required => fail(errors, key, "required"),
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.trim().is_empty() => fail(errors, key, "must not be empty"),
        Some(Value::String(s)) if s.chars().count() > 255 => fail(errors, key, "at most 255 characters"),
        Some(Value::String(s)) => return Some(s.trim().to_owned()),
        Some(_) => fail(errors, key, "must be a string"),
    }
    None
}

/// Teamtailor's candidate id: its string ids, or the number they hold.
fn candidate(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    match obj.get("candidate") {
        Some(Value::Number(n)) if n.as_u64().is_some() => Some(n.to_string()),
        Some(Value::String(s)) if !s.trim().is_empty() && s.trim().chars().all(|c| c.is_ascii_alphanumeric()) => {
            Some(s.trim().to_owned())
        }
        None | Some(Value::Null) => {
            fail(errors, "candidate", "required: the Teamtailor candidate id");
            None
        }
        Some(_) => {
            fail(errors, "candidate", "must be a Teamtailor candidate id");
            None
        }
    }
}

/// An Oneflow id: a positive integer (or a string of digits).
fn id(obj: &Map<String, Value>, key: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let parsed = match obj.get(key) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        None | Some(Value::Null) => {
            fail(errors, key, "required");
            return None;
        }
        Some(_) => None,
    };
    let valid = parsed.filter(|n| *n > 0);
    if valid.is_none() {
        fail(errors, key, "must be a positive integer (an Oneflow id)");
    }
    valid
}
