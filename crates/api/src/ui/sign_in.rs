//! Signing in (an API token, or a one-time link) and out.

use super::page::html;
use super::session::{self, COOKIE, Change, PRE_COOKIE, SESSION_MS, SignInForm, csrf_for, set_cookie};
use crate::error::ApiError;
use crate::extract::{Path, token_hash};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hiresync_core::WorkspaceId;
use hiresync_store::{StoreError, console, now_ms, workspaces};

/// The sign-in page: a token form, or the button that uses a one-time link.
#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    /// Ties the form to this browser.
    pub csrf: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The link's token, when signing in with a link.
    pub link_token: Option<String>,
}

/// Shows the page, giving the browser the pre-session cookie its form is tied to.
fn page(headers: &HeaderMap, status: StatusCode, error: Option<String>, link_token: Option<String>) -> Response {
    let https = session::over_https(headers);
    let (pre, fresh) = match session::cookie(headers, PRE_COOKIE) {
        Some(p) => (p.to_owned(), false),
        None => (crate::extract::new_token(), true),
    };
    let mut response = html(status, &SignInPage { csrf: csrf_for(&pre), error, link_token });
    if fresh {
        response.headers_mut().append(header::SET_COOKIE, set_cookie(PRE_COOKIE, &pre, 3600, https));
    }
    response
}

/// `GET /console/sign-in`.
pub async fn form(headers: HeaderMap) -> Response {
    page(&headers, StatusCode::OK, None, None)
}

/// `POST /console/sign-in`: an API token starts a session.
pub async fn with_token(State(state): State<AppState>, headers: HeaderMap, signin: SignInForm) -> Response {
    let token = signin.form.get("token").unwrap_or_default();
    let user = async {
        let mut db = state.store.db().await?;
        Ok::<_, ApiError>(workspaces::user_by_token_hash(&mut db, &token_hash(token)).await?)
    }
    .await;
    match user {
        Ok(Some(user)) => signed_in(&state, &user, signin.https).await,
        Ok(None) => page(&headers, StatusCode::UNAUTHORIZED, Some("That token is not valid.".into()), None),
        Err(e) => e.into_response(),
    }
}

/// `GET /console/link/{token}`: a button that uses the link. Loading the page does not use it,
/// so a mail scanner or chat preview that fetches the link leaves it working.
pub async fn link_page(headers: HeaderMap, Path(token): Path<String>) -> Response {
    page(&headers, StatusCode::OK, None, Some(token))
}

/// `POST /console/link`: a one-time link starts a session, once.
pub async fn with_link(State(state): State<AppState>, headers: HeaderMap, signin: SignInForm) -> Response {
    let token = signin.form.get("token").unwrap_or_default();
    let user = async {
        let mut db = state.store.db().await?;
        let Some((ws, user)) = console::use_link(&mut db, &token_hash(token), now_ms()).await? else {
            return Ok(None);
        };
        match workspaces::find_user(&mut db, &WorkspaceId::from_stored(ws), &user).await {
            Ok(u) => Ok(Some(u)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(ApiError::from(e)),
        }
    }
    .await;
    match user {
        Ok(Some(user)) => signed_in(&state, &user, signin.https).await,
        Ok(None) => {
            let why = "This sign-in link was used already, has expired, or never existed. Ask for a new one.";
            page(&headers, StatusCode::UNAUTHORIZED, Some(why.into()), None)
        }
        Err(e) => e.into_response(),
    }
}

async fn signed_in(state: &AppState, user: &workspaces::User, https: bool) -> Response {
    match session::start(state, user).await {
        Ok(id) => {
            let mut response = Redirect::to("/").into_response();
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, set_cookie(COOKIE, &id, SESSION_MS / 1000, https));
            headers.append(header::SET_COOKIE, set_cookie(PRE_COOKIE, "", 0, https));
            response
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /console/sign-out`.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap, change: Change) -> Response {
    let ended = async {
        let mut db = state.store.db().await?;
        console::delete_session(&mut db, &change.session.id_hash()).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    if let Err(e) = ended {
        return e.into_response();
    }
    let mut response = Redirect::to("/console/sign-in").into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie(COOKIE, "", 0, session::over_https(&headers)));
    response
}
