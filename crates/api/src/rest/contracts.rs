//! Contracts between Teamtailor and Oneflow (SPEC B1): create one for a
//! candidate, prefilled from their mapped custom fields, and read one back
//! with its field values as last synced and whether its signed file was attached.

use crate::body::contracts::{CandidateId, ContractIn, ContractOut, OneflowId};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::rest::connections::load;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::{FieldError, ProviderKind, ValidationError};
use hiresync_engine::contract::{self, NewContract};
use hiresync_store::StoreError;
use hiresync_store::contracts as store;

/// Creates a contract in Oneflow for a Teamtailor candidate.
#[utoipa::path(post, path = "/v1/contracts", tag = "contracts", request_body = ContractIn, responses(
    (status = 201, description = "Created, with the values it was prefilled with", body = ContractOut),
    (status = 422, description = "Invalid fields, or the candidate, template or workspace does not exist"),
    (status = 502, description = "Teamtailor or Oneflow could not be reached")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(body): Json<ContractIn>,
) -> ApiResult<(StatusCode, Json<ContractOut>)> {
    let mut errors = Vec::new();
    let connection_id = text(body.oneflow_connection_id, "oneflow_connection_id", true, &mut errors);
    let candidate = candidate(body.candidate, &mut errors);
    let template_id = oneflow_id(body.template_id, "template_id", &mut errors);
    let workspace_id = oneflow_id(body.workspace_id, "workspace_id", &mut errors);
    let name = text(body.name, "name", false, &mut errors);
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
    let mut out = ContractOut::from(&created.record);
    out.prefilled = Some(created.prefilled);
    Ok((StatusCode::CREATED, Json(out)))
}

/// One contract, its candidate, its field values as last synced and whether the signed file was attached.
#[utoipa::path(get, path = "/v1/contracts/{id}", tag = "contracts",
    params(("id" = String, Path, description = "The contract's id")), responses(
    (status = 200, description = "The contract", body = ContractOut),
    (status = 404, description = "No such contract")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ContractOut>> {
    let mut c = state.store.db().await?;
    let record = match store::get(&mut c, &caller.workspace_id, &id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Err(ApiError::NotFound("contract")),
        Err(e) => return Err(e.into()),
    };
    drop(c);
    // Contracts follow their Oneflow connection: whoever cannot see it cannot see them.
    match load(&state, &caller, &record.oneflow_connection_id).await {
        Ok(_) => Ok(Json(ContractOut::from(&record))),
        Err(ApiError::NotFound(_)) => Err(ApiError::NotFound("contract")),
        Err(e) => Err(e),
    }
}

fn fail(errors: &mut Vec<FieldError>, field: &str, message: &str) {
    errors.push(FieldError { field: field.to_owned(), message: message.to_owned() });
}

/// A non-empty string of at most 255 characters, trimmed.
fn text(value: Option<String>, key: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    match value {
        None if required => fail(errors, key, "required"),
        None => {}
        Some(s) if s.trim().is_empty() => fail(errors, key, "must not be empty"),
        Some(s) if s.chars().count() > 255 => fail(errors, key, "at most 255 characters"),
        Some(s) => return Some(s.trim().to_owned()),
    }
    None
}

/// Teamtailor's candidate id: its string ids, or the number they hold.
fn candidate(value: Option<CandidateId>, errors: &mut Vec<FieldError>) -> Option<String> {
    match value {
        Some(CandidateId::Number(n)) => Some(n.to_string()),
        Some(CandidateId::Text(s)) if !s.trim().is_empty() && s.trim().chars().all(|c| c.is_ascii_alphanumeric()) => {
            Some(s.trim().to_owned())
        }
        None => {
            fail(errors, "candidate", "required: the Teamtailor candidate id");
            None
        }
        Some(CandidateId::Text(_)) => {
            fail(errors, "candidate", "must be a Teamtailor candidate id");
            None
        }
    }
}

/// An Oneflow id: a positive integer (or a string of digits).
fn oneflow_id(value: Option<OneflowId>, key: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let parsed = match value {
        Some(OneflowId::Number(n)) => Some(n),
        Some(OneflowId::Text(s)) => s.trim().parse::<i64>().ok(),
        None => {
            fail(errors, key, "required");
            return None;
        }
    };
    let valid = parsed.filter(|n| *n > 0);
    if valid.is_none() {
        fail(errors, key, "must be a positive integer (an Oneflow id)");
    }
    valid
}
