//! Contract routes: list (filters, sort, limit/offset), read, create from a
//! template with data fields and parties, publish, delete, and data field
//! updates by id, by `c::<custom id>`, or in bulk.

use super::OfApp;
use super::auth::actor;
use super::errors::OfError;
use super::lifecycle::{self, FieldRef};
use super::model::OneflowState;
use super::paging::{list, parse};
use super::parties::party_from;
use super::render;
use super::webhook::notify;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Map, Value, json};

/// The contract routes.
pub fn routes() -> Router<OfApp> {
    Router::new()
        .route("/v1/contracts", get(list_contracts))
        .route("/v1/contracts/create", post(create))
        .route("/v1/contracts/{id}", get(read).delete(remove))
        .route("/v1/contracts/{id}/", get(read).delete(remove))
        .route("/v1/contracts/{id}/publish", post(publish))
        .route("/v1/contracts/{id}/data_fields", put(update_fields))
        .route("/v1/contracts/{id}/data_fields/{field}", put(update_field))
}

/// `http://<host>` of the request, for links.
pub fn base(headers: &HeaderMap) -> String {
    format!("http://{}", headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1"))
}

/// Renders a route's result.
pub fn respond(result: Result<Response, OfError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// A JSON object body, or a 400.
pub fn object(body: &[u8]) -> Result<Map<String, Value>, OfError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(OfError::new(400, "The request body must be a JSON object.")),
    }
}

/// The contract id in a path, or a 404.
pub fn contract_id(state: &OneflowState, raw: &str) -> Result<i64, OfError> {
    raw.parse::<i64>().ok().filter(|id| state.contracts.contains_key(id)).ok_or_else(|| OfError::not_found("Contract"))
}

fn int(body: &Map<String, Value>, name: &str) -> Result<i64, OfError> {
    body.get(name).and_then(Value::as_i64).ok_or_else(|| OfError::parameter(name, "Missing or not an integer."))
}

async fn list_contracts(State(app): State<OfApp>, headers: HeaderMap, uri: Uri) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let p = parse(uri.query())?;
        p.check_filters(&["filter[states]", "filter[data_field_match]", "filter[workspace_ids]"])?;
        let states: Option<Vec<&str>> = p.get("filter[states]").map(|s| s.split(',').map(str::trim).collect());
        let matcher = p.get("filter[data_field_match]").map(|m| m.split_once(':').unwrap_or((m, "")));
        let workspaces: Option<Vec<i64>> =
            p.get("filter[workspace_ids]").map(|w| w.split(',').filter_map(|x| x.trim().parse().ok()).collect());
        let state = app.lock();
        let mut rows: Vec<_> = state
            .contracts
            .values()
            .filter(|c| states.as_ref().is_none_or(|s| s.contains(&c.state.as_str())))
            .filter(|c| workspaces.as_ref().is_none_or(|w| w.contains(&c.workspace_id)))
            .filter(|c| matcher.is_none_or(|(k, v)| c.data_fields.iter().any(|f| f.custom_id == k && f.value == v)))
            .collect();
        if let Some(sort) = p.get("sort") {
            let (desc, key) = sort.strip_prefix('-').map_or((false, sort), |k| (true, k));
            match key {
                "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
                "state" => rows.sort_by(|a, b| a.state.cmp(&b.state)),
                "state_updated_time" => rows.sort_by(|a, b| a.state_updated_time.cmp(&b.state_updated_time)),
                "published_time" => rows.sort_by(|a, b| a.published_time.cmp(&b.published_time)),
                _ => return Err(OfError::parameter("sort", "Unknown sort attribute.")),
            }
            if desc {
                rows.reverse();
            }
        }
        let base = base(&headers);
        let items = rows.iter().map(|c| render::contract(&base, c)).collect();
        Ok(Json(list(&base, uri.path(), &p, items)).into_response())
    })())
}

async fn read(State(app): State<OfApp>, headers: HeaderMap, Path(raw): Path<String>) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let state = app.lock();
        let id = contract_id(&state, &raw)?;
        Ok(Json(render::contract(&base(&headers), &state.contracts[&id])).into_response())
    })())
}

async fn create(State(app): State<OfApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let user = actor(&app, &headers)?;
        let body = object(&body)?;
        let (workspace_id, template_id) = (int(&body, "workspace_id")?, int(&body, "template_id")?);
        let name = body.get("name").and_then(Value::as_str).map(str::to_owned);
        let mut values = Vec::new();
        for item in body.get("data_fields").and_then(Value::as_array).into_iter().flatten() {
            let custom_id = item["custom_id"]
                .as_str()
                .ok_or_else(|| OfError::parameter("data_fields", "custom_id is required."))?;
            let value = match &item["value"] {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                _ => return Err(OfError::parameter("data_fields", "value must be a string.")),
            };
            values.push((custom_id.to_owned(), value));
        }
        let mut state = app.lock();
        let id = lifecycle::create_contract(&mut state, user.as_ref(), workspace_id, template_id, name, &values)?;
        for party in body.get("parties").and_then(Value::as_array).into_iter().flatten() {
            let party = party_from(&mut state, party)?;
            if let Some(c) = state.contracts.get_mut(&id) {
                c.parties.push(party);
            }
        }
        Ok(Json(render::contract(&base(&headers), &state.contracts[&id])).into_response())
    })())
}

