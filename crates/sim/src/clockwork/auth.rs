//! Clockwork authentication as the connectors send it: `Authorization:
//! Token <base64(api_key:api_secret)>` plus `X-API-Key: <firm service key>`,
//! on a path naming the firm.

use super::CwApp;
use super::errors::CwError;
use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

fn token(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Token ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (key, secret) = decoded.split_once(':')?;
    Some((key.to_owned(), secret.to_owned()))
}

/// Checks the firm in the path (404 when unknown), then both credentials (401).
pub fn check(app: &CwApp, firm: &str, headers: &HeaderMap) -> Result<(), CwError> {
    let state = app.lock();
    if !state.firm.eq_ignore_ascii_case(firm) {
        return Err(CwError::NotFound("Firm not found".into()));
    }
    let service_key = headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !state.firm_service_keys.iter().any(|k| k == service_key) {
        return Err(CwError::Unauthorized);
    }
    match token(headers) {
        Some((key, secret)) if state.api_keys.iter().any(|k| k.api_key == key && k.api_secret == secret) => Ok(()),
        _ => Err(CwError::Unauthorized),
    }
}

/// Which credential a request spends rate limit from: the API key in the token.
pub fn rate_key(headers: &HeaderMap) -> String {
    token(headers).map_or_else(|| "anonymous".to_owned(), |(key, _)| format!("key:{key}"))
}
