//! Bulk work: resyncs and imports with progress bars that refresh themselves (a partial the
//! page polls), recurring imports and their removal, and forms that start either.

use super::page::{Chrome, Flash, after, error_page, html};
use super::session::{Change, Session};
use crate::body::common::TargetObject;
use crate::body::imports::{ImportIn, ImportOut};
use crate::body::resyncs::{ResyncIn, ResyncOut, ResyncState};
use crate::error::ApiError;
use crate::extract::{Caller, Json, Path, Query};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hiresync_store::console;

/// A resync's progress bar (the partial the page polls).
#[derive(Template)]
#[template(path = "resync_progress.html")]
pub struct ResyncProgress {
    /// The resync.
    pub r: ResyncOut,
}

impl ResyncProgress {
    /// Whether every contact finished.
    pub fn finished(&self) -> bool {
        matches!(self.r.state, ResyncState::Done)
    }
}

/// An import's progress (the partial the page polls).
#[derive(Template)]
#[template(path = "import_progress.html")]
pub struct ImportProgress {
    /// The import.
    pub i: ImportOut,
    /// The CSRF token for its remove button.
    pub csrf: String,
}

impl ImportProgress {
    /// Whether it stopped working (a one-off that ended, or a stopped recurring one).
    pub fn finished(&self) -> bool {
        self.i.state != "running" && self.i.state != "queued"
    }
}

/// The bulk page.
#[derive(Template)]
#[template(path = "bulk.html")]
pub struct BulkPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// Recent resyncs.
    pub resyncs: Vec<ResyncProgress>,
    /// Imports.
    pub imports: Vec<ImportProgress>,
    /// Connections that sync people: id and label.
    pub conns: Vec<(String, String)>,
}

/// `GET /console/bulk`.
pub async fn page(State(state): State<AppState>, session: Session, Query(flash): Query<Flash>) -> Response {
    match build(&state, &session, &flash).await {
        Ok(p) => html(StatusCode::OK, &p),
        Err(e) => error_page(&session, &e),
    }
}

async fn build(state: &AppState, session: &Session, flash: &Flash) -> Result<BulkPage, ApiError> {
    let caller = || Caller(session.user.clone());
    let recent = {
        let mut db = state.store.db().await?;
        console::recent_resyncs(&mut db, &session.user.workspace_id, 20).await?
    };
    let mut resyncs = Vec::new();
    for r in recent {
        if rest::connections::may_see_work(state, &session.user, &r.connection_id).await? {
            resyncs.push(ResyncProgress { r: r.into() });
        }
    }
    let Json(imports) = rest::imports::list(State(state.clone()), caller()).await?;
    let Json(conns) = rest::connections::list(State(state.clone()), caller()).await?;
    Ok(BulkPage {
        chrome: Chrome::new(session, "bulk", flash),
        resyncs,
        imports: imports.into_iter().map(|i| ImportProgress { i, csrf: session.csrf.clone() }).collect(),
        conns: conns
            .into_iter()
            .filter(|c| hiresync_core::ProviderKind::from(c.provider).syncs_people())
            .map(|c| {
                let label = format!("{} ({})", hiresync_core::ProviderKind::from(c.provider).display_name(), c.id);
                (c.id, label)
            })
            .collect(),
    })
}

/// `GET /console/bulk/resyncs/{id}/progress`: one resync's bar.
pub async fn resync_progress(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    match rest::resyncs::get(State(state), Caller(session.user.clone()), Path(id)).await {
        Ok(Json(r)) => html(StatusCode::OK, &ResyncProgress { r }),
        Err(e) => error_page(&session, &e),
    }
}

/// `GET /console/bulk/imports/{id}/progress`: one import's counts.
pub async fn import_progress(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    match rest::imports::get(State(state), Caller(session.user.clone()), Path(id)).await {
        Ok(Json(i)) => html(StatusCode::OK, &ImportProgress { i, csrf: session.csrf.clone() }),
        Err(e) => error_page(&session, &e),
    }
}

/// `POST /console/bulk/resyncs`: a sequence's contacts, or a list of contact ids, as `POST /v1/resyncs`.
pub async fn start_resync(State(state): State<AppState>, change: Change) -> Response {
    let form = &change.form;
    let contacts: Vec<String> = form
        .get("contacts")
        .unwrap_or_default()
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let body = ResyncIn {
        connection_id: form.get("connection_id").unwrap_or_default().to_owned(),
        contacts: (!contacts.is_empty()).then_some(contacts),
        sequence: form.get("sequence").map(str::to_owned),
        filter: None,
    };
    let done = rest::resyncs::create(State(state), Caller(change.session.user.clone()), Json(body)).await;
    after("/console/bulk", done, "Resync started.")
}

/// `POST /console/bulk/imports`: people of a target into a sequence, as `POST /v1/imports`.
pub async fn start_import(State(state): State<AppState>, change: Change) -> Response {
    let form = &change.form;
    let done = async {
        let target: TargetObject = serde_json::from_str(form.get("target").unwrap_or_default())
            .map_err(|_| ApiError::field("target", r#"must be a target object, such as {"job_id": 4012}"#))?;
        let body = ImportIn {
            connection_id: form.get("connection_id").unwrap_or_default().to_owned(),
            target,
            sequence: form.get("sequence").unwrap_or_default().to_owned(),
            recurring: Some(form.get("recurring").is_some()),
        };
        rest::imports::create(State(state), Caller(change.session.user.clone()), Json(body)).await
    }
    .await;
    after("/console/bulk", done, "Import started.")
}

/// `POST /console/bulk/imports/{id}/remove`: stops an import (a recurring one runs no more).
pub async fn remove_import(State(state): State<AppState>, Path(id): Path<String>, change: Change) -> Response {
    let done = rest::imports::delete(State(state), Caller(change.session.user.clone()), Path(id)).await;
    after("/console/bulk", done, "Import stopped.")
}
