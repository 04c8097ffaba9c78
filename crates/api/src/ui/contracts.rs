//! Contracts: each recent contract's state, its synced fields (Oneflow's value beside
//! Teamtailor's) and whether the signed file reached Teamtailor, as `GET /v1/contracts/{id}`
//! shows them to the user.

use super::page::{Chrome, Flash, error_page, html};
use super::session::Session;
use crate::body::contracts::ContractOut;
use crate::error::ApiError;
use crate::extract::{Caller, Json, Path, Query};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hiresync_store::console;

/// The contracts page.
#[derive(Template)]
#[template(path = "contracts.html")]
pub struct ContractsPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// Recent contracts the user may see, newest first.
    pub contracts: Vec<ContractOut>,
}

/// `GET /console/contracts`.
pub async fn page(State(state): State<AppState>, session: Session, Query(flash): Query<Flash>) -> Response {
    match build(&state, &session).await {
        Ok(contracts) => {
            html(StatusCode::OK, &ContractsPage { chrome: Chrome::new(&session, "contracts", &flash), contracts })
        }
        Err(e) => error_page(&session, &e),
    }
}

async fn build(state: &AppState, session: &Session) -> Result<Vec<ContractOut>, ApiError> {
    let ids = {
        let mut db = state.store.db().await?;
        console::recent_contracts(&mut db, &session.user.workspace_id, 100).await?
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match rest::contracts::get(State(state.clone()), Caller(session.user.clone()), Path(id)).await {
            Ok(Json(c)) => out.push(c),
            // Contracts through connections the user may not see stay out of the list.
            Err(ApiError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
