//! Console sessions: the signed-in user of a request (from an HttpOnly, SameSite=Strict cookie
//! whose id the database holds only as a hash), the CSRF token every changing form carries,
//! and one-time sign-in links.

use crate::error::ApiError;
use crate::extract::token_hash;
use crate::state::AppState;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use hiresync_core::WorkspaceId;
use hiresync_store::workspaces::{self, User};
use hiresync_store::{StoreError, console, now_ms};

/// The session cookie's name.
pub const COOKIE: &str = "hiresync_session";
/// The cookie that ties a sign-in form to the browser that loaded it (login CSRF).
pub const PRE_COOKIE: &str = "hiresync_signin";
/// How long a session lasts.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;
/// How long a sign-in link stays usable.
pub const LINK_MS: i64 = 15 * 60 * 1000;

/// The signed-in user of a console request, and the CSRF token their forms carry.
#[derive(Clone, Debug)]
pub struct Session {
    /// Who is signed in.
    pub user: User,
    /// The token every state-changing form of this session must send back.
    pub csrf: String,
    id: String,
}

impl Session {
    /// The session id's stored hash, for signing out.
    pub fn id_hash(&self) -> String {
        token_hash(&self.id)
    }
}

/// The CSRF token of a session or sign-in form: derived from the secret in its HttpOnly
/// cookie, so a page of another site can neither read nor compute it.
pub fn csrf_for(secret: &str) -> String {
    token_hash(&format!("csrf:{secret}"))
}

/// A cookie's value in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// Whether the browser reached us over https (directly or through a proxy that says so).
pub fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').next().is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, path `/`, Secure over https.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Why a console request has no session: the browser goes to the sign-in page.
pub struct SignInFirst;

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to("/console/sign-in").into_response()
    }
}

impl<S> FromRequestParts<S> for Session
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let Some(id) = cookie(&parts.headers, COOKIE) else { return Err(SignInFirst.into_response()) };
        match signed_in(&state, id).await {
            Ok(Some(user)) => Ok(Session { user, csrf: csrf_for(id), id: id.to_owned() }),
            Ok(None) => Err(SignInFirst.into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

async fn signed_in(state: &AppState, id: &str) -> Result<Option<User>, ApiError> {
    let mut db = state.store.db().await?;
    let Some((ws, user)) = console::session(&mut db, &token_hash(id), now_ms()).await? else { return Ok(None) };
    let ws = WorkspaceId::from_stored(ws);
    match workspaces::find_user(&mut db, &ws, &user).await {
        Ok(user) => Ok(Some(user)),
        // A removed user's sessions end with their token.
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Starts a session for `user`: the new session id, for the cookie.
pub async fn start(state: &AppState, user: &User) -> Result<String, ApiError> {
    let id = crate::extract::new_token();
    let holder = (user.workspace_id.as_str().to_owned(), user.id.as_str().to_owned());
    let now = now_ms();
    let mut db = state.store.db().await?;
    console::create_session(&mut db, &token_hash(&id), &holder, now, now + SESSION_MS).await?;
    Ok(id)
}

/// Makes a one-time sign-in link token for `user`, usable once within [`LINK_MS`].
pub async fn new_link(store: &hiresync_store::Store, user: &User) -> Result<String, StoreError> {
    let token = crate::extract::new_token();
    let holder = (user.workspace_id.as_str().to_owned(), user.id.as_str().to_owned());
    let now = now_ms();
    let mut db = store.db().await?;
    console::create_link(&mut db, &token_hash(&token), &holder, now, now + LINK_MS).await?;
    Ok(token)
}

/// A state-changing form of a signed-in user, its CSRF token checked: the form's fields in order.
pub struct Change {
    /// Who sent it.
    pub session: Session,
    /// The form's `name=value` pairs, repeated names kept.
    pub form: Form,
}

/// A posted `application/x-www-form-urlencoded` body.
#[derive(Clone, Debug, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// The first value of `name`, trimmed; none when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    async fn read(req: Request) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(req.into_body(), crate::limits::EVENTS_BODY)
            .await
            .map_err(|e| ApiError::Malformed(format!("the form could not be read: {e}")))?;
        Ok(Form(url::form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}

/// Compares two tokens without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<S> FromRequest<S> for Change
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        let form = Form::read(Request::from_parts(parts, body)).await.map_err(IntoResponse::into_response)?;
        if !form.get("csrf").is_some_and(|t| same(t, &session.csrf)) {
            return Err(csrf_refused().into_response());
        }
        Ok(Change { session, form })
    }
}

/// A sign-in form, its CSRF token checked against the pre-session cookie of the browser that
/// loaded the form: another site cannot sign a browser in as someone else.
pub struct SignInForm {
    /// The form's fields.
    pub form: Form,
    /// Whether the browser came over https.
    pub https: bool,
}

impl<S: Send + Sync> FromRequest<S> for SignInForm {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let pre = cookie(req.headers(), PRE_COOKIE).map(csrf_for);
        let https = over_https(req.headers());
        let form = Form::read(req).await.map_err(IntoResponse::into_response)?;
        match (pre, form.get("csrf")) {
            (Some(expected), Some(sent)) if same(&expected, sent) => Ok(SignInForm { form, https }),
            _ => Err(csrf_refused().into_response()),
        }
    }
}

fn csrf_refused() -> ApiError {
    ApiError::Forbidden("the form's CSRF token is missing or does not match this browser's session; reload the page")
}
