//! What a decision is taken from besides the event and the settings: the
//! contact's own override and the sequence's own target. Ingest decides with
//! these when an event arrives, and a resync when it replays one.

use hiresync_core::Target;
use hiresync_core::decision::SyncOverride;
use hiresync_store::connections::Connection;
use serde_json::Value;

/// The contact's own sync override (SPEC S3), as stored.
pub(crate) fn contact_override(data: &Value) -> Option<SyncOverride> {
    data.get("sync_override").and_then(Value::as_str).and_then(SyncOverride::parse)
}

/// The sequence's "Custom Sync" target when it names this connection.
pub(crate) fn own_target(conn: &Connection, target: Option<&Value>) -> Option<Target> {
    let t = target?;
    (t.get("connection_id").and_then(Value::as_str) == Some(conn.id.as_str()))
        .then(|| Target::parse(conn.provider, t, "target").ok())
        .flatten()
}
