//! Each contact's sync state per connection (SPEC L2): where the contact stands
//! with the provider, the person it is linked to and why it was skipped.

use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, StoreError, error::json_col, now_ms};
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, PlacedStage, WorkspaceId};
use serde_json::Value;

/// A contact's sync state with one connection (SPEC L2).
#[derive(Clone, Debug, PartialEq)]
pub struct ContactSync {
    /// The connection.
    pub connection_id: ConnectionId,
    /// pending / synced / skipped / failed.
    pub state: SyncState,
    /// Why skipped or failed.
    pub reason: Option<String>,
    /// The person's id in the provider.
    pub person_id: Option<String>,
    /// "Open in <Provider>" link.
    pub person_url: Option<String>,
    /// The target the person was put on.
    pub target: Option<Value>,
    /// The provider's id for the person-on-target record (application, candidacy).
    pub placement_id: Option<String>,
    /// The stage hiresync last placed or moved that record at.
    pub placement_stage: PlacedStage,
    /// Warnings such as "Exists in Greenhouse".
    pub errors: Vec<String>,
}

impl ContactSync {
    /// A state with nothing else known yet.
    pub fn new(connection_id: ConnectionId, state: SyncState) -> Self {
        Self {
            connection_id,
            state,
            reason: None,
            person_id: None,
            person_url: None,
            target: None,
            placement_id: None,
            placement_stage: PlacedStage::Unknown,
            errors: Vec::new(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ContactSyncRow {
    connection_id: String,
    state: String,
    reason: Option<String>,
    person_id: Option<String>,
    person_url: Option<String>,
    target: Option<String>,
    placement_id: Option<String>,
    placement_stage: Option<String>,
    errors: String,
}

impl TryFrom<ContactSyncRow> for ContactSync {
    type Error = StoreError;
    fn try_from(r: ContactSyncRow) -> Result<Self> {
        Ok(ContactSync {
            connection_id: ConnectionId::from_stored(r.connection_id),
            state: parse_state(&r.state)?,
            reason: r.reason,
            person_id: r.person_id,
            person_url: r.person_url,
            target: r.target.map(|t| json_col("contact_syncs.target", &t)).transpose()?,
            placement_id: r.placement_id,
            placement_stage: match r.placement_stage {
                None => PlacedStage::Unknown,
                Some(s) if s.is_empty() => PlacedStage::None,
                Some(s) => PlacedStage::At(s),
            },
            errors: json_col("contact_syncs.errors", &r.errors)?,
        })
    }
}

fn parse_state(s: &str) -> Result<SyncState> {
    json_col("contact_syncs.state", &format!("\"{s}\""))
}

/// State names as stored.
pub fn state_name(s: SyncState) -> &'static str {
    match s {
        SyncState::None => "none",
        SyncState::Pending => "pending",
        SyncState::Synced => "synced",
        SyncState::Skipped => "skipped",
        SyncState::Failed => "failed",
    }
}

const SYNC_COLUMNS: &str = "s.connection_id, s.state, s.reason, s.person_id, s.person_url, s.target, s.placement_id,
     s.placement_stage, s.errors";

/// A contact's sync state with one connection.
pub async fn sync_state(c: &mut Conn, connection: &ConnectionId, contact: &str) -> Result<Option<ContactSync>> {
    let row: Option<ContactSyncRow> = sqlx::query_as(&format!(
        "select {SYNC_COLUMNS} from contact_syncs s where s.connection_id = $1 and s.contact = $2"
    ))
    .bind(connection.as_str())
    .bind(contact)
    .fetch_optional(c)
    .await?;
    row.map(ContactSync::try_from).transpose()
}

/// The sync states of these contacts with any connection, as (contact, state).
pub async fn sync_states_of_contacts(
    c: &mut Conn,
    workspace: &WorkspaceId,
    contacts: &[&str],
) -> Result<Vec<(String, ContactSync)>> {
    let (mut found, p) = (Vec::new(), Params::of(c));
    for chunk in contacts.chunks(p.keys_per_list()) {
        let sql = format!(
            "select s.contact, {SYNC_COLUMNS} from contact_syncs s where s.workspace_id = {} and s.contact in ({})",
            p.list(1, 1),
            p.keys(chunk.len(), 2)
        );
        let q = rows::bind_keys(rows::by_keys::<KeyedSyncRow>(&sql, p).bind(workspace.as_str()), p, chunk);
        for row in q.fetch_all(&mut *c).await? {
            found.push((row.contact, row.sync.try_into()?));
        }
    }
    Ok(found)
}

#[derive(sqlx::FromRow)]
struct KeyedSyncRow {
    contact: String,
    #[sqlx(flatten)]
    sync: ContactSyncRow,
}

/// A contact's sync states with every live connection of the workspace.
pub async fn sync_states(c: &mut Conn, workspace: &WorkspaceId, contact: &str) -> Result<Vec<ContactSync>> {
    let rows: Vec<ContactSyncRow> = sqlx::query_as(&format!(
        "select {SYNC_COLUMNS} from contact_syncs s join connections k on k.id = s.connection_id
         where s.workspace_id = $1 and s.contact = $2 and k.deleted_at is null order by k.created_at, k.id"
    ))
    .bind(workspace.as_str())
    .bind(contact)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(ContactSync::try_from).collect()
}

/// Writes a contact's sync state with one connection.
pub async fn put_sync_state(c: &mut Conn, workspace: &WorkspaceId, contact: &str, s: &ContactSync) -> Result<()> {
    put_sync_states(c, workspace, &[(contact, s)]).await
}

/// Writes sync states given as (contact, state), each replacing what its contact and connection
/// had; a contact and connection may appear once (PostgreSQL refuses to upsert a row twice).
pub async fn put_sync_states(c: &mut Conn, workspace: &WorkspaceId, states: &[(&str, &ContactSync)]) -> Result<()> {
    let (now, p) = (now_ms(), Params::of(c));
    for chunk in states.chunks(CHUNK) {
        let sql = format!(
            "insert into contact_syncs (workspace_id, updated_at, connection_id, contact, state, reason, person_id,
                                        person_url, target, errors, placement_id, placement_stage)
             values {} on conflict (connection_id, contact) do update set state = excluded.state,
               reason = excluded.reason, person_id = excluded.person_id, person_url = excluded.person_url,
               target = excluded.target, errors = excluded.errors, updated_at = excluded.updated_at,
               placement_id = excluded.placement_id, placement_stage = excluded.placement_stage",
            p.values(chunk.len(), 12, 1)
        );
        let mut q = rows::listed(&sql, p);
        for (contact, s) in chunk {
            q = q
                .bind(workspace.as_str())
                .bind(now)
                .bind(s.connection_id.as_str())
                .bind(*contact)
                .bind(state_name(s.state))
                .bind(s.reason.as_deref())
                .bind(s.person_id.as_deref())
                .bind(s.person_url.as_deref())
                .bind(s.target.as_ref().map(Value::to_string))
                .bind(Value::from(s.errors.clone()).to_string())
                .bind(s.placement_id.as_deref())
                .bind(match &s.placement_stage {
                    PlacedStage::Unknown => None,
                    PlacedStage::None => Some(""),
                    PlacedStage::At(stage) => Some(stage.as_str()),
                });
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// The part of a contact's sync state with one connection that ingest decides (SPEC S1-S4):
/// where it stands, why it was skipped, the target it syncs to. The rest of the row (person,
/// placement, warnings) is the worker's, and ingest neither reads nor writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decided {
    /// The connection.
    pub connection_id: ConnectionId,
    /// pending / synced / skipped / failed.
    pub state: SyncState,
    /// Why skipped.
    pub reason: Option<String>,
    /// The target it syncs to.
    pub target: Option<Value>,
}

impl Decided {
    /// A contact and connection with nothing decided yet.
    pub fn new(connection_id: ConnectionId) -> Self {
        Self { connection_id, state: SyncState::None, reason: None, target: None }
    }
}

/// (contact, connection, state, reason, target) as read.
type DecidedRow = (String, String, String, Option<String>, Option<String>);

/// The decided part of these contacts' sync states with any connection, as (contact, state):
/// a batch of events reads a row per contact, and the columns it does not need made up most
/// of what the read carried.
pub async fn decided_of_contacts(
    c: &mut Conn,
    workspace: &WorkspaceId,
    contacts: &[&str],
) -> Result<Vec<(String, Decided)>> {
    let columns = "contact, connection_id, state, reason, target";
    let rows: Vec<DecidedRow> =
        rows::of_workspace(c, "contact_syncs", columns, "contact", workspace.as_str(), contacts).await?;
    rows.into_iter()
        .map(|(contact, connection_id, state, reason, target)| {
            let decided = Decided {
                connection_id: ConnectionId::from_stored(connection_id),
                state: parse_state(&state)?,
                reason,
                target: target.map(|t| json_col("contact_syncs.target", &t)).transpose()?,
            };
            Ok((contact, decided))
        })
        .collect()
}

/// Writes the decided part of sync states given as (contact, state), creating rows that do not
/// exist and leaving the worker's columns of those that do as they are; a contact and
/// connection may appear once.
pub async fn put_decided(c: &mut Conn, workspace: &WorkspaceId, states: &[(&str, &Decided)]) -> Result<()> {
    let (now, p) = (now_ms(), Params::of(c));
    for chunk in states.chunks(CHUNK) {
        let sql = format!(
            "insert into contact_syncs (workspace_id, updated_at, connection_id, contact, state, reason, target)
             values {} on conflict (connection_id, contact) do update set state = excluded.state,
               reason = excluded.reason, target = excluded.target, updated_at = excluded.updated_at",
            p.values(chunk.len(), 7, 1)
        );
        let mut q = rows::listed(&sql, p);
        for (contact, s) in chunk {
            q = q
                .bind(workspace.as_str())
                .bind(now)
                .bind(s.connection_id.as_str())
                .bind(*contact)
                .bind(state_name(s.state))
                .bind(s.reason.as_deref())
                .bind(s.target.as_ref().map(Value::to_string));
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// The contact already linked to this person on this connection, if any.
pub async fn contact_for_person(c: &mut Conn, connection: &ConnectionId, person_id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "select contact from contact_syncs where connection_id = $1 and person_id = $2 order by updated_at limit 1",
    )
    .bind(connection.as_str())
    .bind(person_id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(k,)| k))
}
