//! Carries out one job: reads what the decision needs, calls the provider, and
//! records the outcome and completes the job in one transaction. Every step is
//! safe to repeat after a crash: the person is looked up by email before being
//! created, the person id is stored as soon as it is known, and a note already
//! in the ledger is not written again.

use crate::clients::{Clients, OpenError};
use crate::job::JobPayload;
use crate::note;
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionSettings, ContactIn, Decision, EventIn, Target, WorkspaceId};
use hiresync_providers::{Provider, ProviderError};
use hiresync_store::connections::Connection;
use hiresync_store::events::ContactSync;
use hiresync_store::queue::ClaimedJob;
use hiresync_store::sync_log::NewLogEntry;
use hiresync_store::{Store, StoreError, connections, contacts, events, notes, queue, sequences, sync_log, workspaces};
use serde_json::Value;
use std::sync::Arc;

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

/// What one sync job found and did, recorded when it completes.
struct Outcome {
    sync: Option<ContactSync>,
    note_id: Option<String>,
    detail: String,
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

    /// Runs a claimed job to completion; on `Ok` it is recorded and completed.
    #[tracing::instrument(skip_all, fields(job_id = job.id, kind = %job.kind, attempt = job.attempts))]
    pub async fn run(&self, job: &ClaimedJob) -> Result<(), JobError> {
        let payload: JobPayload =
            serde_json::from_str(&job.payload).map_err(|e| JobError::Broken(format!("unreadable payload: {e}")))?;
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        match &payload {
            JobPayload::SyncEventV1 { event_id, connection_id, contact, decision } => {
                let outcome = self.sync_event(&workspace, event_id, connection_id, contact, decision).await?;
                let mut tx = self.store.begin().await?;
                if let Some(sync) = &outcome.sync {
                    events::put_sync_state(&mut tx, &workspace, contact, sync).await?;
                }
                if let Some(note_id) = &outcome.note_id {
                    notes::record(&mut tx, workspace.as_str(), connection_id, contact, event_id, note_id).await?;
                }
                complete(tx, job, &payload, &outcome.detail).await
            }
            JobPayload::NoopV1 { .. } => complete(self.store.begin().await?, job, &payload, "no-op").await,
        }
    }

    async fn sync_event(
        &self,
        workspace: &WorkspaceId,
        event_id: &str,
        connection_id: &str,
        contact_id: &str,
        decision: &Decision,
    ) -> Result<Outcome, JobError> {
        let mut c = self.store.conn().await?;
        let conn = match connections::get(&mut c, workspace, connection_id).await {
            Ok(conn) => conn,
            Err(StoreError::NotFound) => return Ok(skipped("the connection was deleted")),
            Err(e) => return Err(e.into()),
        };
        let Some(stored) = contacts::get(&mut c, workspace, contact_id).await? else {
            return Ok(skipped("the contact no longer exists"));
        };
        // Stored contacts were validated on the way in; reading them back needs no second validation.
        let contact: ContactIn =
            serde_json::from_value(stored.data).map_err(|e| JobError::Broken(format!("stored contact: {e}")))?;
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
        let run = Run { store: &self.store, workspace, conn: &conn, provider, settings, contact, event, sync };
        run.carry_out(decision, &tags).await
    }
}

/// Logs the job's outcome and completes it in the caller's transaction, which
/// already holds the job's own writes: all of it lands, or none of it does.
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
            contact: job.contact.as_deref(),
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

fn skipped(why: &str) -> Outcome {
    Outcome { sync: None, note_id: None, detail: why.to_owned() }
}

/// One job's working set.
struct Run<'a> {
    store: &'a Store,
    workspace: &'a WorkspaceId,
    conn: &'a Connection,
    provider: Arc<dyn Provider>,
    settings: ConnectionSettings,
    contact: ContactIn,
    event: EventIn,
    sync: ContactSync,
}

