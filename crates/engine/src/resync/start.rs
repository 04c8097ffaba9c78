//! Starting a resync: the resync and its contacts are stored, and a job is
//! queued for each contact not yet linked to a person on the connection; a
//! sequence's contacts are listed a slice per job.

use super::contact::{ResyncContact, already_synced};
use crate::job::{Context, JobError, JobKind, MAX_ATTEMPTS, Outcome, complete};
use crate::outbox;
use async_trait::async_trait;
use hiresync_core::{ResyncId, UserId, WorkspaceId};
use hiresync_store::connections::{self, Connection};
use hiresync_store::events::Enrolled;
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_BULK};
use hiresync_store::resyncs::{self, NewResync, QUEUED, SKIPPED};
use hiresync_store::{Db, Store, StoreError, events, now_ms};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Contacts listed per statement batch, and per slice job of a sequence.
const SLICE: usize = 500;

/// Whose contacts a resync takes.
#[derive(Clone, Debug)]
pub enum Scope {
    /// These contacts, each known to the workspace; repeats are ignored.
    Contacts(Vec<String>),
    /// Everyone enrolled in this sequence; its target and tags decide.
    Sequence(String),
    /// These contacts, already linked: their people are updated with the contact as it is now
    /// under the current settings (a changed field map), protected fields kept.
    Refresh(Vec<String>),
}

/// What to resync.
#[derive(Clone, Debug)]
pub struct ResyncRequest<'a> {
    /// The connection to sync to, already checked as visible to the caller.
    pub connection: &'a Connection,
    /// The contacts.
    pub scope: Scope,
    /// Who asked.
    pub created_by: &'a UserId,
}

/// A created resync.
#[derive(Clone, Debug, PartialEq)]
pub struct Started {
    /// Its id.
    pub id: ResyncId,
    /// Jobs enqueued (contacts not already synced).
    pub jobs: usize,
}

/// Stores the resync. A list of contacts (at most a request's worth) is queued in the same
/// transaction, a few statements per few hundred contacts. A sequence, of any size, is listed
/// by a chain of [`ResyncSlice`] jobs, each committing one slice: no transaction grows with the
/// sequence (on SQLite one would hold every writer back until it ended), and a crash resumes
/// at the slice it was on.
pub async fn start(store: &Store, workspace: &WorkspaceId, req: &ResyncRequest<'_>) -> Result<Started, StoreError> {
    let id = ResyncId::generate();
    let sequence = match &req.scope {
        Scope::Sequence(seq) => Some(seq.as_str()),
        Scope::Contacts(_) | Scope::Refresh(_) => None,
    };
    let refresh = matches!(req.scope, Scope::Refresh(_));
    let new = NewResync {
        id: &id,
        workspace_id: workspace,
        connection_id: &req.connection.id,
        sequence,
        created_by: req.created_by,
        listed: sequence.is_none(),
    };
    let mut tx = store.begin().await?;
    resyncs::insert(&mut tx, &new, &[]).await?;
    let jobs = match &req.scope {
        Scope::Contacts(list) | Scope::Refresh(list) => {
            let slices = Slices { workspace, resync: &id, connection: req.connection, sequence, refresh };
            let mut seen = HashSet::new();
            let contacts: Vec<&str> = list.iter().map(String::as_str).filter(|c| seen.insert(*c)).collect();
            let mut queued = 0;
            for slice in contacts.chunks(SLICE) {
                queued += slices.queue(&mut tx, slice).await?;
            }
            queued
        }
        Scope::Sequence(seq) => {
            let first = ResyncSlice::first(&id, req.connection, seq);
            queue::enqueue(&mut tx, &first.new_job(workspace.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?).await?;
            1
        }
    };
    tx.commit().await?;
    Ok(Started { id, jobs })
}

/// Lists the next slice of a sequence's resync: its contacts become items, those not yet
/// linked get a job, and the next slice's job is queued, all in one transaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResyncSlice {
    /// The resync.
    pub resync_id: String,
    /// The connection synced to.
    pub connection_id: String,
    /// The sequence whose contacts are listed.
    pub sequence: String,
    /// Where the previous slice ended: the last contact's enrollment time and id.
    pub after: Option<(i64, String)>,
}

