//! Contacts: search by email, name or id; one contact's state per connection with its
//! "Open in <Provider>" link, its sync log as a timeline, a resync of it, and a preview of
//! what a sync would write.

use super::page::{Chrome, Flash, after, describe, error_page, html};
use super::session::{Change, Session};
use crate::body::connections::ConnectionOut;
use crate::body::contacts::{LogEntryOut, LogQuery, PreviewQuery, SyncOut};
use crate::body::resyncs::ResyncIn;
use crate::error::ApiError;
use crate::extract::{Caller, Json, Path, Query};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hiresync_store::console;
use serde_json::Value;

/// One search hit.
pub struct Hit {
    /// The app's id.
    pub id: String,
    /// First and last name.
    pub name: String,
    /// Emails, comma-separated.
    pub emails: String,
}

/// The search page.
#[derive(Template)]
#[template(path = "contacts.html")]
pub struct SearchPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// What was searched.
    pub q: String,
    /// What was found.
    pub hits: Vec<Hit>,
}

/// `?q=`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Search {
    /// Email, name or id (any part of them).
    pub q: Option<String>,
}

fn hit(id: String, data: &Value) -> Hit {
    let part = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let name = format!("{} {}", part("first_name"), part("last_name")).trim().to_owned();
    let emails =
        data["emails"].as_array().into_iter().flatten().filter_map(Value::as_str).collect::<Vec<_>>().join(", ");
    Hit { id, name, emails }
}

/// `GET /console/contacts?q=`.
pub async fn search(State(state): State<AppState>, session: Session, Query(s): Query<Search>) -> Response {
    let q = s.q.unwrap_or_default().trim().to_owned();
    let found = async {
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let mut db = state.store.db().await?;
        Ok::<_, ApiError>(console::search_contacts(&mut db, &session.user.workspace_id, &q, 50).await?)
    }
    .await;
    match found {
        Ok(list) => {
            let hits = list.into_iter().map(|c| hit(c.external_id, &c.data)).collect();
            let chrome = Chrome::new(&session, "contacts", &Flash::default());
            html(StatusCode::OK, &SearchPage { chrome, q, hits })
        }
        Err(e) => error_page(&session, &e),
    }
}

/// One contact's page.
#[derive(Template)]
#[template(path = "contact.html")]
pub struct ContactPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// Who.
    pub contact: Hit,
    /// Its state with each connection it was decided for.
    pub states: Vec<SyncOut>,
    /// Its sync log, newest first.
    pub log: Vec<LogEntryOut>,
    /// Connections it can be synced to or previewed on.
    pub conns: Vec<(String, String)>,
    /// The preview asked for: its connection and what it says, or why it could not.
    pub preview: Option<(String, Result<String, String>)>,
}

/// The contact page's query: a preview to show, and a form's outcome.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ContactQuery {
    /// Preview a sync to this connection.
    pub connection_id: Option<String>,
    /// What the last form did.
    pub notice: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// `GET /console/contacts/{id}` (`?connection_id=` adds a preview).
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ContactQuery>,
) -> Response {
    let preview = PreviewQuery { connection_id: q.connection_id };
    let flash = Flash { notice: q.notice, error: q.error };
    match build(&state, &session, id, preview, &flash).await {
        Ok(p) => html(StatusCode::OK, &p),
        Err(e) => error_page(&session, &e),
    }
}

async fn build(
    state: &AppState,
    session: &Session,
    id: String,
    preview: PreviewQuery,
    flash: &Flash,
) -> Result<ContactPage, ApiError> {
    let caller = || Caller(session.user.clone());
    let Json(states) = rest::contacts::sync(State(state.clone()), caller(), Path(id.clone())).await?;
    let Json(log) =
        rest::contacts::log(State(state.clone()), caller(), Path(id.clone()), Query(LogQuery { limit: None })).await?;
    let Json(conns) = rest::connections::list(State(state.clone()), caller()).await?;
    let data = {
        let mut db = state.store.db().await?;
        hiresync_store::contacts::get(&mut db, &session.user.workspace_id, &id).await?.map(|c| c.data)
    };
    let preview = match preview.connection_id.filter(|c| !c.is_empty()) {
        None => None,
        Some(conn) => {
            let q = PreviewQuery { connection_id: Some(conn.clone()) };
            let shown = rest::contacts::preview(State(state.clone()), caller(), Path(id.clone()), Query(q)).await;
            Some((
                conn,
                shown.map(|Json(p)| serde_json::to_string_pretty(&p).unwrap_or_default()).map_err(|e| describe(&e)),
            ))
        }
    };
    let people = |c: &ConnectionOut| hiresync_core::ProviderKind::from(c.provider).syncs_people();
    Ok(ContactPage {
        chrome: Chrome::new(session, "contacts", flash),
        contact: hit(id, &data.unwrap_or(Value::Null)),
        states,
        log,
        conns: conns
            .iter()
            .filter(|c| people(c))
            .map(|c| (c.id.clone(), hiresync_core::ProviderKind::from(c.provider).display_name().to_owned()))
            .collect(),
        preview,
    })
}

/// `POST /console/contacts/{id}/resync`: a resync of this one contact, as `POST /v1/resyncs`.
pub async fn resync(State(state): State<AppState>, Path(id): Path<String>, change: Change) -> Response {
    let body = ResyncIn {
        connection_id: change.form.get("connection_id").unwrap_or_default().to_owned(),
        contacts: Some(vec![id.clone()]),
        sequence: None,
        filter: None,
    };
    let done = rest::resyncs::create(State(state), Caller(change.session.user.clone()), Json(body)).await;
    after(
        &format!("/console/contacts/{}", super::page::segment(&id)),
        done,
        "Resync started; the log below fills in as it runs.",
    )
}