impl Run<'_> {
    async fn carry_out(mut self, decision: &Decision, tags: &[String]) -> Result<Outcome, JobError> {
        let mut done = Vec::new();
        match decision {
            Decision::Skip { reason } => return Ok(skipped(reason)),
            Decision::Sync { target } => {
                let missing = self.contact.missing(&self.settings.mandatory_fields);
                if !missing.is_empty() {
                    self.sync.state = SyncState::Skipped;
                    self.sync.reason = Some(format!("missing mandatory fields: {}", missing.join(", ")));
                    return Ok(Outcome { detail: self.sync.reason.clone().unwrap_or_default(), ..self.finish(None) });
                }
                if self.sync.person_id.is_none() {
                    if !self.link_person(tags).await? {
                        return Ok(Outcome { detail: "contact has no email".into(), ..self.finish(None) });
                    }
                    done.push("linked person");
                }
                if let Some(t) = target {
                    self.place(t).await?;
                    done.push("placed on target");
                }
                self.sync.state = SyncState::Synced;
                self.sync.reason = None;
            }
            Decision::Activity => {}
            Decision::UpdatePerson => {
                self.update_person(tags).await?;
                done.push("updated person");
            }
        }
        if self.sync.person_id.is_none() {
            return Ok(skipped("the person is not linked"));
        }
        self.move_stage().await?;
        let note_id = self.write_note().await?;
        if note_id.is_some() {
            done.push("wrote note");
        }
        let detail = if done.is_empty() { "nothing to write".to_owned() } else { done.join(", ") };
        Ok(Outcome { detail, ..self.finish(note_id) })
    }

    fn finish(self, note_id: Option<String>) -> Outcome {
        Outcome { sync: Some(self.sync), note_id, detail: String::new() }
    }

    /// Looks the person up by email, creating them only when absent; stores the id at once.
    async fn link_person(&mut self, tags: &[String]) -> Result<bool, JobError> {
        let Some(email) = self.contact.emails.first() else {
            self.sync.state = SyncState::Skipped;
            self.sync.reason = Some("the contact has no email address".into());
            return Ok(false);
        };
        let person = match self.provider.find_person_by_email(email).await? {
            Some(p) => {
                let warning = format!("Exists in {}", self.conn.provider.display_name());
                if self.settings.dedup_warning && !self.sync.errors.contains(&warning) {
                    self.sync.errors.push(warning);
                }
                p
            }
            None => self.provider.create_person(&self.contact.draft(&self.settings, tags)).await?,
        };
        self.sync.person_url = Some(person.url.clone().unwrap_or_else(|| self.provider.person_url(&person.id)));
        self.sync.person_id = Some(person.id);
        self.save().await?;
        Ok(true)
    }

    async fn place(&mut self, target: &Target) -> Result<(), JobError> {
        let target_json = Value::Object(target.0.clone());
        if !self.provider.capabilities().targets
            || (self.sync.placement_id.is_some() && self.sync.target.as_ref() == Some(&target_json))
        {
            return Ok(());
        }
        let person = self.sync.person_id.clone().unwrap_or_default();
        let placement = self.provider.place_person(&person, target).await?;
        self.sync.placement_id = Some(placement.id);
        self.sync.target = Some(target_json);
        self.save().await
    }

    async fn update_person(&mut self, tags: &[String]) -> Result<(), JobError> {
        let Some(person) = self.sync.person_id.clone() else { return Ok(()) };
        let mut draft = self.contact.draft(&self.settings, tags);
        if let Some(Value::Object(changed)) = self.event.data.get("changed") {
            // Only what the recruiter edited is pushed; protected fields are never overwritten (S7).
            draft.fields.retain(|k, _| changed.contains_key(k));
        }
        draft.fields.retain(|k, _| !self.settings.protected_fields.contains(k));
        self.provider.update_person(&person, &draft).await?;
        Ok(())
    }

    async fn move_stage(&mut self) -> Result<(), JobError> {
        let Some(stage) = self.event.kind.stage().and_then(|s| self.settings.stage_map.get(s)).cloned() else {
            return Ok(());
        };
        let (Some(person), Some(placement)) = (self.sync.person_id.clone(), self.sync.placement_id.clone()) else {
            return Ok(());
        };
        if self.provider.capabilities().stages {
            self.provider.move_stage(&person, &placement, &stage).await?;
        }
        Ok(())
    }

    async fn write_note(&mut self) -> Result<Option<String>, JobError> {
        let Some(draft) = note::for_event(&self.event, &self.settings) else { return Ok(None) };
        if !self.provider.capabilities().notes {
            return Ok(None);
        }
        let mut c = self.store.conn().await?;
        if notes::written(&mut c, self.conn.id.as_str(), &self.event.id).await?.is_some() {
            return Ok(None);
        }
        drop(c);
        let person = self.sync.person_id.clone().unwrap_or_default();
        Ok(Some(self.provider.write_note(&person, &draft).await?))
    }

    async fn save(&self) -> Result<(), JobError> {
        let mut c = self.store.conn().await?;
        events::put_sync_state(&mut c, self.workspace, &self.event.contact, &self.sync).await?;
        Ok(())
    }
}
