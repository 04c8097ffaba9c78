//! Teamtailor-specific `/_sim/` routes: read or reset the company, merge a
//! seed, seed with the typed helpers, move an application as a recruiter.

use super::TtApp;
use super::model::TeamtailorState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

/// `/_sim/state` (GET, DELETE), `/_sim/seed` (POST state JSON),
/// `/_sim/seed/{api_key,user,job,candidate,custom_field,application}`,
/// `/_sim/actions/{move_application,set_custom_field}`.
pub fn routes() -> Router<TtApp> {
    Router::new()
        .route(
            "/_sim/state",
            get(|State(app): State<TtApp>| async move { Json(app.lock().clone()) }).delete(
                |State(app): State<TtApp>| async move {
                    *app.lock() = TeamtailorState::default();
                    Json(json!({"reset": true}))
                },
            ),
        )
        .route(
            "/_sim/seed",
            post(|State(app): State<TtApp>, Json(seed): Json<TeamtailorState>| async move {
                app.merge(seed);
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/_sim/seed/api_key",
            post(|State(app): State<TtApp>, Json(k): Json<ApiKey>| async move {
                app.add_api_key(&k.api_key);
                StatusCode::CREATED
            }),
        )
        .route(
            "/_sim/seed/user",
            post(|State(app): State<TtApp>, Json(u): Json<NewUser>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_user(&u.name, &u.email)})))
            }),
        )
        .route(
            "/_sim/seed/job",
            post(|State(app): State<TtApp>, Json(j): Json<NewJob>| async move {
                let stages: Vec<&str> = j.stages.iter().map(String::as_str).collect();
                let status = j.status.as_deref().unwrap_or("open");
                (StatusCode::CREATED, Json(app.add_job_with_status(&j.title, status, &stages)))
            }),
        )
        .route(
            "/_sim/seed/candidate",
            post(|State(app): State<TtApp>, Json(c): Json<NewCandidate>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_candidate(&c.first_name, &c.last_name, &c.email)})))
            }),
        )
        .route(
            "/_sim/seed/custom_field",
            post(|State(app): State<TtApp>, Json(f): Json<NewField>| async move {
                let options: Vec<&str> = f.options.iter().map(String::as_str).collect();
                (StatusCode::CREATED, Json(app.add_custom_field(&f.api_name, &f.name, &f.field_type, &options)))
            }),
        )
        .route("/_sim/seed/application", post(add_application))
        .route("/_sim/actions/move_application", post(move_application))
        .route("/_sim/actions/set_custom_field", post(set_custom_field))
}

async fn set_custom_field(State(app): State<TtApp>, Json(m): Json<Value>) -> Response {
    let id = |k: &str| m.get(k).and_then(Value::as_i64).unwrap_or_default();
    let value = m.get("value").cloned().unwrap_or(Value::Null);
    match app.recruiter_sets_custom_field(id("candidate_id"), id("custom_field_id"), &value) {
        Ok(id) => (StatusCode::OK, Json(json!({ "id": id }))).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn add_application(State(app): State<TtApp>, Json(a): Json<NewApplication>) -> Response {
    match app.add_application(a.candidate_id, a.job_id) {
        Ok(id) => (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn move_application(State(app): State<TtApp>, Json(m): Json<Value>) -> Response {
    let id = |k: &str| m.get(k).and_then(Value::as_i64).unwrap_or_default();
    match app.move_application(id("application_id"), id("stage_id")) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct ApiKey {
    api_key: String,
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    email: String,
}

#[derive(Deserialize)]
struct NewJob {
    title: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    stages: Vec<String>,
}

#[derive(Deserialize)]
struct NewCandidate {
    first_name: String,
    last_name: String,
    email: String,
}

#[derive(Deserialize)]
struct NewField {
    api_name: String,
    name: String,
    field_type: String,
    #[serde(default)]
    options: Vec<String>,
}

#[derive(Deserialize)]
struct NewApplication {
    candidate_id: i64,
    job_id: i64,
}
