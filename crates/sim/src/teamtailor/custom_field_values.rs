//! Custom field values: `POST /v1/custom-field-values` (a `custom-field`
//! and a candidate `owner`, one value per field and owner) and `PATCH
//! /v1/custom-field-values/{id}`, with the value checked against the field
//! type (Checkbox bool, Number number, Date `YYYY-MM-DD`, Select an option
//! id, MultiSelect option ids, other types text).

use super::TtApp;
use super::auth::check;
use super::body::parse;
use super::errors::TtError;
use super::model::{CustomFieldValue, TeamtailorState};
use super::render::Kind;
use super::render::{created, respond};
use super::webhook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{patch, post};
use serde_json::Value;

/// The custom field value routes.
pub fn routes() -> Router<TtApp> {
    Router::new().route("/v1/custom-field-values", post(create)).route("/v1/custom-field-values/{id}", patch(update))
}

fn option_id(state: &TeamtailorState, field: i64, v: &Value) -> Option<Value> {
    let id = match v {
        Value::String(s) => s.trim().parse::<i64>().ok()?,
        Value::Number(n) => n.as_i64()?,
        _ => return None,
    };
    state.custom_field_options.get(&id).filter(|o| o.custom_field_id == field).map(|_| Value::String(id.to_string()))
}

/// The stored form of `value` for `field`, or a 422.
pub fn checked(state: &TeamtailorState, field: i64, value: &Value) -> Result<Value, TtError> {
    let Some(def) = state.custom_fields.get(&field) else {
        return Err(TtError::field("custom-field", "must exist"));
    };
    let kind = def.field_type.strip_prefix("CustomField::").unwrap_or(&def.field_type);
    let bad = |what: &str| TtError::field("value", &format!("is not a valid {what}"));
    match (kind, value) {
        (_, Value::Null) => Ok(Value::Null),
        ("Checkbox", Value::Bool(_)) => Ok(value.clone()),
        ("Checkbox", _) => Err(bad("boolean")),
        ("Number", Value::Number(_)) => Ok(value.clone()),
        ("Number", Value::String(s)) if s.trim().parse::<f64>().is_ok() => Ok(value.clone()),
        ("Number", _) => Err(bad("number")),
        ("Date", Value::String(s)) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => Ok(value.clone()),
        ("Date", _) => Err(bad("date")),
        ("Select", v) => option_id(state, field, v).ok_or_else(|| bad("option")),
        ("MultiSelect", Value::Array(items)) => items
            .iter()
            .map(|i| option_id(state, field, i).ok_or_else(|| bad("option")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        ("MultiSelect", _) => Err(bad("list of options")),
        (_, Value::String(_)) => Ok(value.clone()),
        _ => Err(bad("text")),
    }
}

async fn create(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc = parse(&headers, &body, "custom-field-values", None, &["value"], &["custom-field", "owner"])?;
        let value = doc.attributes.get("value").cloned().unwrap_or(Value::Null);
        let mut state = app.lock();
        let field = doc.related("custom-field").ok_or_else(|| TtError::field("custom-field", "can't be blank"))?;
        let owner = doc
            .related("owner")
            .filter(|o| state.candidates.contains_key(o))
            .ok_or_else(|| TtError::field("owner", "must exist"))?;
        let value = checked(&state, field, &value)?;
        if state.custom_field_values.values().any(|v| v.custom_field_id == field && v.candidate_id == owner) {
            return Err(TtError::field("custom-field", "has already been taken"));
        }
        let id = state.next_id();
        state
            .custom_field_values
            .insert(id, CustomFieldValue { id, custom_field_id: field, candidate_id: owner, value });
        drop(state);
        webhook::candidate(&app, "candidate.update", owner);
        Ok(created(&app, &headers, &version, StatusCode::CREATED, Kind::CustomFieldValues, id))
    })())
}

async fn update(State(app): State<TtApp>, headers: HeaderMap, Path(raw): Path<String>, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let id = raw.parse::<i64>().map_err(|_| TtError::missing("custom-field-values", &raw))?;
        let doc = parse(&headers, &body, "custom-field-values", Some(id), &["value"], &[])?;
        let mut state = app.lock();
        let mut row =
            state.custom_field_values.get(&id).cloned().ok_or_else(|| TtError::missing("custom-field-values", &raw))?;
        let changed = match doc.attributes.get("value") {
            Some(v) => {
                let v = checked(&state, row.custom_field_id, v)?;
                let changed = v != row.value;
                row.value = v;
                changed
            }
            None => false,
        };
        let owner = row.candidate_id;
        state.custom_field_values.insert(id, row);
        drop(state);
        if changed {
            webhook::candidate(&app, "candidate.update", owner);
        }
        Ok(created(&app, &headers, &version, StatusCode::OK, Kind::CustomFieldValues, id))
    })())
}
