//! One contact's resync job: the contact is synced as ingest would have
//! synced it had the connection been there, then its stored events are
//! replayed as activity. Its outcome is recorded when the job completes.

use crate::job::{Context, Effect, Fence, JobError, JobKind, Outcome, Record, SplitOff, contact_ordering_key};
use crate::outbox;
use crate::sync::{Rehearsal, Syncing, Writes, contact_override, own_target};
use async_trait::async_trait;
use hiresync_core::decision::SyncState;
use hiresync_core::{
    ConnectionSettings, ContactIn, Decision, DecisionInput, EventIn, EventType, Trigger, WorkspaceId, decide,
};
use hiresync_store::connections::Connection;
use hiresync_store::events::{ContactSync, Enrollment};
use hiresync_store::queue::ClaimedJob;
use hiresync_store::resyncs::{self, FAILED, QUEUED, RUNNING, SKIPPED, SYNCED};
use hiresync_store::{Store, StoreError, connections, contacts, events, sequences, workspaces};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Sync one contact of a resync that was never synced to the connection, then backfill its activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResyncContact {
    /// The resync it belongs to.
    pub resync_id: String,
    /// The connection to sync to.
    pub connection_id: String,
    /// The contact's id.
    #[serde(rename = "contact")]
    pub contact_id: String,
    /// The sequence the resync was asked for; none picks the contact's own.
    pub sequence: Option<String>,
    /// Update the linked person with the contact as it is now instead (people synced before a
    /// date); absent in jobs queued before this existed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refresh: bool,
}

#[async_trait]
impl JobKind for ResyncContact {
    fn kind(&self) -> &'static str {
        "resync_contact_v1"
    }

    fn operation(&self) -> &'static str {
        "resync"
    }

    /// Keyed like the contact's other jobs, so the two never interleave.
    fn ordering_key(&self) -> String {
        contact_ordering_key(&self.connection_id, &self.contact_id)
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (Some(&self.connection_id), Some(&self.contact_id))
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let Self { resync_id, connection_id, contact_id: contact, sequence, refresh } = self;
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let job_input = Input {
            resync_id,
            connection_id,
            contact,
            sequence: sequence.as_deref(),
            refresh: *refresh,
            writes: Writes::Job(Fence::of(job)),
        };
        let done = sync_contact(cx, &workspace, &job_input).await?;
        let mut effects: Vec<Effect> =
            done.sync.map(|sync| Effect::SyncState { contact_id: contact.clone(), sync }).into_iter().collect();
        effects.push(Effect::ResyncItem {
            resync_id: resync_id.clone(),
            contact_id: contact.clone(),
            outcome: done.outcome,
            reason: done.reason,
        });
        Ok(Record::new(job, self.operation(), done.detail, effects).into())
    }

    /// The contact is marked failed, and counted as failed in the resync.
    async fn on_dead(&self, store: &Store, job: &ClaimedJob, error: &str) -> Result<Option<SplitOff>, StoreError> {
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let conn = hiresync_core::ConnectionId::from_stored(self.connection_id.clone());
        let mut tx = store.begin().await?;
        outbox::sync_failed(&mut tx, &workspace, &conn, &self.contact_id, error).await?;
        resyncs::finish_item(&mut tx, &self.resync_id, &self.contact_id, FAILED, Some(error)).await?;
        outbox::resync_finished(&mut tx, &workspace, &self.resync_id).await?;
        tx.commit().await?;
        Ok(None)
    }
}

pub(super) fn already_synced(conn: &Connection) -> String {
    format!("already synced to {}", conn.provider.display_name())
}

/// How one contact's resync ended.
pub(crate) struct Resynced {
    /// `synced` or `skipped` (or `failed`), as the resync counts it.
    pub(crate) outcome: &'static str,
    /// Why it was skipped.
    pub(crate) reason: Option<String>,
    /// The contact's sync state with the connection after it.
    pub(crate) sync: Option<ContactSync>,
    detail: String,
}

impl Resynced {
    fn skipped(reason: impl Into<String>, sync: Option<ContactSync>) -> Self {
        let reason = reason.into();
        Self { outcome: SKIPPED, detail: reason.clone(), reason: Some(reason), sync }
    }
}

