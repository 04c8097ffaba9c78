//! Bodies of `/v1/resyncs`.

#[cfg(feature = "server")]
use hiresync_store::resyncs::{Resync, ResyncItem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The state of the contacts a filter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResyncFilterState {
    /// Never linked to a person on the connection.
    NeverSynced,
    /// Their sync failed.
    Failed,
}

/// The workspace's contacts by how they stand with the connection: one of `state` or `synced_before`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a filter object")]
#[schema(example = json!({"synced_before": "2026-11-01T00:00:00Z"}))]
pub struct ResyncFilter {
    /// `never_synced` or `failed`: those contacts are synced as a list of them would be.
    pub state: Option<ResyncFilterState>,
    /// RFC 3339: the people first synced before it are updated with their contact as it is now,
    /// under the current settings (a field map changed since), protected fields kept.
    pub synced_before: Option<String>,
}

/// Contacts to sync to a connection that never were: a list, a sequence's or a filter's, one of them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a resync object")]
#[schema(example = json!({"connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "contacts": ["c-1", "c-2"]}))]
pub struct ResyncIn {
    /// The connection to sync to.
    pub connection_id: String,
    /// Contact external ids (1 to 10000), each PUT before.
    pub contacts: Option<Vec<String>>,
    /// A sequence's external id: all its contacts.
    pub sequence: Option<String>,
    /// The workspace's contacts by how they stand with the connection.
    pub filter: Option<ResyncFilter>,
}

/// Paging of a resync's contacts, in contact id order.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResyncContactPage {
    /// At most this many (1 to 1000, default 500).
    pub limit: Option<i64>,
    /// Only contacts whose external id sorts after this one: the last id of the previous page.
    pub after: Option<String>,
}

/// Whether a resync is still at work.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResyncState {
    /// Contacts are left to finish.
    Running,
    /// Every contact finished either way.
    Done,
}

/// A resync's progress.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "rsy_01jd5z8v6c4q2w3e4r5t6y7u8i", "state": "running",
    "connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "sequence": null, "total": 2, "done": 1, "synced": 1,
    "skipped": 0, "failed": 0, "created_at": "2026-11-02T09:00:00+00:00"}))]
pub struct ResyncOut {
    /// Its id.
    pub id: String,
    /// Whether it is still at work.
    pub state: ResyncState,
    /// The connection synced to.
    pub connection_id: String,
    /// The sequence it was asked for, if it was.
    pub sequence: Option<String>,
    /// Contacts in it.
    pub total: i64,
    /// Contacts finished either way.
    pub done: i64,
    /// Contacts synced.
    pub synced: i64,
    /// Contacts skipped.
    pub skipped: i64,
    /// Contacts whose job failed for good.
    pub failed: i64,
    /// When it was asked for (RFC 3339).
    pub created_at: Option<String>,
}

#[cfg(feature = "server")]
impl From<Resync> for ResyncOut {
    fn from(r: Resync) -> Self {
        let done = r.done();
        Self {
            state: if !r.listed || done < r.total { ResyncState::Running } else { ResyncState::Done },
            done,
            created_at: super::common::rfc3339(r.created_at),
            id: r.id,
            connection_id: r.connection_id,
            sequence: r.sequence,
            total: r.total,
            synced: r.synced,
            skipped: r.skipped,
            failed: r.failed,
        }
    }
}

/// One contact of a resync and its outcome.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"contact": "c-2", "state": "skipped", "reason": "Exists in Greenhouse"}))]
pub struct ResyncContactOut {
    /// The contact's external id.
    pub contact: String,
    /// `queued`, `running`, `synced`, `skipped` or `failed`.
    pub state: String,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
}

#[cfg(feature = "server")]
impl From<ResyncItem> for ResyncContactOut {
    fn from(i: ResyncItem) -> Self {
        Self { contact: i.contact_id, state: i.outcome, reason: i.reason }
    }
}
