//! Reading Clockwork request bodies: one JSON object under a wrapper key
//! (`{"person": {...}}`), fields checked by type, Rails-style messages.

use super::errors::CwError;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// A body's wrapped object.
pub type Fields = Map<String, Value>;

/// The object under `key` of a JSON body; 400 when the body or the wrapper is missing.
pub fn wrapped(body: &[u8], key: &str) -> Result<Fields, CwError> {
    let missing = || CwError::BadRequest(format!("param is missing or the value is empty: {key}"));
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut map)) => match map.remove(key) {
            Some(Value::Object(inner)) => Ok(inner),
            _ => Err(missing()),
        },
        _ => Err(missing()),
    }
}

/// An optional string field; other types are a 400.
pub fn opt_str(f: &Fields, key: &str) -> Result<Option<String>, CwError> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CwError::BadRequest(format!("{key} must be a string"))),
    }
}

/// A required, non-blank string field.
pub fn req_str(f: &Fields, key: &str) -> Result<String, CwError> {
    opt_str(f, key)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| CwError::BadRequest(format!("{key} can't be blank")))
}

/// An optional boolean field.
pub fn opt_bool(f: &Fields, key: &str) -> Result<Option<bool>, CwError> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(CwError::BadRequest(format!("{key} must be a boolean"))),
    }
}

/// An optional integer field within `range`.
pub fn opt_int(f: &Fields, key: &str, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, CwError> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) if range.contains(&v) => Ok(Some(v)),
            _ => Err(CwError::BadRequest(format!("{key} is out of range"))),
        },
        Some(_) => Err(CwError::BadRequest(format!("{key} must be an integer"))),
    }
}

/// An optional list of strings.
pub fn str_list(f: &Fields, key: &str) -> Result<Vec<String>, CwError> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| CwError::BadRequest(format!("{key} must list strings")))
            })
            .collect(),
        Some(_) => Err(CwError::BadRequest(format!("{key} must be an array"))),
    }
}

/// The response of a handler body.
pub fn respond(result: Result<Response, CwError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}
