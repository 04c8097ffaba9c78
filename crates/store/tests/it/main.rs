//! Store conformance: every test runs unchanged on SQLite and, when
//! `HIRESYNC_TEST_DATABASE_URL` is set, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod bulk;
mod events;
mod fairness;
mod queue;
mod rate_budgets;
mod records;
mod retention;
mod sqlite_file;
mod upgrade;

use hiresync_core::WorkspaceId;
use hiresync_store::connections;

/// A connection of `ws` as the API would store it, credentials already sealed.
pub fn connection(ws: &WorkspaceId, provider: hiresync_core::ProviderKind) -> connections::Connection {
    connections::Connection {
        id: hiresync_core::ConnectionId::generate(),
        workspace_id: ws.clone(),
        user_id: None,
        provider,
        base_url: None,
        auth_base_url: None,
        rate_limit: None,
        sealed_credentials: "sealed".into(),
        key_id: "k1".into(),
        status: "connected".into(),
        last_error: None,
        failing_since: None,
        settings: serde_json::Map::new(),
        created_at: 1,
    }
}
