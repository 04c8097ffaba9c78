//! Starting a resync: the resync and its contacts are stored, and a job is
//! queued for each contact not yet linked to a person on the connection.

use super::contact::{ResyncContact, already_synced};
use crate::job::{JobKind, MAX_ATTEMPTS};
use hiresync_core::{ResyncId, UserId, WorkspaceId};
use hiresync_store::connections::Connection;
use hiresync_store::queue::{self, PRIORITY_BULK};
use hiresync_store::resyncs::{self, NewResync, QUEUED, SKIPPED};
use hiresync_store::{Db, Store, StoreError, events, now_ms};
use std::collections::HashSet;

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

/// Stores the resync and one job per contact not yet linked, in one transaction of a few
/// statements per few hundred contacts; a sequence of any size is read and written a slice
/// at a time, so memory stays flat in its length.
pub async fn start(store: &Store, workspace: &WorkspaceId, req: &ResyncRequest<'_>) -> Result<Started, StoreError> {
    const SLICE: usize = 500;
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
    };
    let mut tx = store.begin().await?;
    resyncs::insert(&mut tx, &new, &[]).await?;
    let slices = Slices { workspace, resync: &id, connection: req.connection, sequence, refresh };
    let mut queued = 0;
    match &req.scope {
        Scope::Contacts(list) | Scope::Refresh(list) => {
            let mut seen = HashSet::new();
            let contacts: Vec<&str> = list.iter().map(String::as_str).filter(|c| seen.insert(*c)).collect();
            for slice in contacts.chunks(SLICE) {
                queued += slices.queue(&mut tx, slice).await?;
            }
        }
        Scope::Sequence(seq) => {
            let mut after = None;
            loop {
                let page = events::enrolled(&mut tx, workspace, seq, after.as_ref(), SLICE).await?;
                let slice: Vec<&str> = page.iter().map(|e| e.contact_id.as_str()).collect();
                queued += slices.queue(&mut tx, &slice).await?;
                if page.len() < SLICE {
                    break;
                }
                after = page.into_iter().last();
            }
        }
    }
    tx.commit().await?;
    Ok(Started { id, jobs: queued })
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