struct Input<'a> {
    resync_id: &'a str,
    connection_id: &'a str,
    contact: &'a str,
    sequence: Option<&'a str>,
    refresh: bool,
    writes: Writes<'a>,
}

/// What resyncing `contact` to the connection would do now, carried out in `rehearsal`:
/// nothing is stored and no write reaches the provider.
pub(crate) async fn rehearse(
    cx: &Context,
    ws: &WorkspaceId,
    connection_id: &str,
    contact: &str,
    rehearsal: &Rehearsal,
) -> Result<Resynced, JobError> {
    // No resync holds this id, so the contact reads as never begun by it.
    let input = Input {
        resync_id: "preview",
        connection_id,
        contact,
        sequence: None,
        refresh: false,
        writes: Writes::Rehearsal(rehearsal),
    };
    sync_contact(cx, ws, &input).await
}

async fn sync_contact(cx: &Context, ws: &WorkspaceId, input: &Input<'_>) -> Result<Resynced, JobError> {
    let store = cx.store();
    let mut c = store.db().await?;
    let conn = match connections::get(&mut c, ws, input.connection_id).await {
        Ok(conn) => conn,
        Err(StoreError::NotFound) => return Ok(Resynced::skipped("the connection was deleted", None)),
        Err(e) => return Err(e.into()),
    };
    let Some(stored) = contacts::get(&mut c, ws, input.contact).await? else {
        return Ok(Resynced::skipped("the contact no longer exists", None));
    };
    let contact: ContactIn =
        serde_json::from_value(stored.data.clone()).map_err(|e| JobError::Broken(format!("stored contact: {e}")))?;
    let defaults = workspaces::defaults(&mut c, ws, conn.provider.as_str()).await?;
    let settings = ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
        .map_err(|e| JobError::Broken(format!("connection settings: {e}")))?;
    let previous = events::sync_state(&mut c, &conn.id, input.contact).await?;
    if input.refresh {
        drop(c);
        return refresh_person(cx, ws, input, &conn, stored.created_at, contact, settings, previous).await;
    }
    // A person this resync linked in an earlier attempt (crash, retry) is carried on with, not skipped.
    let begun = resyncs::item_outcome(&mut c, input.resync_id, input.contact).await?.is_some_and(|o| o != QUEUED);
    if previous.as_ref().is_some_and(|s| s.person_id.is_some()) && !begun {
        return Ok(Resynced::skipped(already_synced(&conn), None));
    }
    let enrollments = events::enrollments_of(&mut c, ws, input.contact).await?;
    let (sequence_id, added_while_disabled) = deciding_sequence(&enrollments, input.sequence);
    let sequence = match sequence_id {
        Some(s) => sequences::get(&mut c, ws, s).await?,
        None => None,
    };
    drop(c);
    let sequence_target = sequence.as_ref().and_then(|s| own_target(&conn, s.target.as_ref()));
    let owner = sequence.as_ref().map(|s| s.owner_id.clone());
    let tags = sequence.map(|s| s.sync_tags).unwrap_or_default();
    let overridden = contact_override(&stored.data);
    let explicit = ConnectionSettings { trigger: Trigger::OnAdd, ..settings.clone() };
    let decision = decide(&DecisionInput {
        event: EventType::ContactAdded,
        settings: &explicit,
        sequence_target: sequence_target.as_ref(),
        added_while_disabled,
        contact_override: overridden,
        state: SyncState::None,
        first_reply: false,
    });
    let mut sync = previous.unwrap_or_else(|| ContactSync::new(conn.id.clone(), SyncState::None));
    let target = match decision {
        Decision::Sync { target } => target,
        Decision::Skip { reason } => {
            if !sync.state.is_linked() {
                sync.state = SyncState::Skipped;
                sync.reason = Some(reason.clone());
            }
            return Ok(Resynced::skipped(reason, Some(sync)));
        }
        Decision::Activity | Decision::UpdatePerson => return Ok(Resynced::skipped(already_synced(&conn), None)),
    };
    if !sync.state.is_linked() {
        sync.state = SyncState::Pending;
        sync.reason = None;
    }
    let real = crate::sync::acting_for(store, &conn, &settings, cx.clients().people(&conn)?, owner.as_ref()).await?;
    let provider = input.writes.people(real);
    if let Some(mut tx) = input.writes.begin(store).await? {
        resyncs::finish_item(&mut tx, input.resync_id, input.contact, RUNNING, None).await?;
        tx.commit().await?;
    }
    // Linking and placing happen under a stand-in event that writes no note: every
    // real event is replayed below with the decision ingest would have taken for it.
    let stand_in = EventIn {
        id: format!("resync:{}", input.resync_id),
        kind: EventType::ContactAdded,
        occurred_at: chrono::Utc::now(),
        contact: input.contact.to_owned(),
        sequence: sequence_id.map(str::to_owned),
        data: serde_json::Map::new(),
    };
    let syncing = Syncing {
        store,
        writes: input.writes,
        workspace: ws,
        conn: &conn,
        provider: provider.clone(),
        settings: ConnectionSettings { activity_tracking: false, ..settings.clone() },
        contact: contact.clone(),
        contact_added_at: stored.created_at,
        event: stand_in,
        sync,
        sequence_tags: tags.clone(),
        progress_written: false,
        done: Vec::new(),
    };
    let out = syncing.carry_out(&Decision::Sync { target }).await?;
    let Some(sync) = out.sync else { return Ok(Resynced::skipped(out.detail, None)) };
    if sync.state != SyncState::Synced {
        return Ok(Resynced::skipped(sync.reason.clone().unwrap_or(out.detail), Some(sync)));
    }
    let backfill = Backfill {
        store,
        writes: input.writes,
        ws,
        conn: &conn,
        settings: &settings,
        contact_id: input.contact,
        contact: &contact,
        contact_added_at: stored.created_at,
        tags: &tags,
    };
    let (sync, written) = backfill.replay(&enrollments, overridden, provider, sync).await?;
    Ok(Resynced {
        outcome: SYNCED,
        reason: None,
        sync: Some(sync),
        detail: format!("synced; {written} notes backfilled"),
    })
}