async fn publish(State(app): State<OfApp>, headers: HeaderMap, Path(raw): Path<String>, body: Bytes) -> Response {
    respond((|| {
        let user = actor(&app, &headers)?;
        let body = object(&body)?;
        for field in ["subject", "message"] {
            if body.get(field).is_some_and(|v| !v.is_string()) {
                return Err(OfError::parameter(field, "Must be a string."));
            }
        }
        let mut state = app.lock();
        let id = contract_id(&state, &raw)?;
        let event = lifecycle::publish(&mut state, id, user.map(|u| lifecycle::actor(u.id, &u.name)))?;
        let rendered = render::contract(&base(&headers), &state.contracts[&id]);
        drop(state);
        notify(&app, id, &[event]);
        Ok(Json(rendered).into_response())
    })())
}

async fn remove(State(app): State<OfApp>, headers: HeaderMap, Path(raw): Path<String>) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let mut state = app.lock();
        let id = contract_id(&state, &raw)?;
        if state.contracts[&id].state != "draft" {
            return Err(OfError::conflict("Only drafts can be deleted."));
        }
        state.contracts.remove(&id);
        let event =
            lifecycle::record(&mut state, id, "contract:delete", None, json!({"changes": [], "subject": {"id": id}}));
        drop(state);
        notify(&app, id, &[event]);
        Ok(Json(json!("")).into_response())
    })())
}

/// The field a body item names (`id` or `_private_ownerside.custom_id`) and its new value (`None` = unchanged).
fn item(v: &Value) -> Result<(Option<FieldRef>, Option<String>), OfError> {
    let field = match (v.get("id").and_then(Value::as_i64), v["_private_ownerside"]["custom_id"].as_str()) {
        (Some(id), _) => Some(FieldRef::Id(id)),
        (None, Some(c)) => Some(FieldRef::Custom(c.to_owned())),
        (None, None) => None,
    };
    let value = match v.get("value") {
        None => None,
        Some(Value::Null) => Some(String::new()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(OfError::parameter("value", "Must be a string.")),
    };
    Ok((field, value))
}

fn apply(
    app: &OfApp,
    headers: &HeaderMap,
    raw: &str,
    items: &[(FieldRef, Option<String>)],
) -> Result<Vec<Value>, OfError> {
    let user = actor(app, headers)?;
    let who = user.map(|u| lifecycle::actor(u.id, &u.name));
    let mut state = app.lock();
    let id = contract_id(&state, raw)?;
    lifecycle::editable(&mut state, id)?;
    let mut events = Vec::new();
    let mut out = Vec::new();
    for (field, value) in items {
        let current = state.contracts[&id].data_fields.iter().find(|f| match field {
            FieldRef::Id(i) => f.id == *i,
            FieldRef::Custom(c) => &f.custom_id == c,
        });
        let Some(current) = current.cloned() else {
            return Err(OfError::not_found("Data field"));
        };
        let value = value.clone().unwrap_or(current.value);
        let (updated, event) = lifecycle::set_field(&mut state, id, field, &value, who.clone())?;
        events.extend(event);
        out.push(render::data_field(&updated));
    }
    drop(state);
    if !events.is_empty() {
        notify(app, id, &events);
    }
    Ok(out)
}

async fn update_field(
    State(app): State<OfApp>,
    headers: HeaderMap,
    Path((raw, segment)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        let path_field = FieldRef::parse(&segment).ok_or_else(|| OfError::not_found("Data field"))?;
        let (field, value) = item(&Value::Object(object(&body)?))?;
        if field.is_some_and(|f| f != path_field) {
            return Err(OfError::parameter("id", "The data field in the body must match the path."));
        }
        let mut updated = apply(&app, &headers, &raw, &[(path_field, value)])?;
        Ok(Json(updated.pop().unwrap_or(Value::Null)).into_response())
    })())
}

async fn update_fields(State(app): State<OfApp>, headers: HeaderMap, Path(raw): Path<String>, body: Bytes) -> Response {
    respond((|| {
        let body = object(&body)?;
        let items = body
            .get("data_fields")
            .and_then(Value::as_array)
            .ok_or_else(|| OfError::parameter("data_fields", "Must be a list."))?;
        let mut parsed = Vec::new();
        for v in items {
            let (field, value) = item(v)?;
            let field = field.ok_or_else(|| OfError::parameter("data_fields", "Each item needs id or custom_id."))?;
            parsed.push((field, value));
        }
        let data = apply(&app, &headers, &raw, &parsed)?;
        Ok(Json(json!({ "data": data })).into_response())
    })())
}
