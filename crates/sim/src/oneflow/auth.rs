//! Oneflow authentication: `x-oneflow-api-token` must name a seeded token;
//! `x-oneflow-user-email`, when sent, must name an account user (401 for
//! either); without it the call runs as the anonymous admin.

use super::OfApp;
use super::errors::OfError;
use super::model::User;
use axum::http::HeaderMap;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
}

/// The acting user (none for the anonymous admin), or a 401.
pub fn actor(app: &OfApp, headers: &HeaderMap) -> Result<Option<User>, OfError> {
    let token = header(headers, "x-oneflow-api-token").ok_or_else(|| OfError::unauthorized("Missing API token."))?;
    let state = app.lock();
    if !state.tokens.iter().any(|t| t == token) {
        return Err(OfError::unauthorized("Invalid API token or user email."));
    }
    match header(headers, "x-oneflow-user-email") {
        None => Ok(None),
        Some(email) => state
            .user_by_email(email)
            .cloned()
            .map(Some)
            .ok_or_else(|| OfError::unauthorized("Invalid API token or user email.")),
    }
}

/// Which token a request spends rate limit from.
pub fn rate_key(headers: &HeaderMap) -> String {
    header(headers, "x-oneflow-api-token").unwrap_or("anonymous").to_owned()
}
