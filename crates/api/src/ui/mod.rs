//! The web console served at `/` (API.md "Console"): server-rendered pages, one module each,
//! from the askama templates in `templates/`, plus a little script of our own. Every page
//! reads and every form changes through the REST handlers the API runs, with the signed-in
//! user as their caller, so the console sees and changes exactly what that user's token could.

mod assets;
mod bulk;
mod connections;
mod contacts;
mod contracts;
mod failures;
mod overview;
mod page;
mod sequences;
pub mod session;
mod settings;
mod sign_in;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The console's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(overview::page))
        .route("/console/assets/console.css", get(assets::css))
        .route("/console/assets/console.js", get(assets::js))
        .route("/console/sign-in", get(sign_in::form).post(sign_in::with_token))
        .route("/console/link/{token}", get(sign_in::link_page))
        .route("/console/link", post(sign_in::with_link))
        .route("/console/sign-out", post(sign_in::sign_out))
        .route("/console/connections", get(connections::list).post(connections::create))
        .route("/console/connections/{id}", get(settings::page))
        .route("/console/connections/{id}/settings", post(settings::save))
        .route("/console/connections/{id}/credentials", post(connections::replace_credentials))
        .route("/console/connections/{id}/disconnect", post(connections::disconnect))
        .route("/console/connections/{id}/clone", post(connections::clone))
        .route("/console/sequences", get(sequences::page))
        .route("/console/contacts", get(contacts::search))
        .route("/console/contacts/{id}", get(contacts::page))
        .route("/console/contacts/{id}/resync", post(contacts::resync))
        .route("/console/failures", get(failures::page))
        .route("/console/failures/retry-all", post(failures::retry_all))
        .route("/console/failures/{id}/retry", post(failures::retry))
        .route("/console/contracts", get(contracts::page))
        .route("/console/bulk", get(bulk::page))
        .route("/console/bulk/resyncs", post(bulk::start_resync))
        .route("/console/bulk/resyncs/{id}/progress", get(bulk::resync_progress))
        .route("/console/bulk/imports", post(bulk::start_import))
        .route("/console/bulk/imports/{id}/progress", get(bulk::import_progress))
        .route("/console/bulk/imports/{id}/remove", post(bulk::remove_import))
}
