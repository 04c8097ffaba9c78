//! Greenhouse-specific `/_sim/` routes: read or reset the tenant, merge a
//! seed, seed with the typed helpers, expire tokens.

use super::GhApp;
use super::model::GreenhouseState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

/// `/_sim/state` (GET, DELETE), `/_sim/seed` (POST state JSON), `/_sim/seed/{client,user,job,prospect_pool,candidate,custom_field}`, `/_sim/tokens/expire`.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/_sim/state", get(|State(app): State<GhApp>| async move { Json(app.lock().clone()) }).delete(reset))
        .route(
            "/_sim/seed",
            post(|State(app): State<GhApp>, Json(seed): Json<GreenhouseState>| async move {
                app.merge(seed);
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/_sim/seed/client",
            post(|State(app): State<GhApp>, Json(c): Json<Client>| async move {
                app.add_client(&c.client_id, &c.client_secret);
                StatusCode::CREATED
            }),
        )
        .route(
            "/_sim/seed/api_key",
            post(|State(app): State<GhApp>, Json(k): Json<ApiKey>| async move {
                app.add_api_key(&k.api_key);
                StatusCode::CREATED
            }),
        )
        .route(
            "/_sim/seed/user",
            post(|State(app): State<GhApp>, Json(p): Json<Named>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_user(&p.first_name, &p.last_name, &p.email)})))
            }),
        )
        .route(
            "/_sim/seed/candidate",
            post(|State(app): State<GhApp>, Json(p): Json<Named>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_candidate(&p.first_name, &p.last_name, &p.email)})))
            }),
        )
        .route(
            "/_sim/seed/job",
            post(|State(app): State<GhApp>, Json(t): Json<Staged>| async move {
                (StatusCode::CREATED, Json(app.add_job(&t.name, &t.stage_refs())))
            }),
        )
        .route(
            "/_sim/seed/prospect_pool",
            post(|State(app): State<GhApp>, Json(t): Json<Staged>| async move {
                (StatusCode::CREATED, Json(app.add_prospect_pool(&t.name, &t.stage_refs())))
            }),
        )
        .route(
            "/_sim/seed/custom_field",
            post(|State(app): State<GhApp>, Json(f): Json<Field>| async move {
                let options: Vec<&str> = f.options.iter().map(String::as_str).collect();
                (
                    StatusCode::CREATED,
                    Json(json!({"id": app.add_custom_field(&f.name_key, &f.name, &f.value_type, &options)})),
                )
            }),
        )
        .route(
            "/_sim/tokens/expire",
            post(|State(app): State<GhApp>| async move {
                app.expire_tokens();
                StatusCode::NO_CONTENT
            }),
        )
}

async fn reset(State(app): State<GhApp>) -> Json<Value> {
    *app.lock() = GreenhouseState::default();
    Json(json!({"reset": true}))
}

#[derive(Deserialize)]
struct Client {
    client_id: String,
    client_secret: String,
}

#[derive(Deserialize)]
struct ApiKey {
    api_key: String,
}

#[derive(Deserialize)]
struct Named {
    first_name: String,
    last_name: String,
    email: String,
}

#[derive(Deserialize)]
struct Staged {
    name: String,
    #[serde(default)]
    stages: Vec<String>,
}

impl Staged {
    fn stage_refs(&self) -> Vec<&str> {
        self.stages.iter().map(String::as_str).collect()
    }
}

#[derive(Deserialize)]
struct Field {
    name_key: String,
    name: String,
    value_type: String,
    #[serde(default)]
    options: Vec<String>,
}
