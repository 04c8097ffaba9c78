//! Request extractors whose rejections are problem+json: the bearer-token
//! caller and a JSON body that tells malformed (400) from invalid (422).

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use hiresync_store::workspaces::{self, User};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The authenticated user of a request.
#[derive(Clone, Debug)]
pub struct Caller(pub User);

/// The stored form of a bearer token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random bearer token.
pub fn new_token() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rngs::OsRng;
    let body: String = (0..40).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])).collect();
    format!("hs_{body}")
}

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let mut c = state.store.db().await?;
        let user = workspaces::user_by_token_hash(&mut c, &token_hash(token)).await?.ok_or(ApiError::Unauthorized)?;
        Ok(Caller(user))
    }
}

/// A JSON body: 400 when it is not JSON, leaving validation (422) to the handler.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| ApiError::Malformed(e.body_text()))?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::Malformed(format!("the body is not valid JSON: {e}")))
    }
}

/// A typed query string whose rejection is a 422 naming the parameter at fault, never axum's plain text.
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de).map(Query).map_err(|e| {
            let field = e.path().to_string();
            let field = if field == "." { "query".to_owned() } else { field };
            ApiError::field(field, e.inner().to_string())
        })
    }
}

/// The decoded `key=value` pairs of a query string, repeated keys kept in order.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// A yes/no query flag: absent is no; anything but true/false/1/0 is a 422 naming it.
pub fn query_flag(pairs: &[(String, String)], name: &str) -> Result<bool, ApiError> {
    match pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()) {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1" | "") => Ok(true),
        Some(_) => Err(ApiError::field(name, "must be true or false")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_random_and_hashed_stably() {
        let (a, b) = (super::new_token(), super::new_token());
        assert_ne!(a, b);
        assert!(a.starts_with("hs_") && a.len() == 43);
        assert_eq!(super::token_hash(&a), super::token_hash(&a));
        assert_eq!(super::token_hash(&a).len(), 64);
    }
}
