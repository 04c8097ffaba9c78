//! v1 authorisation: the Harvest key as Basic auth on every request, and
//! `On-Behalf-Of` naming the acting user on every write (reads need none).

use crate::Result;
use crate::greenhouse::client::Auth;
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

/// A v1 key and the user writes are attributed to.
#[derive(Debug)]
pub struct BasicKey {
    /// Harvest API key.
    pub api_key: SecretString,
    /// The user writes are attributed to.
    pub on_behalf_of_user_id: i64,
}

#[async_trait]
impl Auth for BasicKey {
    async fn authorize(
        &self,
        request: reqwest::RequestBuilder,
        write: bool,
        as_user: Option<i64>,
    ) -> Result<(reqwest::RequestBuilder, Option<SecretString>)> {
        let request = request.basic_auth(self.api_key.expose_secret(), Some(""));
        let user = as_user.unwrap_or(self.on_behalf_of_user_id);
        let request = if write { request.header("On-Behalf-Of", user.to_string()) } else { request };
        Ok((request, None))
    }

    /// A key is not replaced by asking again: a 401 stands.
    async fn refused(&self, _token: &SecretString) {}

    fn acting_user(&self) -> i64 {
        self.on_behalf_of_user_id
    }
}
