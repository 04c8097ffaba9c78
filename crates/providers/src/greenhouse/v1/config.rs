//! Legacy v1 connection settings: the credential shape (a Harvest key and the
//! user writes are attributed to) and the client built from it.

use super::GreenhouseV1Provider;
use super::auth::BasicKey;
use crate::credentials::{self, CredentialShape};
use crate::greenhouse::GreenhouseClient;
use crate::greenhouse::client::harvest_http;
use crate::greenhouse::config::{api_root, missing_user, user_id};
use crate::{ConnectOptions, People, Result};
use hiresync_core::ProviderKind;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::sync::Arc;

/// Legacy Harvest v1 credentials: `{"api_key", "on_behalf_of_user_id"}`.
#[derive(Clone, Debug, Deserialize)]
pub struct V1Credentials {
    /// Harvest API key.
    #[serde(deserialize_with = "credentials::secret")]
    pub api_key: SecretString,
    /// The Greenhouse user writes are attributed to (`On-Behalf-Of`).
    #[serde(deserialize_with = "user_id")]
    pub on_behalf_of_user_id: i64,
}

impl CredentialShape for V1Credentials {
    const PROVIDER: ProviderKind = ProviderKind::Greenhouse;

    fn missing(key: &str) -> String {
        missing_user(key)
    }
}

/// The people client of a v1 key.
pub fn connect(credentials: V1Credentials, options: &ConnectOptions) -> Result<Arc<dyn People>> {
    let base_url = api_root(options)?;
    let key = format!("v1:{}", credentials.api_key.expose_secret());
    let http = harvest_http(
        credentials::fingerprint(&[base_url.as_str(), &key]),
        options.rate_limit,
        options.budgets.clone(),
    )?;
    let auth = BasicKey { api_key: credentials.api_key, on_behalf_of_user_id: credentials.on_behalf_of_user_id };
    Ok(Arc::new(GreenhouseV1Provider::new(GreenhouseClient::with_auth(http, base_url, Arc::new(auth)))))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_v1_shape_parses_with_a_text_user_id_and_names_a_bad_one() {
        let object = |v: serde_json::Value| v.as_object().unwrap().clone();
        let c: V1Credentials =
            credentials::fields(object(json!({"api_key": "k", "on_behalf_of_user_id": "17130511003"}))).unwrap();
        assert_eq!(c.on_behalf_of_user_id, 17130511003);
        let err = credentials::fields::<V1Credentials>(object(json!({"api_key": "hunter2"}))).unwrap_err();
        assert_eq!(err.message, "`on_behalf_of_user_id` must be a Greenhouse user id (a positive integer)");
    }
}