/// Updates the person linked to the contact with the contact as it is now under the current
/// settings (field map, displayed fields), protected fields kept: people synced before a
/// changed mapping brought up to date on purpose (SPEC M2 applies it to later syncs only).
#[allow(clippy::too_many_arguments)]
async fn refresh_person(
    cx: &Context,
    ws: &WorkspaceId,
    input: &Input<'_>,
    conn: &Connection,
    contact_added_at: i64,
    contact: ContactIn,
    settings: ConnectionSettings,
    previous: Option<ContactSync>,
) -> Result<Resynced, JobError> {
    let Some(sync) = previous.filter(|s| s.person_id.is_some()) else {
        return Ok(Resynced::skipped("never synced", None));
    };
    let store = cx.store();
    if let Some(mut tx) = input.writes.begin(store).await? {
        resyncs::finish_item(&mut tx, input.resync_id, input.contact, RUNNING, None).await?;
        tx.commit().await?;
    }
    let stand_in = EventIn {
        id: format!("resync:{}", input.resync_id),
        kind: EventType::ContactUpdated,
        occurred_at: chrono::Utc::now(),
        contact: input.contact.to_owned(),
        sequence: None,
        data: serde_json::Map::new(),
    };
    let syncing = Syncing {
        store,
        writes: input.writes,
        workspace: ws,
        conn,
        provider: input.writes.people(cx.clients().people(conn)?),
        settings,
        contact,
        contact_added_at,
        event: stand_in,
        sync,
        sequence_tags: Vec::new(),
        progress_written: false,
        done: Vec::new(),
    };
    let (sync, detail) = syncing.refresh_person().await?;
    Ok(Resynced { outcome: SYNCED, reason: None, sync: Some(sync), detail })
}

