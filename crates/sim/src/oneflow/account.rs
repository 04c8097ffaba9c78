//! Account routes: `/ping`, users, workspaces, templates, template types,
//! and webhook registration (`callback_url` 1–1000 chars, optional
//! `sign_key`, EVENT_TYPE / WORKSPACE filters).

use super::OfApp;
use super::auth::actor;
use super::contracts::{base, object, respond};
use super::errors::OfError;
use super::model::Webhook;
use super::paging::{list, parse};
use super::render;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use serde_json::{Value, json};

/// The account routes.
pub fn routes() -> Router<OfApp> {
    Router::new()
        .route(
            "/v1/ping",
            get(|State(app): State<OfApp>, h: HeaderMap| async move {
                respond(actor(&app, &h).map(|_| Json(json!({})).into_response()))
            }),
        )
        .route("/v1/users", get(users))
        .route("/v1/workspaces", get(workspaces))
        .route("/v1/templates", get(templates))
        .route("/v1/template_types/{id}", get(template_type))
        .route("/v1/webhooks", get(webhooks).post(create_webhook))
        .route("/v1/webhooks/{id}", delete(delete_webhook))
}

fn listing(
    app: &OfApp,
    headers: &HeaderMap,
    uri: &Uri,
    items: impl FnOnce(&super::model::OneflowState) -> Vec<Value>,
) -> axum::response::Response {
    respond((|| {
        actor(app, headers)?;
        let p = parse(uri.query())?;
        let items = items(&app.lock());
        Ok(Json(list(&base(headers), uri.path(), &p, items)).into_response())
    })())
}

async fn users(State(app): State<OfApp>, headers: HeaderMap, uri: Uri) -> axum::response::Response {
    listing(&app, &headers, &uri, |s| {
        s.users.values().map(|u| json!({"id": u.id, "name": u.name, "email": u.email})).collect()
    })
}

async fn workspaces(State(app): State<OfApp>, headers: HeaderMap, uri: Uri) -> axum::response::Response {
    listing(&app, &headers, &uri, |s| {
        s.workspaces
            .values()
            .map(|w| json!({"id": w.id, "name": w.name, "_permissions": {"contract:create": true}, "company_name": "Simulated Company AB"}))
            .collect()
    })
}

async fn templates(State(app): State<OfApp>, headers: HeaderMap, uri: Uri) -> axum::response::Response {
    listing(&app, &headers, &uri, |s| s.templates.keys().filter_map(|id| render::template(s, *id)).collect())
}

async fn template_type(
    State(app): State<OfApp>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> axum::response::Response {
    respond((|| {
        actor(&app, &headers)?;
        let state = app.lock();
        let t = raw
            .parse::<i64>()
            .ok()
            .and_then(|id| state.template_types.get(&id))
            .ok_or_else(|| OfError::not_found("Template type"))?;
        Ok(Json(render::template_type(t)).into_response())
    })())
}

async fn webhooks(State(app): State<OfApp>, headers: HeaderMap, uri: Uri) -> axum::response::Response {
    listing(&app, &headers, &uri, |s| s.webhooks.values().map(render::webhook).collect())
}

async fn create_webhook(State(app): State<OfApp>, headers: HeaderMap, body: Bytes) -> axum::response::Response {
    respond((|| {
        actor(&app, &headers)?;
        let body = object(&body)?;
        let url = body.get("callback_url").and_then(Value::as_str).unwrap_or_default();
        if url.is_empty() || url.len() > 1000 {
            return Err(OfError::parameter("callback_url", "Must be 1 to 1000 characters."));
        }
        let filters = body.get("filters").cloned().unwrap_or_else(|| json!([]));
        for rule in filters
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["filter_rules"].as_array().cloned().unwrap_or_default())
        {
            if !matches!(rule["type"].as_str(), Some("EVENT_TYPE" | "WORKSPACE")) || !rule["values"].is_array() {
                return Err(OfError::parameter(
                    "filters",
                    "Rules need a type of EVENT_TYPE or WORKSPACE and a list of values.",
                ));
            }
        }
        let mut state = app.lock();
        let webhook_id = state.next_id();
        let hook = Webhook {
            webhook_id,
            callback_url: url.to_owned(),
            sign_key: body.get("sign_key").and_then(Value::as_str).unwrap_or_default().to_owned(),
            filters,
        };
        state.webhooks.insert(webhook_id, hook.clone());
        Ok(Json(render::webhook(&hook)).into_response())
    })())
}

async fn delete_webhook(
    State(app): State<OfApp>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> axum::response::Response {
    respond((|| {
        actor(&app, &headers)?;
        let mut state = app.lock();
        let id = raw
            .parse::<i64>()
            .ok()
            .filter(|id| state.webhooks.contains_key(id))
            .ok_or_else(|| OfError::not_found("Webhook"))?;
        state.webhooks.remove(&id);
        Ok(axum::http::StatusCode::NO_CONTENT.into_response())
    })())
}
