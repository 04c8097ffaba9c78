//! Job payloads: a serde-tagged enum whose variant names carry their version,
//! so a payload stored by an older release is still read correctly.

use hiresync_core::Decision;
use serde::{Deserialize, Serialize};

/// What a job does, as stored in the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobPayload {
    /// Carry out the decision taken for one event and one connection.
    SyncEventV1 {
        /// The event's idempotency key.
        event_id: String,
        /// The connection to write to.
        connection_id: String,
        /// The contact's external id.
        contact: String,
        /// The decision taken at ingest.
        decision: Decision,
    },
    /// Does nothing but complete: `hiresync bench` measures the queue's own cost with it.
    NoopV1 {
        /// Its ordering key; distinct keys let no-op jobs run side by side.
        key: String,
    },
}

impl JobPayload {
    /// The stored kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            JobPayload::SyncEventV1 { .. } => "sync_event_v1",
            JobPayload::NoopV1 { .. } => "noop_v1",
        }
    }

    /// The operation named in the sync log.
    pub fn operation(&self) -> &str {
        match self {
            JobPayload::SyncEventV1 { decision, .. } => decision.action(),
            JobPayload::NoopV1 { .. } => "noop",
        }
    }

    /// Jobs of one key run one at a time, in order.
    pub fn ordering_key(&self) -> String {
        match self {
            JobPayload::SyncEventV1 { connection_id, contact, .. } => format!("{connection_id}:{contact}"),
            JobPayload::NoopV1 { key } => key.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_names_its_versioned_kind() {
        let p = JobPayload::SyncEventV1 {
            event_id: "e1".into(),
            connection_id: "conn_1".into(),
            contact: "c1".into(),
            decision: Decision::Activity,
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["kind"], p.kind());
        assert_eq!(serde_json::from_value::<JobPayload>(v).unwrap(), p);
        assert_eq!(p.ordering_key(), "conn_1:c1");
    }
}
