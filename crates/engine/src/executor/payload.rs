//! Job payloads as the queue stores them: a serde-tagged enum whose variant
//! names carry their version, so a payload stored by an older release is
//! still read correctly. Each variant holds its kind's payload; reading a
//! stored payload picks its kind, and that is all the dispatch there is.

use crate::carry::Carry;
use crate::carry_event::CarryEvent;
use crate::contract::{FollowContract, SyncContract};
use crate::import::{ImportArrival, ImportPage};
use crate::job::{JobKind, queue_row};
use crate::noop::Noop;
use crate::resync::{ResyncContact, ResyncSlice};
use crate::webhook::DeliverWebhook;
use hiresync_store::queue::{self, NewJob};
use hiresync_store::{Db, StoreError};
use serde::{Deserialize, Serialize};

/// What a job does, as stored in the queue. The tags are data in users' databases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum JobPayload {
    /// See [`CarryEvent`].
    #[serde(rename = "sync_event_v1")]
    CarryEventV1(CarryEvent),
    /// See [`Carry`].
    #[serde(rename = "sync_decisions_v1")]
    CarryV1(Carry),
    /// See [`SyncContract`].
    #[serde(rename = "sync_contract_v1")]
    SyncContractV1(SyncContract),
    /// See [`FollowContract`].
    #[serde(rename = "follow_contract_v1")]
    FollowContractV1(FollowContract),
    /// See [`ResyncContact`].
    #[serde(rename = "resync_contact_v1")]
    ResyncContactV1(ResyncContact),
    /// See [`ResyncSlice`].
    #[serde(rename = "resync_slice_v1")]
    ResyncSliceV1(ResyncSlice),
    /// See [`ImportPage`].
    #[serde(rename = "import_run_v1")]
    ImportPageV1(ImportPage),
    /// See [`ImportArrival`].
    #[serde(rename = "import_arrival_v1")]
    ImportArrivalV1(ImportArrival),
    /// See [`Noop`].
    #[serde(rename = "noop_v1")]
    NoopV1(Noop),
    /// See [`DeliverWebhook`].
    #[serde(rename = "deliver_webhook_v1")]
    DeliverWebhookV1(DeliverWebhook),
}

impl JobPayload {
    /// The kind this payload belongs to, which runs it and settles its failures.
    pub fn as_kind(&self) -> &dyn JobKind {
        match self {
            JobPayload::CarryEventV1(p) => p,
            JobPayload::CarryV1(p) => p,
            JobPayload::SyncContractV1(p) => p,
            JobPayload::FollowContractV1(p) => p,
            JobPayload::ResyncContactV1(p) => p,
            JobPayload::ResyncSliceV1(p) => p,
            JobPayload::ImportPageV1(p) => p,
            JobPayload::ImportArrivalV1(p) => p,
            JobPayload::NoopV1(p) => p,
            JobPayload::DeliverWebhookV1(p) => p,
        }
    }

    /// The stored kind name.
    pub fn kind(&self) -> &'static str {
        self.as_kind().kind()
    }

    /// The operation named in the sync log.
    pub fn operation(&self) -> &'static str {
        self.as_kind().operation()
    }

    /// Jobs of one key run one at a time, in order.
    pub fn ordering_key(&self) -> String {
        self.as_kind().ordering_key()
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
        queue_row(self.as_kind(), workspace_id, priority, max_attempts, run_at)
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use hiresync_core::{Decision, ProviderKind};

    fn every_kind() -> Vec<JobPayload> {
        vec![
            JobPayload::CarryEventV1(CarryEvent {
                event_id: "e1".into(),
                connection_id: "conn_1".into(),
                contact_id: "c1".into(),
                decision: Decision::Activity,
            }),
            JobPayload::CarryV1(Carry { connection_id: "conn_1".into(), contact_id: "c1".into() }),
            JobPayload::SyncContractV1(SyncContract {
                contract: "ctr_1".into(),
                source: ProviderKind::Oneflow,
                delivery: "d1".into(),
                events: Some(vec![7]),
            }),
            JobPayload::FollowContractV1(FollowContract {
                connection_id: "conn_1".into(),
                contract_id: 7,
                delivery: "d1".into(),
                events: vec![8],
            }),
            JobPayload::ResyncContactV1(ResyncContact {
                resync_id: "rsy_1".into(),
                connection_id: "conn_1".into(),
                contact_id: "c1".into(),
                sequence: None,
                refresh: true,
            }),
            JobPayload::ImportPageV1(ImportPage {
                import_id: "imp_1".into(),
                connection_id: "conn_1".into(),
                cursor: Some("x".into()),
            }),
            JobPayload::ImportArrivalV1(ImportArrival {
                connection_id: "conn_1".into(),
                arrived: hiresync_providers::Arrived {
                    person_id: Some("42".into()),
                    placement_id: None,
                    target_id: Some("7".into()),
                },
                delivery: "greenhouse:abc".into(),
            }),
            JobPayload::NoopV1(Noop { key: "k".into() }),
            JobPayload::DeliverWebhookV1(DeliverWebhook { delivery_id: "whd_1".into() }),
        ]
    }

    #[test]
    fn the_outbox_enqueues_delivery_jobs_as_the_executor_reads_them() {
        let p = JobPayload::DeliverWebhookV1(DeliverWebhook { delivery_id: "whd_1".into() });
        let ours = p.new_job("ws", hiresync_store::queue::PRIORITY_INTERACTIVE, 10, 3).unwrap();
        let outbox = crate::outbox::delivery_job("ws", "whd_1", 3).unwrap();
        assert_eq!((&outbox.kind, &outbox.ordering_key), (&ours.kind, &ours.ordering_key));
        assert_eq!(serde_json::from_str::<JobPayload>(&outbox.payload).unwrap(), p);
    }

    #[test]
    fn payload_names_its_versioned_kind() {
        let p = JobPayload::CarryEventV1(CarryEvent {
            event_id: "e1".into(),
            connection_id: "conn_1".into(),
            contact_id: "c1".into(),
            decision: Decision::Activity,
        });
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["kind"], p.kind());
        assert_eq!(v["contact"], "c1", "stored under the name older releases wrote");
        assert_eq!(serde_json::from_value::<JobPayload>(v).unwrap(), p);
        assert_eq!(p.ordering_key(), "conn_1:c1");
    }

    #[test]
    fn bulk_payloads_share_the_contact_key_or_have_their_own() {
        let resync = JobPayload::ResyncContactV1(ResyncContact {
            resync_id: "rsy_1".into(),
            connection_id: "conn_1".into(),
            contact_id: "c1".into(),
            sequence: None,
            refresh: false,
        });
        assert_eq!(resync.ordering_key(), "conn_1:c1", "serialised with the contact's event jobs");
        let import = JobPayload::ImportPageV1(ImportPage {
            import_id: "imp_1".into(),
            connection_id: "conn_1".into(),
            cursor: Some("x".into()),
        });
        assert_eq!(import.ordering_key(), "import:imp_1");
        for p in [resync, import] {
            let v = serde_json::to_value(&p).unwrap();
            assert_eq!(v["kind"], p.kind());
            assert_eq!(serde_json::from_value::<JobPayload>(v).unwrap(), p);
        }
    }

    #[test]
    fn every_kind_is_stored_as_its_variant_and_read_back_as_it() {
        for p in every_kind() {
            let stored = p.new_job("ws", 1, 2, 3).unwrap().payload;
            assert_eq!(stored, serde_json::to_string(&p).unwrap(), "{}", p.kind());
            assert_eq!(serde_json::from_str::<JobPayload>(&stored).unwrap(), p);
        }
    }
}
