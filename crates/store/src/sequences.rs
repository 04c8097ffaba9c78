//! Sequences as the outreach app names them, with their sync indicators.

use crate::db::on_backend;
use crate::{Db, Result, now_ms};
use hiresync_core::{UserId, WorkspaceId};
use serde_json::Value;

/// A sequence (campaign) of the outreach app.
#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    /// The app's id for it.
    pub external_id: String,
    /// Display name.
    pub name: String,
    /// Whose connections and settings decide where its contacts sync.
    pub owner_id: UserId,
    /// "Sync Disabled" (SPEC S2).
    pub sync_disabled: bool,
    /// "Custom Sync" target with its `connection_id` (SPEC S4).
    pub target: Option<Value>,
    /// Tags pushed with every person synced from it (SPEC S3).
    pub sync_tags: Vec<String>,
}

impl Sequence {
    /// The indicators the outreach app shows (SPEC L3).
    pub fn indicators(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.sync_disabled {
            v.push("sync_disabled");
        }
        if self.target.is_some() {
            v.push("custom_sync");
        }
        v
    }
}

/// Inserts or replaces a sequence; true when it was new.
pub async fn upsert(db: &mut Db, workspace: &WorkspaceId, s: &Sequence) -> Result<bool> {
    let existed = get(db, workspace, &s.external_id).await?.is_some();
    on_backend!(db, sequences::upsert(workspace, s, now_ms()))?;
    Ok(!existed)
}

/// A sequence of this workspace.
pub async fn get(db: &mut Db, workspace: &WorkspaceId, external_id: &str) -> Result<Option<Sequence>> {
    on_backend!(db, sequences::get(workspace, external_id))
}

/// The sequences of this workspace with these ids; ids not stored are left out.
pub async fn get_many(db: &mut Db, workspace: &WorkspaceId, external_ids: &[&str]) -> Result<Vec<Sequence>> {
    on_backend!(db, sequences::get_many(workspace, external_ids))
}

/// The owners of the sequences a contact is enrolled in, each once: whose connections it syncs to.
pub async fn owners_of_contact(db: &mut Db, workspace: &WorkspaceId, contact_id: &str) -> Result<Vec<UserId>> {
    on_backend!(db, sequences::owners_of_contact(workspace, contact_id))
}
