//! Accepted events, enrollments, the decisions taken for them and each
//! contact's sync state per connection (SPEC L2).

use crate::{Conn, Result, StoreError, error::json_col, now_ms};
use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, EventIn, EventType, WorkspaceId};
use serde_json::Value;

/// Stores an event; false when its id was seen before (a duplicate changes nothing).
pub async fn insert(c: &mut Conn, workspace: &WorkspaceId, e: &EventIn) -> Result<bool> {
    let done = sqlx::query(
        "insert into events (workspace_id, id, kind, contact, sequence, occurred_at, data, received_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (workspace_id, id) do nothing",
    )
    .bind(workspace.as_str())
    .bind(&e.id)
    .bind(e.kind.as_str())
    .bind(&e.contact)
    .bind(e.sequence.as_deref())
    .bind(e.occurred_at.timestamp_millis())
    .bind(Value::Object(e.data.clone()).to_string())
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One stored event.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<EventIn> {
    let row: Option<EventRow> = sqlx::query_as(
        "select id, kind, contact, sequence, occurred_at, data from events where workspace_id = $1 and id = $2",
    )
    .bind(workspace.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// A contact's events in the order they happened (for backfills).
pub async fn for_contact(c: &mut Conn, workspace: &WorkspaceId, contact: &str) -> Result<Vec<EventIn>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select id, kind, contact, sequence, occurred_at, data from events
         where workspace_id = $1 and contact = $2 order by occurred_at, received_at, id",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(EventIn::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    kind: String,
    contact: String,
    sequence: Option<String>,
    occurred_at: i64,
    data: String,
}

impl TryFrom<EventRow> for EventIn {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(EventIn {
            kind: EventType::parse(&r.kind)
                .ok_or(StoreError::Corrupt { column: "events.kind", message: r.kind.clone() })?,
            occurred_at: chrono::DateTime::from_timestamp_millis(r.occurred_at)
                .ok_or(StoreError::Corrupt { column: "events.occurred_at", message: r.occurred_at.to_string() })?,
            data: json_col("events.data", &r.data)?,
            id: r.id,
            contact: r.contact,
            sequence: r.sequence,
        })
    }
}

/// A contact's membership of a sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct Enrollment {
    /// The contact joined while the sequence had syncing disabled (SPEC S2).
    pub added_while_disabled: bool,
    /// When the contact first replied in this sequence (SPEC A2).
    pub replied_at: Option<i64>,
}

/// The enrollment of a contact in a sequence, if any.
pub async fn enrollment(
    c: &mut Conn,
    workspace: &WorkspaceId,
    contact: &str,
    sequence: &str,
) -> Result<Option<Enrollment>> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "select added_while_disabled, replied_at from enrollments where workspace_id = $1 and contact = $2 and sequence = $3",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .bind(sequence)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(d, r)| Enrollment { added_while_disabled: d != 0, replied_at: r }))
}

/// Records that a contact joined a sequence; a second add keeps the first record.
pub async fn enroll(
    c: &mut Conn,
    workspace: &WorkspaceId,
    contact: &str,
    sequence: &str,
    while_disabled: bool,
) -> Result<()> {
    sqlx::query(
        "insert into enrollments (workspace_id, contact, sequence, added_at, added_while_disabled) values ($1, $2, $3, $4, $5)
         on conflict (workspace_id, contact, sequence) do nothing",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .bind(sequence)
    .bind(now_ms())
    .bind(i64::from(while_disabled))
    .execute(c)
    .await?;
    Ok(())
}

/// Marks the contact's first reply in a sequence; later replies keep the first time.
pub async fn mark_replied(c: &mut Conn, workspace: &WorkspaceId, contact: &str, sequence: &str, at: i64) -> Result<()> {
    sqlx::query(
        "update enrollments set replied_at = $4 where workspace_id = $1 and contact = $2 and sequence = $3 and replied_at is null",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .bind(sequence)
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

/// Records the decision taken for an event and a connection; returns its id.
pub async fn insert_decision(
    c: &mut Conn,
    workspace: &WorkspaceId,
    event_id: &str,
    connection: &ConnectionId,
    contact: &str,
    decision: &hiresync_core::Decision,
) -> Result<i64> {
    let (reason, target) = match decision {
        hiresync_core::Decision::Skip { reason } => (Some(reason.clone()), None),
        hiresync_core::Decision::Sync { target } => {
            (None, target.as_ref().map(|t| Value::Object(t.0.clone()).to_string()))
        }
        _ => (None, None),
    };
    let (id,): (i64,) = sqlx::query_as(
        "insert into decisions (workspace_id, event_id, connection_id, contact, action, reason, target, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(workspace.as_str())
    .bind(event_id)
    .bind(connection.as_str())
    .bind(contact)
    .bind(decision.action())
    .bind(reason)
    .bind(target)
    .bind(now_ms())
    .fetch_one(c)
    .await?;
    Ok(id)
}

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
    errors: String,
}

impl TryFrom<ContactSyncRow> for ContactSync {
    type Error = StoreError;
    fn try_from(r: ContactSyncRow) -> Result<Self> {
        Ok(ContactSync {
            connection_id: ConnectionId::from_stored(r.connection_id),
            state: json_col("contact_syncs.state", &format!("\"{}\"", r.state))?,
            reason: r.reason,
            person_id: r.person_id,
            person_url: r.person_url,
            target: r.target.map(|t| json_col("contact_syncs.target", &t)).transpose()?,
            placement_id: r.placement_id,
            errors: json_col("contact_syncs.errors", &r.errors)?,
        })
    }
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

const SYNC_COLUMNS: &str =
    "s.connection_id, s.state, s.reason, s.person_id, s.person_url, s.target, s.placement_id, s.errors";

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
    sqlx::query(
        "insert into contact_syncs (workspace_id, connection_id, contact, state, reason, person_id, person_url, target, errors, updated_at, placement_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (connection_id, contact) do update set state = excluded.state, reason = excluded.reason,
           person_id = excluded.person_id, person_url = excluded.person_url, target = excluded.target,
           errors = excluded.errors, updated_at = excluded.updated_at, placement_id = excluded.placement_id",
    )
    .bind(workspace.as_str())
    .bind(s.connection_id.as_str())
    .bind(contact)
    .bind(state_name(s.state))
    .bind(s.reason.as_deref())
    .bind(s.person_id.as_deref())
    .bind(s.person_url.as_deref())
    .bind(s.target.as_ref().map(Value::to_string))
    .bind(Value::from(s.errors.clone()).to_string())
    .bind(now_ms())
    .bind(s.placement_id.as_deref())
    .execute(c)
    .await?;
    Ok(())
}

/// The contacts enrolled in a sequence, in the order they joined (for resyncs).
pub async fn enrolled(c: &mut Conn, workspace: &WorkspaceId, sequence: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select contact from enrollments where workspace_id = $1 and sequence = $2 order by added_at, contact",
    )
    .bind(workspace.as_str())
    .bind(sequence)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// A contact's enrollments by sequence, in the order it joined them.
pub async fn enrollments_of(c: &mut Conn, workspace: &WorkspaceId, contact: &str) -> Result<Vec<(String, Enrollment)>> {
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "select sequence, added_while_disabled, replied_at from enrollments where workspace_id = $1 and contact = $2
         order by added_at, sequence",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(s, d, r)| (s, Enrollment { added_while_disabled: d != 0, replied_at: r })).collect())
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
