//! Oneflow-specific `/_sim/` routes: read or reset the account, merge a
//! seed, seed with the typed helpers, and the participants' actions.

use super::OfApp;
use super::model::OneflowState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

/// `/_sim/state` (GET, DELETE), `/_sim/seed`, `/_sim/seed/{token,user,workspace,template,contract}`,
/// `/_sim/actions/{set_field,sign_all}`.
pub fn routes() -> Router<OfApp> {
    Router::new()
        .route(
            "/_sim/state",
            get(|State(app): State<OfApp>| async move { Json(app.lock().clone()) }).delete(
                |State(app): State<OfApp>| async move {
                    *app.lock() = OneflowState::default();
                    Json(json!({"reset": true}))
                },
            ),
        )
        .route(
            "/_sim/seed",
            post(|State(app): State<OfApp>, Json(seed): Json<OneflowState>| async move {
                app.merge(seed);
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/_sim/seed/token",
            post(|State(app): State<OfApp>, Json(v): Json<Value>| async move {
                app.add_token(v["token"].as_str().unwrap_or_default());
                StatusCode::CREATED
            }),
        )
        .route(
            "/_sim/seed/user",
            post(|State(app): State<OfApp>, Json(u): Json<Named>| async move {
                (
                    StatusCode::CREATED,
                    Json(json!({"id": app.add_user(&u.name, u.email.as_deref().unwrap_or_default())})),
                )
            }),
        )
        .route(
            "/_sim/seed/workspace",
            post(|State(app): State<OfApp>, Json(w): Json<Named>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_workspace(&w.name)})))
            }),
        )
        .route("/_sim/seed/template", post(add_template))
        .route("/_sim/seed/contract", post(add_contract))
        .route("/_sim/actions/set_field", post(set_field))
        .route("/_sim/actions/sign_all", post(sign_all))
}

#[derive(Deserialize)]
struct Named {
    name: String,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Deserialize)]
struct NewTemplate {
    workspace_id: i64,
    name: String,
    /// `[[custom_id, label], ...]`.
    #[serde(default)]
    fields: Vec<(String, String)>,
}

async fn add_template(State(app): State<OfApp>, Json(t): Json<NewTemplate>) -> Response {
    let fields: Vec<(&str, &str)> = t.fields.iter().map(|(c, n)| (c.as_str(), n.as_str())).collect();
    (StatusCode::CREATED, Json(app.add_template(t.workspace_id, &t.name, &fields))).into_response()
}

async fn add_contract(State(app): State<OfApp>, Json(v): Json<Value>) -> Response {
    let values: Vec<(String, String)> = v["values"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
        .unwrap_or_default();
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match app.add_contract(v["template_id"].as_i64().unwrap_or_default(), &values) {
        Ok(id) => (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn set_field(State(app): State<OfApp>, Json(v): Json<Value>) -> Response {
    let contract = v["contract_id"].as_i64().unwrap_or_default();
    let field = v["custom_id"].as_str().unwrap_or_default();
    match app.participant_sets_field(contract, field, v["value"].as_str().unwrap_or_default()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn sign_all(State(app): State<OfApp>, Json(v): Json<Value>) -> Response {
    match app.sign_all(v["contract_id"].as_i64().unwrap_or_default()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}
