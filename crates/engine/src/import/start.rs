//! Starting an import: the import and its first run's first page job are
//! stored together.

use super::page::ImportPage;
use crate::job::{JobKind, MAX_ATTEMPTS};
use hiresync_core::{ImportId, Target, UserId, WorkspaceId};
use hiresync_store::connections::Connection;
use hiresync_store::imports::{self, NewImport};
use hiresync_store::queue::{self, PRIORITY_BULK};
use hiresync_store::{Store, StoreError, now_ms};
use serde_json::Value;

/// What to import.
#[derive(Clone, Debug)]
pub struct ImportRequest<'a> {
    /// The connection whose target is read, already checked as visible to the caller.
    pub connection: &'a Connection,
    /// The target, already checked against the provider's shape.
    pub target: &'a Target,
    /// The sequence people are enrolled in; it exists.
    pub sequence: &'a str,
    /// Run again every hour.
    pub recurring: bool,
    /// Who asked.
    pub created_by: &'a UserId,
}

/// Stores the import and its first run's job in one transaction.
pub async fn start(store: &Store, workspace: &WorkspaceId, req: &ImportRequest<'_>) -> Result<ImportId, StoreError> {
    let id = ImportId::generate();
    let target = Value::Object(req.target.0.clone());
    let mut tx = store.begin().await?;
    let new = NewImport {
        id: &id,
        workspace_id: workspace,
        connection_id: &req.connection.id,
        target: &target,
        sequence: req.sequence,
        recurring: req.recurring,
        created_by: req.created_by,
    };
    imports::insert(&mut tx, &new).await?;
    let first = ImportPage::first(id.as_str(), req.connection.id.as_str());
    queue::enqueue(&mut tx, &first.new_job(workspace.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(id)
}

/// The queue's ordering key of an import's runs (for bringing a scheduled run forward).
pub fn ordering_key(import_id: &str) -> String {
    ImportPage::first(import_id, "").ordering_key()
}
