//! An in-process API over a test database, with a workspace owner's token.

use anyhow::Result;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hiresync_api::AppState;
use hiresync_core::Role;
use hiresync_engine::{Clients, Intake, Vault};
use hiresync_store::workspaces;
use hiresync_testkit::TestDb;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

/// The master key of the test API's vault, for tests that seal credentials themselves.
pub const VAULT_KEY: [u8; 32] = [7; 32];

/// The router of one test database and the token of its workspace's owner.
#[derive(Clone)]
pub struct Api {
    router: axum::Router,
    /// The owner's bearer token.
    pub token: String,
}

/// One answer: status, content type and the body as JSON (null when empty).
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Api {
    /// The API over `db`, with a workspace and its owner.
    pub async fn new(db: &TestDb) -> Result<Self> {
        let token = hiresync_api::extract::new_token();
        let mut tx = db.store.begin().await?;
        let ws = workspaces::create_workspace(&mut tx, "Acme").await?;
        let hash = hiresync_api::extract::token_hash(&token);
        workspaces::create_user(&mut tx, &ws, "owner@acme.io", Role::Owner, &[], &hash).await?;
        tx.commit().await?;
        let state = AppState {
            store: db.store.clone(),
            intake: Intake::new(db.store.clone()),
            clients: Clients::new(Arc::new(Vault::from_bytes(VAULT_KEY)))
                .with_public_url(url::Url::parse("https://sync.example.com").ok()),
            wake: Arc::default(),
            metrics: Arc::default(),
            off_limits: Arc::default(),
            allow_private_urls: true,
            field_defs: Arc::default(),
        };
        Ok(Self { router: hiresync_api::app(state), token })
    }

    /// The router itself, for requests that carry no bearer token (the console's).
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// The same API as the holder of `token`.
    pub fn as_user(&self, token: &str) -> Self {
        Self { router: self.router.clone(), token: token.to_owned() }
    }

    /// Posts `body` with `headers` and no token, as a provider delivers a webhook.
    pub async fn post_unauthenticated(&self, path: &str, body: &str, headers: &[(&str, String)]) -> Result<Answer> {
        let mut req = Request::builder().method("POST").uri(path).header(header::CONTENT_TYPE, "application/json");
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        let response = self.router.clone().oneshot(req.body(Body::from(body.to_owned()))?).await?;
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, content_type, body })
    }

    /// Sends `body` (raw text, as JSON) with the owner's token.
    pub async fn send(&self, method: &str, path: &str, body: Option<&str>) -> Result<Answer> {
        let mut req =
            Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        let req = req.body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))?;
        let response = self.router.clone().oneshot(req).await?;
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Ok(Answer { status, content_type, body })
    }
}

impl Answer {
    /// The status and the first field at fault, for a problem+json answer.
    pub fn problem(&self) -> (u16, Option<&str>) {
        assert_eq!(self.content_type, "application/problem+json", "{}", self.body);
        (self.status.as_u16(), self.body["errors"][0]["field"].as_str())
    }
}

/// A Greenhouse connection of `workspace`, personal to `user` when given, with sealed-looking
/// credentials no provider call ever opens.
pub fn connection(
    workspace: &hiresync_core::WorkspaceId,
    user: Option<&hiresync_core::UserId>,
) -> hiresync_store::connections::Connection {
    hiresync_store::connections::Connection {
        id: hiresync_core::ConnectionId::generate(),
        workspace_id: workspace.clone(),
        user_id: user.cloned(),
        provider: hiresync_core::ProviderKind::Greenhouse,
        base_url: None,
        auth_base_url: None,
        rate_limit: None,
        sealed_credentials: "sealed".into(),
        key_id: "k".into(),
        status: "connected".into(),
        last_error: None,
        failing_since: None,
        settings: serde_json::Map::new(),
        created_at: hiresync_store::now_ms(),
    }
}

/// A no-op job of `workspace` on `connection` for contact `c1`, ordered by `key`.
pub fn noop_job(workspace: &hiresync_core::WorkspaceId, connection: &str, key: &str) -> hiresync_store::queue::NewJob {
    hiresync_store::queue::NewJob {
        workspace_id: workspace.as_str().to_owned(),
        connection_id: Some(connection.to_owned()),
        contact_id: Some("c1".into()),
        ordering_key: key.into(),
        kind: "noop_v1".into(),
        payload: format!(r#"{{"kind": "noop_v1", "key": "{key}"}}"#),
        priority: hiresync_store::queue::PRIORITY_BULK,
        max_attempts: 3,
        run_at: hiresync_store::now_ms(),
    }
}
