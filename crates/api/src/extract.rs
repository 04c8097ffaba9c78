//! Request extractors whose rejections are problem+json: the bearer-token
//! caller, a JSON body that tells malformed (400) from invalid (422), and a
//! query string and path parameters that name the parameter at fault.

use crate::error::ApiError;
use crate::limits::BodyLimit;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use hiresync_store::workspaces::{self, User};
use serde::Serialize;
use serde::de::DeserializeOwned;
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

/// A JSON body (`T` from the request, or a response of `T`). A body that is not JSON is a 400;
/// one that does not fit `T` is a 422 naming the field at fault as a JSON path (`emails[0]`,
/// `[3].type`), serde's word for what is wrong as its message.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        from_slice(&bytes).map(Json)
    }
}

/// The body's bytes as sent (webhooks verify them before parsing): a 413 problem over the
/// route's limit, a 400 when it cannot be read.
#[derive(Debug)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req.extensions().get::<BodyLimit>().map(|l| l.0);
        Bytes::from_request(req, state).await.map(RawBody).map_err(|e| match limit {
            Some(limit) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(limit),
            _ => ApiError::Malformed(e.body_text()),
        })
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Reads a JSON body into `T` as [`Json`] does, for a handler whose body may be empty.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Parsing to a value first keeps the two failures apart: bad syntax is the client's
    // encoding (400), a value that does not fit is its content (422), and the latter's
    // message carries no line and column of a body the client never wrote by hand.
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::Malformed(format!("the body is not valid JSON: {e}")))?;
    serde_path_to_error::deserialize(value).map_err(|e| invalid(e.path(), &e.inner().to_string(), ""))
}

/// The 422 for a value that did not deserialize: the field its path names, or for a missing
/// field the field itself (serde reports it at the object holding it); `root` names the
/// input as a whole.
fn invalid(path: &serde_path_to_error::Path, message: &str, root: &str) -> ApiError {
    let at = match path.to_string() {
        p if p == "." => String::new(),
        p => p,
    };
    // serde words a missing field as "missing field `name`" and offers no other handle on it.
    let missing = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`'));
    let (field, message) = match missing {
        Some(name) if at.is_empty() => (name.to_owned(), "required"),
        Some(name) => (format!("{at}.{name}"), "required"),
        None if at.is_empty() => (root.to_owned(), message),
        None => (at, message),
    };
    ApiError::field(field, message)
}

/// A typed query string whose rejection is a 422 naming the parameter at fault, never axum's plain text.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de).map(Query).map_err(|e| invalid(e.path(), &e.inner().to_string(), "query"))
    }
}

/// Path parameters whose rejection is a 422 naming the parameter at fault, never axum's plain text.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let (key, message) = match e.into_kind() {
                    ErrorKind::ParseErrorAtKey { key, expected_type, .. } => (Some(key), must_be(expected_type)),
                    // A single parameter read as a whole is not named in the error; the route has only the one.
                    ErrorKind::ParseError { expected_type, .. } => (only_param(parts), must_be(expected_type)),
                    ErrorKind::DeserializeError { key, message, .. } => (Some(key), message),
                    ErrorKind::InvalidUtf8InPathParam { key } => {
                        (Some(key), "must be UTF-8 once percent-decoded".to_owned())
                    }
                    other => (None, other.to_string()),
                };
                match key {
                    Some(key) => Err(ApiError::field(key, message)),
                    None => Err(ApiError::Internal(format!("path parameters do not fit the handler: {message}"))),
                }
            }
            Err(e) => Err(ApiError::Internal(format!("path parameters unavailable: {}", e.body_text()))),
        }
    }
}

/// What a path parameter of a Rust type must hold, in the words of the API.
fn must_be(expected_type: &str) -> String {
    const INTEGERS: [&str; 10] = ["i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128"];
    if INTEGERS.contains(&expected_type) {
        "must be an integer".to_owned()
    } else {
        format!("must be a {expected_type}")
    }
}

/// The name of the route's one path parameter.
fn only_param(parts: &Parts) -> Option<String> {
    let params = parts.extensions.get::<axum::extract::MatchedPath>()?.as_str();
    let mut names = params.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'));
    match (names.next(), names.next()) {
        (Some(name), None) => Some(name.to_owned()),
        _ => None,
    }
}

/// The decoded `key=value` pairs of a query string, repeated keys kept in order.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect()
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
