//! Sequences: each with its owner, its "Sync Disabled" and "Custom Sync" indicators (SPEC L3)
//! and its target, naming the target's connection only to whoever may use it.

use super::page::{Chrome, Flash, error_page, html};
use super::session::Session;
use crate::error::ApiError;
use crate::extract::Query;
use crate::rest::connections::usable_by;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hiresync_store::{connections, console, workspaces};
use serde_json::Value;

/// One sequence's row.
pub struct Row {
    /// The app's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its owner's email.
    pub owner: String,
    /// "Sync Disabled", "Custom Sync".
    pub indicators: Vec<&'static str>,
    /// Its target: provider and ids, or that it is another user's connection.
    pub target: Option<String>,
    /// Tags pushed with each person synced from it.
    pub tags: String,
}

/// The sequences page.
#[derive(Template)]
#[template(path = "sequences.html")]
pub struct SequencesPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// The sequences.
    pub rows: Vec<Row>,
}

/// `GET /console/sequences`.
pub async fn page(State(state): State<AppState>, session: Session, Query(flash): Query<Flash>) -> Response {
    match rows(&state, &session).await {
        Ok(rows) => html(StatusCode::OK, &SequencesPage { chrome: Chrome::new(&session, "sequences", &flash), rows }),
        Err(e) => error_page(&session, &e),
    }
}

async fn rows(state: &AppState, session: &Session) -> Result<Vec<Row>, ApiError> {
    let ws = &session.user.workspace_id;
    let mut db = state.store.db().await?;
    let all = console::sequences(&mut db, ws, 500).await?;
    let users = workspaces::list_users(&mut db, ws).await?;
    let conns = connections::list(&mut db, ws).await?;
    Ok(all
        .into_iter()
        .map(|s| {
            let target = s.target.as_ref().map(|t| {
                let conn_id = t.get("connection_id").and_then(Value::as_str).unwrap_or_default();
                match conns.iter().find(|k| k.id.as_str() == conn_id) {
                    Some(k) if usable_by(&session.user, k) => {
                        let mut ids = t.as_object().cloned().unwrap_or_default();
                        ids.remove("connection_id");
                        format!("{} {}", k.provider.display_name(), Value::Object(ids))
                    }
                    Some(_) => "another user's connection".to_owned(),
                    None => "a connection since removed".to_owned(),
                }
            });
            Row {
                owner: users.iter().find(|u| u.id == s.owner_id).map_or_else(String::new, |u| u.email.clone()),
                indicators: s
                    .indicators()
                    .into_iter()
                    .map(|i| if i == "sync_disabled" { "Sync Disabled" } else { "Custom Sync" })
                    .collect(),
                tags: s.sync_tags.join(", "),
                target,
                id: s.external_id,
                name: s.name,
            }
        })
        .collect())
}
