//! Carries out one job: reads what the decision needs, hands it to a [`Run`]
//! that calls the provider, and records the outcome and completes the job in
//! one transaction. Every step is safe to repeat after a crash: the person is
//! looked up by email before being created, the person id is stored as soon
//! as it is known, and a note already in the ledger is not written again.

use crate::clients::{Clients, OpenError};
use crate::completion::{Effect, Finished};
use crate::job::JobPayload;
use crate::run::{Outcome, Run, skipped};
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionSettings, ContactIn, Decision, WorkspaceId};
use hiresync_providers::ProviderError;
use hiresync_store::events::ContactSync;
use hiresync_store::queue::ClaimedJob;
use hiresync_store::sync_log::NewLogEntry;
use hiresync_store::{Store, StoreError, connections, contacts, events, queue, sequences, sync_log, workspaces};

/// Why a job did not complete.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The provider call failed; its kind says whether to retry.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The database failed; retry.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The job cannot succeed as it stands (bad payload, unopenable credentials).
    #[error("{0}")]
    Broken(String),
    /// Another worker took the job over; its result stands.
    #[error("lease lost")]
    LeaseLost,
}

impl From<ProviderError> for JobError {
    fn from(e: ProviderError) -> Self {
        JobError::Provider(Box::new(e))
    }
}

impl From<OpenError> for JobError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Provider(p) => JobError::Provider(p),
            OpenError::Vault(v) => JobError::Broken(v.to_string()),
        }
    }
}

/// Runs jobs against the store and the providers.
#[derive(Clone)]
pub struct Executor {
    store: Store,
    clients: Clients,
}

/// How a job that ran to the end is to be recorded.
#[derive(Debug)]
pub enum Ran {
    /// Its outcome, for the worker to complete with its next commit (see [`crate::completion`]).
    Finished(Box<Finished>),
    /// It completed itself, in a transaction that checked what it wrote (imports).
    Completed,
}

impl Executor {
    /// An executor over this store, opening clients through `clients`.
    pub fn new(store: Store, clients: Clients) -> Self {
        Self { store, clients }
    }

    /// The store jobs come from.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The provider clients jobs use.
    pub(crate) fn clients(&self) -> &Clients {
        &self.clients
    }

    /// Runs a claimed job to the end; on `Ok` it is completed, or ready to be.
    #[tracing::instrument(skip_all, fields(job_id = job.id, kind = %job.kind, attempt = job.attempts))]
    pub async fn run(&self, job: &ClaimedJob) -> Result<Ran, JobError> {
        let payload: JobPayload =
            serde_json::from_str(&job.payload).map_err(|e| JobError::Broken(format!("unreadable payload: {e}")))?;
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        match &payload {
            JobPayload::SyncEventV1 { event_id, connection_id, contact, decision } => {
                let outcome = self.sync_event(&workspace, event_id, connection_id, contact, decision).await?;
                let effects = outcome.sync.map(|sync| Effect::SyncState { contact: contact.clone(), sync });
                Ok(finished(job, &payload, outcome.detail, effects.into_iter().collect()))
            }
            JobPayload::SyncDecisionsV1 { connection_id, contact } => {
                crate::carry::run(self, job, connection_id, contact).await
            }
            JobPayload::SyncContractV1 { contract, source, .. } => {
                let done = crate::contract::sync(&self.store, &self.clients, &workspace, contract, *source).await?;
                Ok(finished(job, &payload, done.detail, done.record.map(Effect::Contract).into_iter().collect()))
            }
            JobPayload::ResyncContactV1 { .. } => crate::resync::run(self, job, &payload).await,
            JobPayload::ImportRunV1 { .. } => crate::import::run(self, job, &payload).await.map(|()| Ran::Completed),
            JobPayload::NoopV1 { .. } => Ok(finished(job, &payload, "no-op".into(), Vec::new())),
        }
    }

    /// Carries out one event's decision for a connection; the outcome is for the caller to record.
    pub(crate) async fn sync_event(
        &self,
        workspace: &WorkspaceId,
        event_id: &str,
        connection_id: &str,
        contact_id: &str,
        decision: &Decision,
    ) -> Result<Outcome, JobError> {
        let mut c = self.store.db().await?;
        let conn = match connections::get(&mut c, workspace, connection_id).await {
            Ok(conn) => conn,
            Err(StoreError::NotFound) => return Ok(skipped("the connection was deleted")),
            Err(e) => return Err(e.into()),
        };
        let Some(stored) = contacts::get(&mut c, workspace, contact_id).await? else {
            return Ok(skipped("the contact no longer exists"));
        };
        // Stored contacts were validated on the way in; reading them back needs no second validation.
        let contact: ContactIn = serde_json::from_value(stored.data.clone())
            .map_err(|e| JobError::Broken(format!("stored contact: {e}")))?;
        let event = events::get(&mut c, workspace, event_id).await?;
        let defaults = workspaces::defaults(&mut c, workspace, conn.provider.as_str()).await?;
        let settings = ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
            .map_err(|e| JobError::Broken(format!("connection settings: {e}")))?;
        let tags = match &event.sequence {
            Some(s) => sequences::get(&mut c, workspace, s).await?.map(|s| s.sync_tags).unwrap_or_default(),
            None => Vec::new(),
        };
        let sync = events::sync_state(&mut c, &conn.id, contact_id)
            .await?
            .unwrap_or_else(|| ContactSync::new(conn.id.clone(), SyncState::Pending));
        drop(c);
        let provider = self.clients.get(&conn)?;
        let run = Run {
            store: &self.store,
            workspace,
            conn: &conn,
            provider,
            settings,
            contact,
            contact_added_at: stored.created_at,
            event,
            sync,
            sequence_tags: tags,
            progress_written: false,
            done: Vec::new(),
        };
        run.carry_out(decision).await
    }
}

/// A job's outcome, to be recorded with its effects.
pub(crate) fn finished(job: &ClaimedJob, payload: &JobPayload, detail: String, effects: Vec<Effect>) -> Ran {
    Ran::Finished(Box::new(Finished {
        job: job.clone(),
        operation: payload.operation(),
        detail,
        effects,
        calls: Vec::new(),
    }))
}

/// Logs the job's outcome and completes it in the caller's transaction, which
/// already holds the job's own writes: all of it lands, or none of it does. For jobs
/// whose writes must be read and checked under the write lock (imports); the others
/// return [`Ran::Finished`] for the worker to record.
pub async fn complete(
    mut tx: hiresync_store::Tx,
    job: &ClaimedJob,
    payload: &JobPayload,
    detail: &str,
) -> Result<(), JobError> {
    sync_log::append(
        &mut tx,
        &NewLogEntry {
            workspace_id: &job.workspace_id,
            connection_id: job.connection_id.as_deref(),
            contact_id: job.contact_id.as_deref(),
            job_id: Some(job.id),
            operation: payload.operation(),
            outcome: "ok",
            detail: Some(detail),
        },
    )
    .await?;
    if !queue::complete(&mut tx, job.id, &job.lease_token).await? {
        tx.rollback().await.map_err(StoreError::from)?;
        return Err(JobError::LeaseLost);
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