impl ResyncSlice {
    fn first(id: &ResyncId, connection: &Connection, sequence: &str) -> Self {
        Self {
            resync_id: id.as_str().to_owned(),
            connection_id: connection.id.as_str().to_owned(),
            sequence: sequence.to_owned(),
            after: None,
        }
    }
}

#[async_trait]
impl JobKind for ResyncSlice {
    fn kind(&self) -> &'static str {
        "resync_slice_v1"
    }

    fn operation(&self) -> &'static str {
        "resync"
    }

    fn ordering_key(&self) -> String {
        format!("resync:{}", self.resync_id)
    }

    /// No connection: listing calls no provider, so it neither waits for a connection that
    /// is down nor takes one of its slots.
    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (None, None)
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let store = cx.store();
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let mut tx = store.begin().await?;
        let conn = match connections::get(&mut tx, &workspace, &self.connection_id).await {
            Ok(conn) => conn,
            Err(StoreError::NotFound) => {
                resyncs::mark_listed(&mut tx, &self.resync_id).await?;
                return complete(tx, job, "resync", "the connection was deleted").await;
            }
            Err(e) => return Err(e.into()),
        };
        let after = self.after.clone().map(|(added_at, contact_id)| Enrolled { added_at, contact_id });
        let page = events::enrolled(&mut tx, &workspace, &self.sequence, after.as_ref(), SLICE).await?;
        let resync = ResyncId::from_stored(self.resync_id.clone());
        let slices = Slices {
            workspace: &workspace,
            resync: &resync,
            connection: &conn,
            sequence: Some(&self.sequence),
            refresh: false,
        };
        let contacts: Vec<&str> = page.iter().map(|e| e.contact_id.as_str()).collect();
        // The next slice takes its turn before this slice's contacts: listing goes at the
        // queue's pace, not at the pace the provider allows the syncs.
        let more = page.last().filter(|_| page.len() == SLICE);
        if let Some(last) = more {
            let next = Self { after: Some((last.added_at, last.contact_id.clone())), ..self.clone() };
            queue::enqueue(&mut tx, &next.new_job(&job.workspace_id, PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?).await?;
        }
        let queued = slices.queue(&mut tx, &contacts).await?;
        let detail = match more {
            Some(_) => format!("{} contacts listed, {queued} to sync; more to list", page.len()),
            None => {
                resyncs::mark_listed(&mut tx, &self.resync_id).await?;
                outbox::resync_finished(&mut tx, &workspace, &self.resync_id).await?;
                format!("{} contacts listed, {queued} to sync; all listed", page.len())
            }
        };
        complete(tx, job, "resync", &detail).await
    }
}

/// What every slice of one resync's contacts is queued with.
struct Slices<'a> {
    workspace: &'a WorkspaceId,
    resync: &'a ResyncId,
    connection: &'a Connection,
    sequence: Option<&'a str>,
    refresh: bool,
}

impl Slices<'_> {
    /// Records the slice's contacts as items and queues a job for each one not yet linked (or,
    /// refreshing, each one linked); returns how many jobs.
    async fn queue(&self, tx: &mut Db, slice: &[&str]) -> Result<usize, StoreError> {
        let conn = self.connection;
        // A linked person stays linked, so deciding this now saves a job and cannot go stale.
        let linked: HashSet<String> = events::sync_states_of_contacts(&mut *tx, self.workspace, slice)
            .await?
            .into_iter()
            .filter(|(_, s)| s.connection_id == conn.id && s.person_id.is_some())
            .map(|(contact, _)| contact)
            .collect();
        let mut items = Vec::with_capacity(slice.len());
        let mut jobs = Vec::with_capacity(slice.len());
        for &contact in slice {
            if linked.contains(contact) != self.refresh {
                let why = if self.refresh { "never synced".to_owned() } else { already_synced(conn) };
                items.push((contact.to_owned(), SKIPPED, Some(why)));
                continue;
            }
            items.push((contact.to_owned(), QUEUED, None));
            let payload = ResyncContact {
                resync_id: self.resync.as_str().to_owned(),
                connection_id: conn.id.as_str().to_owned(),
                contact_id: contact.to_owned(),
                sequence: self.sequence.map(str::to_owned),
                refresh: self.refresh,
            };
            jobs.push(payload.new_job(self.workspace.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?);
        }
        resyncs::insert_items(&mut *tx, self.resync, &items).await?;
        queue::enqueue_many(&mut *tx, &jobs).await?;
        Ok(jobs.len())
    }
}
