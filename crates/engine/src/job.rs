//! Job payloads: a serde-tagged enum whose variant names carry their version,
//! so a payload stored by an older release is still read correctly.

use hiresync_core::{Decision, ProviderKind};
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
    /// Reconcile one contract's mapped fields between Oneflow and Teamtailor, and attach
    /// its signed file once every party has signed (SPEC B2-B4). The webhook that caused
    /// it is only a hint: both sides are read again when the job runs.
    SyncContractV1 {
        /// Our contract id (`ctr_…`).
        contract: String,
        /// Whose webhook caused it; that side wins when both changed the same field.
        source: ProviderKind,
        /// The delivery's idempotency key, for the log.
        delivery: String,
    },
}

impl JobPayload {
    /// The stored kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            JobPayload::SyncEventV1 { .. } => "sync_event_v1",
            JobPayload::SyncContractV1 { .. } => "sync_contract_v1",
        }
    }

    /// The operation named in the sync log.
    pub fn operation(&self) -> &str {
        match self {
            JobPayload::SyncEventV1 { decision, .. } => decision.action(),
            JobPayload::SyncContractV1 { .. } => "sync contract",
        }
    }

    /// Jobs of one key run one at a time, in order.
    pub fn ordering_key(&self) -> String {
        match self {
            JobPayload::SyncEventV1 { connection_id, contact, .. } => format!("{connection_id}:{contact}"),
            // Both directions of one contract share a key, so their reads and writes never interleave.
            JobPayload::SyncContractV1 { contract, .. } => format!("contract:{contract}"),
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
