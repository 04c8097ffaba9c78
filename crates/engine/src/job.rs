//! Job payloads: a serde-tagged enum whose variant names carry their version,
//! so a payload stored by an older release is still read correctly.

use hiresync_core::{Decision, ProviderKind};
use hiresync_store::queue::{self, NewJob};
use hiresync_store::{Db, StoreError};
use serde::{Deserialize, Serialize};

/// The stored kind of [`JobPayload::SyncDecisionsV1`].
pub const SYNC_DECISIONS: &str = "sync_decisions_v1";

/// What a job does, as stored in the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobPayload {
    /// Carry out the decision taken for one event and one connection. Ingest no longer enqueues
    /// these; they come from older releases, and from a decision [`JobPayload::SyncDecisionsV1`]
    /// could not carry out, kept dead on its own for the dead-letter list and its retry.
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
    /// Carry out, in order, the decisions taken for one contact and connection that are not
    /// carried out yet (see [`crate::carry`]). Ingest enqueues one only when none is waiting.
    SyncDecisionsV1 {
        /// The connection to write to.
        connection_id: String,
        /// The contact's external id.
        contact: String,
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
    /// Sync one contact of a resync that was never synced to the connection, then backfill its activity.
    ResyncContactV1 {
        /// The resync it belongs to.
        resync_id: String,
        /// The connection to sync to.
        connection_id: String,
        /// The contact's external id.
        contact: String,
        /// The sequence the resync was asked for; none picks the contact's own.
        sequence: Option<String>,
    },
    /// Read one page of an import's target and bring its people into the sequence.
    ImportRunV1 {
        /// The import.
        import_id: String,
        /// The connection whose target is read.
        connection_id: String,
        /// The provider's cursor for this page, followed verbatim; none starts a run.
        cursor: Option<String>,
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
            JobPayload::SyncDecisionsV1 { .. } => SYNC_DECISIONS,
            JobPayload::SyncContractV1 { .. } => "sync_contract_v1",
            JobPayload::ResyncContactV1 { .. } => "resync_contact_v1",
            JobPayload::ImportRunV1 { .. } => "import_run_v1",
            JobPayload::NoopV1 { .. } => "noop_v1",
        }
    }

    /// The operation named in the sync log.
    pub fn operation(&self) -> &'static str {
        match self {
            JobPayload::SyncEventV1 { decision, .. } => decision.action(),
            JobPayload::SyncDecisionsV1 { .. } => "sync decisions",
            JobPayload::SyncContractV1 { .. } => "sync contract",
            JobPayload::ResyncContactV1 { .. } => "resync",
            JobPayload::ImportRunV1 { .. } => "import",
            JobPayload::NoopV1 { .. } => "noop",
        }
    }

    /// The queue row for this payload, not to run before `run_at` (epoch ms); the connection and
    /// contact columns come from the payload where it names them.
    pub fn new_job(
        &self,
        workspace_id: &str,
        priority: i64,
        max_attempts: i64,
        run_at: i64,
    ) -> Result<NewJob, StoreError> {
        let (connection_id, contact) = match self {
            JobPayload::SyncEventV1 { connection_id, contact, .. }
            | JobPayload::SyncDecisionsV1 { connection_id, contact }
            | JobPayload::ResyncContactV1 { connection_id, contact, .. } => {
                (Some(connection_id.clone()), Some(contact.clone()))
            }
            JobPayload::ImportRunV1 { connection_id, .. } => (Some(connection_id.clone()), None),
            // The payload names no connection; contract::inbox enqueues these with the Oneflow one.
            JobPayload::SyncContractV1 { .. } => (None, None),
            JobPayload::NoopV1 { .. } => (None, None),
        };
        Ok(NewJob {
            workspace_id: workspace_id.to_owned(),
            connection_id,
            contact_id: contact,
            ordering_key: self.ordering_key(),
            kind: self.kind().to_owned(),
            payload: serde_json::to_string(self)
                .map_err(|e| StoreError::Corrupt { column: "jobs.payload", message: e.to_string() })?,
            priority,
            max_attempts,
            run_at,
        })
    }

    /// Enqueues this payload on the caller's transaction, not before `run_at` (epoch ms); returns the job id.
    pub async fn enqueue(
        &self,
        c: &mut Db,
        workspace_id: &str,
        priority: i64,
        max_attempts: i64,
        run_at: i64,
    ) -> Result<i64, StoreError> {
        queue::enqueue(c, &self.new_job(workspace_id, priority, max_attempts, run_at)?).await
    }

    /// Jobs of one key run one at a time, in order.
    pub fn ordering_key(&self) -> String {
        match self {
            JobPayload::SyncEventV1 { connection_id, contact, .. }
            | JobPayload::SyncDecisionsV1 { connection_id, contact }
            | JobPayload::ResyncContactV1 { connection_id, contact, .. } => format!("{connection_id}:{contact}"),
            // Both directions of one contract share a key, so their reads and writes never interleave.
            JobPayload::SyncContractV1 { contract, .. } => format!("contract:{contract}"),
            JobPayload::ImportRunV1 { import_id, .. } => format!("import:{import_id}"),
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

    #[test]
    fn bulk_payloads_share_the_contact_key_or_have_their_own() {
        let resync = JobPayload::ResyncContactV1 {
            resync_id: "rsy_1".into(),
            connection_id: "conn_1".into(),
            contact: "c1".into(),
            sequence: None,
        };
        assert_eq!(resync.ordering_key(), "conn_1:c1", "serialised with the contact's event jobs");
        let import = JobPayload::ImportRunV1 {
            import_id: "imp_1".into(),
            connection_id: "conn_1".into(),
            cursor: Some("x".into()),
        };
        assert_eq!(import.ordering_key(), "import:imp_1");
        for p in [resync, import] {
            let v = serde_json::to_value(&p).unwrap();
            assert_eq!(v["kind"], p.kind());
            assert_eq!(serde_json::from_value::<JobPayload>(v).unwrap(), p);
        }
    }
}