/// The sequence whose target and tags decide, and whether the contact joined it while it had sync disabled.
/// A named sequence decides; otherwise the first the contact joined while syncing was on.
fn deciding_sequence<'a>(enrollments: &'a [(String, Enrollment)], named: Option<&'a str>) -> (Option<&'a str>, bool) {
    if let Some(s) = named {
        let disabled = enrollments.iter().find(|(k, _)| k == s).is_some_and(|(_, e)| e.added_while_disabled);
        return (Some(s), disabled);
    }
    match enrollments.iter().find(|(_, e)| !e.added_while_disabled) {
        Some((s, _)) => (Some(s.as_str()), false),
        None => (enrollments.first().map(|(s, _)| s.as_str()), !enrollments.is_empty()),
    }
}

/// Replays a freshly linked contact's stored events as activity.
struct Backfill<'a> {
    store: &'a Store,
    writes: Writes<'a>,
    ws: &'a WorkspaceId,
    conn: &'a Connection,
    settings: &'a ConnectionSettings,
    contact_id: &'a str,
    contact: &'a ContactIn,
    contact_added_at: i64,
    tags: &'a [String],
}

impl Backfill<'_> {
    /// Writes each event's note in occurred order, recording it in the ledger at once; returns notes written.
    async fn replay(
        &self,
        enrollments: &[(String, Enrollment)],
        overridden: Option<hiresync_core::decision::SyncOverride>,
        provider: std::sync::Arc<dyn hiresync_providers::People>,
        mut sync: ContactSync,
    ) -> Result<(ContactSync, usize), JobError> {
        let mut replayed: HashSet<String> = HashSet::new();
        let mut written = 0;
        // A second look catches events stored while the first pass ran, before the link was visible to ingest.
        for _ in 0..2 {
            let mut c = self.store.db().await?;
            let history = events::for_contact(&mut c, self.ws, self.contact_id).await?;
            drop(c);
            let mut replied: HashSet<Option<String>> = HashSet::new();
            let mut fresh = 0;
            for event in history {
                let first_reply = event.kind == EventType::ReplyReceived && replied.insert(event.sequence.clone());
                if !replayed.insert(event.id.clone()) {
                    continue;
                }
                fresh += 1;
                let added_while_disabled = event
                    .sequence
                    .as_ref()
                    .and_then(|s| enrollments.iter().find(|(k, _)| k == s))
                    .is_some_and(|(_, e)| e.added_while_disabled);
                let decision = decide(&DecisionInput {
                    event: event.kind,
                    settings: self.settings,
                    sequence_target: None,
                    added_while_disabled,
                    contact_override: overridden,
                    state: SyncState::Synced,
                    first_reply,
                });
                // The person was just made from the contact as it is now, so past hand edits are not replayed.
                if decision != Decision::Activity {
                    continue;
                }
                let before = sync.clone();
                let syncing = Syncing {
                    store: self.store,
                    writes: self.writes,
                    workspace: self.ws,
                    conn: self.conn,
                    provider: provider.clone(),
                    settings: self.settings.clone(),
                    contact: self.contact.clone(),
                    contact_added_at: self.contact_added_at,
                    event,
                    sync,
                    sequence_tags: self.tags.to_vec(),
                    progress_written: false,
                    done: Vec::new(),
                };
                let out = syncing.carry_out(&Decision::Activity).await?;
                sync = out.sync.unwrap_or(before);
                if out.wrote_note {
                    written += 1;
                }
            }
            if fresh == 0 {
                break;
            }
        }
        Ok((sync, written))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrolled(seq: &str, disabled: bool) -> (String, Enrollment) {
        (seq.to_owned(), Enrollment { added_while_disabled: disabled, replied_at: None })
    }

    #[test]
    fn a_named_sequence_decides_else_the_first_joined_with_syncing_on() {
        let v = [enrolled("a", true), enrolled("b", false), enrolled("c", false)];
        assert_eq!(deciding_sequence(&v, Some("a")), (Some("a"), true));
        assert_eq!(deciding_sequence(&v, Some("c")), (Some("c"), false));
        assert_eq!(deciding_sequence(&v, None), (Some("b"), false));
        assert_eq!(deciding_sequence(&v[..1], None), (Some("a"), true), "joined only while disabled (S2)");
        assert_eq!(deciding_sequence(&[], None), (None, false));
    }
}
