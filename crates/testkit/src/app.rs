//! A client that drives a running server over HTTP the way the outreach app
//! does.

use crate::eventually::{Polled, eventually};
use anyhow::{Context, Result};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// One user's view of a running server.
#[derive(Clone)]
pub struct TestApp {
    /// The server's root URL.
    pub url: String,
    /// The user's bearer token.
    pub token: String,
    client: reqwest::Client,
}

impl TestApp {
    /// A client for `url` holding `token`.
    pub fn new(url: &str, token: &str) -> Self {
        Self { url: url.to_owned(), token: token.to_owned(), client: reqwest::Client::new() }
    }

    /// The typed client of `hiresync-client`, as an integrating developer's code would hold it.
    pub fn client(&self) -> Result<hiresync_client::Client> {
        Ok(hiresync_client::Client::with_http(self.client.clone(), &self.url, &self.token)?)
    }

    /// Sends a request with the token; returns the status and the JSON body (null when empty).
    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(StatusCode, Value)> {
        self.raw(method, path, body.map(Value::to_string), Some(&self.token)).await
    }

    /// Sends a raw body with an optional token.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        token: Option<&str>,
    ) -> Result<(StatusCode, Value)> {
        let mut req = self.client.request(method.parse()?, format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let resp = req.send().await.with_context(|| format!("{method} {path}"))?;
        let status = resp.status();
        let text = resp.text().await?;
        let json =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Ok((status, json))
    }

    /// Sends and insists on `expected`, returning the body.
    pub async fn expect(&self, method: &str, path: &str, body: Option<&Value>, expected: u16) -> Result<Value> {
        let (status, json) = self.send(method, path, body).await?;
        anyhow::ensure!(status.as_u16() == expected, "{method} {path}: expected {expected}, got {status}: {json}");
        Ok(json)
    }

    /// Creates a connection from `body`, through the typed client, and returns its id.
    pub async fn connect(&self, body: &Value) -> Result<String> {
        let body = serde_json::from_value(body.clone()).context("a ConnectionIn body")?;
        Ok(self.client()?.connect(&body).await.context("POST /v1/connections")?.id)
    }

    /// Polls `GET path` until `done` holds for its body, which it returns; fails after two minutes.
    pub async fn get_until(&self, path: &str, done: impl Fn(&Value) -> bool) -> Result<Value> {
        eventually(&format!("GET {path}"), Duration::from_secs(120), || async {
            let body = self.expect("GET", path, None, 200).await?;
            Ok(if done(&body) { Polled::Ready(body) } else { Polled::Waiting(body.to_string()) })
        })
        .await
    }
}
