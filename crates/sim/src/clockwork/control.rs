//! Clockwork-specific `/_sim/` routes: read or reset the firm, merge a seed,
//! seed with the typed helpers, flip Do Not Contact.

use super::CwApp;
use super::model::ClockworkState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// `/_sim/state` (GET, DELETE), `/_sim/seed` (POST state JSON),
/// `/_sim/seed/{credentials,statuses,project,person,tag,candidacy}`,
/// `/_sim/people/{id}/do_not_contact` (PUT `{"value": bool}`).
pub fn routes() -> Router<CwApp> {
    Router::new()
        .route("/_sim/state", get(|State(app): State<CwApp>| async move { Json(app.lock().clone()) }).delete(reset))
        .route(
            "/_sim/seed",
            post(|State(app): State<CwApp>, Json(seed): Json<ClockworkState>| async move {
                app.merge(seed);
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/_sim/seed/credentials",
            post(|State(app): State<CwApp>, Json(c): Json<Creds>| async move {
                app.add_credentials(&c.api_key, &c.api_secret, &c.firm_service_key);
                StatusCode::CREATED
            }),
        )
        .route(
            "/_sim/seed/statuses",
            post(|State(app): State<CwApp>, Json(n): Json<Names>| async move {
                let ids = if n.names.is_empty() {
                    app.seed_default_statuses()
                } else {
                    app.add_statuses(&n.names.iter().map(String::as_str).collect::<Vec<_>>())
                };
                (StatusCode::CREATED, Json(json!({ "ids": ids })))
            }),
        )
        .route(
            "/_sim/seed/project",
            post(|State(app): State<CwApp>, Json(p): Json<NewProject>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_project(&p.name, &p.status)})))
            }),
        )
        .route(
            "/_sim/seed/person",
            post(|State(app): State<CwApp>, Json(p): Json<NewPerson>| async move {
                let id = app.add_person(&p.name, &p.email);
                app.set_do_not_contact(&id, p.do_not_contact);
                (StatusCode::CREATED, Json(json!({ "id": id })))
            }),
        )
        .route(
            "/_sim/seed/tag",
            post(|State(app): State<CwApp>, Json(t): Json<NewTag>| async move {
                (StatusCode::CREATED, Json(json!({"id": app.add_tag(&t.name)})))
            }),
        )
        .route("/_sim/seed/candidacy", post(candidacy))
        .route("/_sim/people/{id}/do_not_contact", put(do_not_contact))
}

async fn reset(State(app): State<CwApp>) -> StatusCode {
    let mut s = app.lock();
    let firm = s.firm.clone();
    *s = ClockworkState { firm, ..ClockworkState::default() };
    StatusCode::NO_CONTENT
}

async fn candidacy(State(app): State<CwApp>, Json(c): Json<NewCandidacy>) -> Response {
    match app.add_candidacy(&c.person_id, &c.project_id, c.status_id.as_deref()) {
        Ok(id) => (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn do_not_contact(State(app): State<CwApp>, Path(id): Path<String>, Json(f): Json<Flag>) -> StatusCode {
    if app.set_do_not_contact(&id, f.value) { StatusCode::NO_CONTENT } else { StatusCode::NOT_FOUND }
}

#[derive(Deserialize)]
struct Creds {
    api_key: String,
    api_secret: String,
    firm_service_key: String,
}

#[derive(Deserialize)]
struct Names {
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Deserialize)]
struct NewProject {
    name: String,
    #[serde(default = "active")]
    status: String,
}

fn active() -> String {
    "Active".into()
}

#[derive(Deserialize)]
struct NewPerson {
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    do_not_contact: bool,
}

#[derive(Deserialize)]
struct NewTag {
    name: String,
}

#[derive(Deserialize)]
struct NewCandidacy {
    person_id: String,
    project_id: String,
    #[serde(default)]
    status_id: Option<String>,
}

#[derive(Deserialize)]
struct Flag {
    value: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::super::{ClockworkSim, DEFAULT_STATUSES};
    use serde_json::{Value, json};

    #[tokio::test]
    async fn the_control_routes_seed_flip_read_merge_and_reset_the_firm() {
        let sim = ClockworkSim::start().await.unwrap();
        let http = reqwest::Client::new();
        let url = |path: &str| format!("{}{path}", sim.base_url());
        let post = |path: &str, body: Value| http.post(url(path)).json(&body).send();
        let creds = json!({"api_key": "k", "api_secret": "s", "firm_service_key": "f"});
        assert_eq!(post("/_sim/seed/credentials", creds).await.unwrap().status(), 201);
        let statuses: Value = post("/_sim/seed/statuses", json!({})).await.unwrap().json().await.unwrap();
        assert_eq!(statuses["ids"].as_array().unwrap().len(), DEFAULT_STATUSES.len());
        let project: Value = post("/_sim/seed/project", json!({"name": "CFO"})).await.unwrap().json().await.unwrap();
        let person: Value =
            post("/_sim/seed/person", json!({"name": "Ada", "email": "ada@example.com", "do_not_contact": true}))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        let (pid, prj) = (person["id"].as_str().unwrap(), project["id"].as_str().unwrap());
        let placed = post("/_sim/seed/candidacy", json!({"person_id": pid, "project_id": prj})).await.unwrap();
        assert_eq!(placed.status(), 201);
        let again = post("/_sim/seed/candidacy", json!({"person_id": pid, "project_id": prj})).await.unwrap();
        assert_eq!(again.status(), 400);
        let state = sim.state();
        assert!(state.people[pid].do_not_contact);
        assert_eq!(state.projects[prj].status, "Active");
        assert_eq!(state.candidacies.values().next().unwrap().status_id.as_deref(), statuses["ids"][0].as_str());

        let flip = http.put(url(&format!("/_sim/people/{pid}/do_not_contact"))).json(&json!({"value": false}));
        assert_eq!(flip.send().await.unwrap().status(), 204);
        assert!(!sim.state().people[pid].do_not_contact);

        let snapshot: Value = http.get(url("/_sim/state")).send().await.unwrap().json().await.unwrap();
        assert_eq!(http.delete(url("/_sim/state")).send().await.unwrap().status(), 204);
        assert!(sim.state().people.is_empty() && sim.firm() == "acme");
        assert_eq!(post("/_sim/seed", snapshot).await.unwrap().status(), 204);
        assert_eq!(sim.state().people.len(), 1);
        let fresh = sim.app().add_person("Grace", "");
        assert!(fresh.as_str() > pid, "ids handed out after a merge still sort after seeded ones");
    }
}
