//! A connection's credentials: the JSON object the user gave, kept secret, and
//! the one way every provider reads it into its typed shape. Reading names the
//! key at fault and never a value, so a 422 can quote it without leaking a
//! secret: every field goes through a reader here or in the provider's
//! `config.rs` that words its own error, and serde itself only ever reports a
//! missing key.

use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// A connection's credentials as the JSON object the user gave, kept secret.
#[derive(Clone)]
pub struct Credentials(pub SecretString);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials([REDACTED])")
    }
}

/// A provider's typed credentials object.
pub trait CredentialShape: DeserializeOwned {
    /// The provider whose credentials these are; errors name it.
    const PROVIDER: ProviderKind;

    /// The message for a required key that is absent or blank.
    fn missing(key: &str) -> String {
        format!("`{key}` is required")
    }
}

/// What a field reader says about a blank or absent value, turned into [`CredentialShape::missing`].
const REQUIRED: &str = "is required";

/// A credentials error: permanent, since only the user can fix it.
pub fn invalid(provider: ProviderKind, message: impl Into<String>) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, provider, "read credentials", message)
}

/// The credentials as a JSON object.
pub fn object(provider: ProviderKind, credentials: &Credentials) -> Result<Map<String, Value>> {
    match serde_json::from_str(credentials.0.expose_secret()) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(invalid(provider, "credentials must be a JSON object")),
    }
}

/// Reads the credentials into the provider's shape.
pub fn parse<T: CredentialShape>(credentials: &Credentials) -> Result<T> {
    fields(object(T::PROVIDER, credentials)?)
}

/// Reads a credentials object into the provider's shape, naming the key at fault.
pub fn fields<T: CredentialShape>(object: Map<String, Value>) -> Result<T> {
    serde_path_to_error::deserialize(Value::Object(object)).map_err(|e| {
        let key = e.path().to_string();
        let why = e.inner().to_string();
        let message = match why.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
            Some(absent) => T::missing(absent),
            None if why == REQUIRED => T::missing(&key),
            None => format!("`{key}` {why}"),
        };
        invalid(T::PROVIDER, message)
    })
}

/// The key of every ATS connection's credentials holding what its provider signs webhook
/// deliveries with (Greenhouse's secret key, Teamtailor's signature key, Clockwork's hook URL token).
pub const WEBHOOK_SECRET: &str = "webhook_secret";

/// The connection's webhook secret, if it set one; a blank one is none. Anything but text is
/// refused naming the key.
pub fn webhook_secret(provider: ProviderKind, credentials: &Credentials) -> Result<Option<SecretString>> {
    match object(provider, credentials)?.get(WEBHOOK_SECRET) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(SecretString::from(s.trim().to_owned()))),
        Some(_) => Err(invalid(provider, format!("`{WEBHOOK_SECRET}` must be the webhook's secret (text)"))),
    }
}

/// A hash identifying a credential (its shared rate limiter's key), never the secret itself.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
    }
    hex::encode(&hash.finalize()[..16])
}

/// A required text field, trimmed; blank or not a string reads as absent.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        _ => Err(D::Error::custom(REQUIRED)),
    }
}

/// A required secret, trimmed; blank or not a string reads as absent.
pub fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    text(d).map(SecretString::from)
}

/// A field that must be a JSON string, or null: anything else is refused with `message`.
pub fn optional_text<'de, D: Deserializer<'de>>(d: D, message: &str) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
        _ => Err(D::Error::custom(message)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    struct Shape {
        #[serde(deserialize_with = "text")]
        name: String,
        #[serde(deserialize_with = "secret")]
        key: SecretString,
        #[serde(default, deserialize_with = "region")]
        region: Option<String>,
    }

    fn region<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        optional_text(d, "must be a region")
    }

    impl CredentialShape for Shape {
        const PROVIDER: ProviderKind = ProviderKind::Teamtailor;
    }

    fn read(v: Value) -> Result<Shape> {
        parse(&Credentials(v.to_string().into()))
    }

    #[test]
    fn a_webhook_secret_is_optional_text() {
        let read = |v: Value| webhook_secret(ProviderKind::Greenhouse, &Credentials(v.to_string().into()));
        assert_eq!(read(json!({"webhook_secret": " k "})).unwrap().unwrap().expose_secret(), "k");
        assert!(read(json!({"api_key": "x"})).unwrap().is_none());
        assert!(read(json!({"webhook_secret": "  "})).unwrap().is_none());
        let err = read(json!({"webhook_secret": 12345})).unwrap_err().to_string();
        assert!(err.contains("`webhook_secret`") && !err.contains("12345"), "{err}");
    }

    #[test]
    fn errors_name_the_key_and_never_a_value() {
        let ok = read(json!({"name": " n ", "key": "hunter2", "extra": 1})).unwrap();
        assert_eq!((ok.name.as_str(), ok.key.expose_secret(), ok.region), ("n", "hunter2", None));
        let message = |v| read(v).unwrap_err().message;
        assert_eq!(message(json!({"name": "n"})), "`key` is required");
        assert_eq!(message(json!({"name": " ", "key": "k"})), "`name` is required");
        assert_eq!(message(json!({"name": "n", "key": 7})), "`key` is required");
        assert_eq!(message(json!({"name": "n", "key": "hunter2", "region": 3})), "`region` must be a region");
        let err = parse::<Shape>(&Credentials("nope".to_owned().into())).unwrap_err();
        assert_eq!(
            (err.kind, err.provider, err.message.as_str()),
            (ErrorKind::Permanent, ProviderKind::Teamtailor, "credentials must be a JSON object")
        );
        assert!(!format!("{:?}", read(json!({"name": "hunter2", "key": 1}))).contains("hunter2"));
    }
}
