//! Reading Harvest request bodies: one JSON object, unknown keys refused,
//! ids as integers or numeric strings, and the 422 naming the field at fault.

use super::errors::GhError;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// A request body's members.
pub(super) type Body = Map<String, Value>;

/// The body as a JSON object.
pub(super) fn json_object(body: &[u8]) -> Result<Body, GhError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GhError::BadRequest("Request body must be a JSON object".into())),
    }
}

/// A handler's result as its response.
pub(super) fn respond(result: Result<Response, GhError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// 422 for keys outside `allowed`, as v3 rejects unknown properties.
pub fn reject_unknown(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), GhError> {
    let unknown: Vec<(String, String)> = body
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| (k.clone(), "is not a permitted property".to_owned()))
        .collect();
    if unknown.is_empty() { Ok(()) } else { Err(GhError::Invalid(unknown)) }
}

/// Reads an optional id; a non-integer is a 422 on `field`.
pub fn opt_id(body: &Map<String, Value>, field: &str) -> Result<Option<i64>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| GhError::field(field, "must be an integer")),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| GhError::field(field, "must be an integer")),
        Some(_) => Err(GhError::field(field, "must be an integer")),
    }
}

/// Reads a required id.
pub fn req_id(body: &Map<String, Value>, field: &str) -> Result<i64, GhError> {
    opt_id(body, field)?.ok_or_else(|| GhError::field(field, format!("Missing required field: {field}")))
}

/// Reads an optional string; other types are a 422.
pub fn opt_str(body: &Map<String, Value>, field: &str) -> Result<Option<String>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(GhError::field(field, "must be a string")),
    }
}

pub(super) fn string_list(body: &Body, field: &str) -> Result<Vec<String>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| GhError::field(field, "must be an array of strings")))
            .collect(),
        Some(_) => Err(GhError::field(field, "must be an array of strings")),
    }
}

/// A required text member.
pub(super) fn required(body: &Map<String, Value>, field: &str) -> Result<String, GhError> {
    opt_str(body, field)?
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| GhError::field(field, format!("Missing required field: {field}")))
}
