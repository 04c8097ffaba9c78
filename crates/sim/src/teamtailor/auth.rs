//! Teamtailor request checks: a known `X-Api-Version` (else 406), an
//! `Authorization: Token token=<key>` naming a seeded key (else 401), and the
//! JSON:API media type on writes (else 415).

use super::TtApp;
use super::errors::TtError;
use axum::http::HeaderMap;

/// API versions the simulator accepts (seen in Teamtailor's docs and recent clients).
pub const VERSIONS: &[&str] = &["20161108", "20210218", "20240404"];

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

/// The request's API version and key, or the error Teamtailor answers with.
pub fn check(app: &TtApp, headers: &HeaderMap) -> Result<String, TtError> {
    let version = header(headers, "x-api-version")
        .filter(|v| VERSIONS.contains(v))
        .map(str::to_owned)
        .ok_or(TtError::BadVersion)?;
    let key =
        header(headers, "authorization").and_then(|v| v.strip_prefix("Token token=")).ok_or(TtError::Unauthorized)?;
    if !app.lock().api_keys.iter().any(|k| k == key.trim_matches('"')) {
        return Err(TtError::Unauthorized);
    }
    Ok(version)
}

/// Writes must be sent as `application/vnd.api+json`.
pub fn require_jsonapi(headers: &HeaderMap) -> Result<(), TtError> {
    let sent = header(headers, "content-type").unwrap_or_default();
    if sent.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/vnd.api+json")) {
        Ok(())
    } else {
        Err(TtError::MediaType(sent.to_owned()))
    }
}

/// Which key a request spends rate limit from.
pub fn rate_key(headers: &HeaderMap) -> String {
    header(headers, "authorization").unwrap_or("anonymous").to_owned()
}
