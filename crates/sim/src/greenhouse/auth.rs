//! Greenhouse authentication: the v3 client-credentials token endpoint,
//! bearer checks on `/v3`, and v1 Basic keys with `On-Behalf-Of` on writes.

use super::GhApp;
use super::errors::GhError;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use std::time::{Duration, SystemTime};

/// A minted v3 access token.
#[derive(Clone, Debug, PartialEq)]
pub struct IssuedToken {
    /// The OAuth client that minted it.
    pub client_id: String,
    /// The acting user (`sub`); none means the Integration Service User.
    pub sub: Option<i64>,
    /// Expiry.
    pub expires_at: SystemTime,
}

fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, pass) = decoded.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

/// `POST /token`: Basic `client_id:client_secret`, form `grant_type=client_credentials&sub=<user id>`.
pub async fn token(State(app): State<GhApp>, headers: HeaderMap, body: String) -> Response {
    let Some((client_id, secret)) = basic(&headers) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed");
    };
    let form = crate::log::url_pairs(&body);
    let field = |k: &str| form.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone());
    let sub = {
        let state = app.lock();
        if state.clients.get(&client_id) != Some(&secret) {
            return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed");
        }
        if field("grant_type").as_deref() != Some("client_credentials") {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be client_credentials",
            );
        }
        match field("sub").map(|s| s.parse::<i64>()) {
            None => None,
            Some(Ok(id)) if state.users.get(&id).is_some_and(|u| !u.deactivated) => Some(id),
            Some(_) => {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "sub is not an active user");
            }
        }
    };
    let lifetime = app.token_lifetime();
    let expires_at = SystemTime::now() + lifetime;
    let token = format!("ghv3.{}.{:032x}", hex::encode(client_id.as_bytes()), rand::random::<u128>());
    app.tokens().insert(token.clone(), IssuedToken { client_id, sub, expires_at });
    let expires = chrono::DateTime::<chrono::Utc>::from(expires_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Json(json!({"token_type": "Bearer", "access_token": token, "expires_at": expires})).into_response()
}

/// The v3 caller: the token's `sub`, or 401 for a missing, unknown or expired token.
pub fn v3_actor(app: &GhApp, headers: &HeaderMap) -> Result<Option<i64>, GhError> {
    let unauthorized = || GhError::Unauthorized("Bearer token is missing, invalid or expired".into());
    let value = headers.get("authorization").and_then(|v| v.to_str().ok()).ok_or_else(unauthorized)?;
    let token = value.strip_prefix("Bearer ").ok_or_else(unauthorized)?;
    let tokens = app.tokens();
    let issued = tokens.get(token.trim()).ok_or_else(unauthorized)?;
    if issued.expires_at <= SystemTime::now() {
        return Err(unauthorized());
    }
    Ok(issued.sub)
}

/// A v3 write's caller, as [`v3_actor`], recorded with `what` the write is (`create candidate`,
/// `create note`, ...) in the tenant's attributions: who Greenhouse credits with it.
pub fn v3_writer(app: &GhApp, headers: &HeaderMap, what: &str) -> Result<Option<i64>, GhError> {
    let sub = v3_actor(app, headers)?;
    app.lock().attributions.push(super::model::Attribution { what: what.to_owned(), user_id: sub });
    Ok(sub)
}

/// The v1 caller: a known Basic key; writes also need `On-Behalf-Of` naming an active user.
pub fn v1_actor(app: &GhApp, headers: &HeaderMap, write: bool) -> Result<Option<i64>, GhError> {
    let state = app.lock();
    match basic(headers) {
        Some((key, _)) if state.api_keys.contains(&key) => {}
        _ => {
            return Err(GhError::Unauthorized("Invalid Basic Auth credentials".into()));
        }
    }
    if !write {
        return Ok(None);
    }
    let raw = headers
        .get("on-behalf-of")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| GhError::BadRequest("On-Behalf-Of header is required for writes".into()))?;
    let id = raw.trim().parse::<i64>().map_err(|_| GhError::NotFound(None))?;
    if state.users.get(&id).is_none_or(|u| u.deactivated) {
        return Err(GhError::NotFound(None));
    }
    Ok(Some(id))
}

/// Which credential a request spends rate limit from: the token's client, or the raw Basic header.
pub fn rate_key(headers: &HeaderMap) -> String {
    let value = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("anonymous");
    match value.strip_prefix("Bearer ghv3.").and_then(|rest| rest.split('.').next()) {
        Some(client) => format!("client:{client}"),
        None => value.to_owned(),
    }
}

/// Default token lifetime, as recorded (one hour).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
