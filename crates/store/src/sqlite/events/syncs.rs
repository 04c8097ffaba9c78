//! Contacts' sync states on SQLite.

use crate::error::{json_col, json_text};
use crate::events::{ContactSync, Decided, parse_state, placed_stage, stage_text, state_name};
use crate::sqlite::lists::{self, CHUNK, KEYS};
use crate::{Result, StoreError};
use hiresync_core::{ConnectionId, WorkspaceId};
use sqlx::SqliteConnection;

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
            placement_stage: placed_stage(r.placement_stage),
            errors: json_col("contact_syncs.errors", &r.errors)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct KeyedSyncRow {
    contact_id: String,
    #[sqlx(flatten)]
    sync: ContactSyncRow,
}

const SYNC_COLUMNS: &str = "s.connection_id, s.state, s.reason, s.person_id, s.person_url, s.target, s.placement_id,
     s.placement_stage, s.errors";

pub(crate) async fn sync_state(
    c: &mut SqliteConnection,
    connection: &ConnectionId,
    contact_id: &str,
) -> Result<Option<ContactSync>> {
    let row: Option<ContactSyncRow> = sqlx::query_as(&format!(
        "select {SYNC_COLUMNS} from contact_syncs s where s.connection_id = $1 and s.contact_id = $2"
    ))
    .bind(connection.as_str())
    .bind(contact_id)
    .fetch_optional(c)
    .await?;
    row.map(ContactSync::try_from).transpose()
}

/// [`KEYS`] contacts a statement, each its own parameter; the text differs with their number,
/// so it runs unprepared.
pub(crate) async fn sync_states_of_contacts(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, ContactSync)>> {
    let mut found = Vec::new();
    for chunk in contact_ids.chunks(KEYS) {
        let sql = format!(
            "select s.contact_id, {SYNC_COLUMNS} from contact_syncs s where s.workspace_id = ? and s.contact_id in ({})",
            lists::list(chunk.len())
        );
        let mut q = sqlx::query_as::<_, KeyedSyncRow>(&sql).persistent(false).bind(ws.as_str());
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut *c).await? {
            found.push((row.contact_id, row.sync.try_into()?));
        }
    }
    Ok(found)
}

pub(crate) async fn sync_states(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_id: &str,
) -> Result<Vec<ContactSync>> {
    let rows: Vec<ContactSyncRow> = sqlx::query_as(&format!(
        "select {SYNC_COLUMNS} from contact_syncs s join connections k on k.id = s.connection_id
         where s.workspace_id = $1 and s.contact_id = $2 and k.deleted_at is null order by k.created_at, k.id"
    ))
    .bind(ws.as_str())
    .bind(contact_id)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(ContactSync::try_from).collect()
}

pub(crate) async fn put_sync_states(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    states: &[(&str, &ContactSync)],
    now: i64,
) -> Result<()> {
    for chunk in states.chunks(CHUNK) {
        let sql = format!(
            "insert into contact_syncs (workspace_id, updated_at, connection_id, contact_id, state, reason, person_id,
                                        person_url, target, errors, placement_id, placement_stage, synced_at)
             values {} on conflict (connection_id, contact_id) do update set state = excluded.state,
               reason = excluded.reason, person_id = excluded.person_id, person_url = excluded.person_url,
               target = excluded.target, errors = excluded.errors, updated_at = excluded.updated_at,
               placement_id = excluded.placement_id, placement_stage = excluded.placement_stage,
               synced_at = coalesce(contact_syncs.synced_at, excluded.synced_at)",
            lists::values(chunk.len(), 13)
        );
        let mut q = sqlx::query(&sql);
        for (contact_id, s) in chunk {
            q = q
                .bind(ws.as_str())
                .bind(now)
                .bind(s.connection_id.as_str())
                .bind(*contact_id)
                .bind(state_name(s.state))
                .bind(s.reason.as_deref())
                .bind(s.person_id.as_deref())
                .bind(s.person_url.as_deref())
                .bind(s.target.as_ref().map(|t| json_text("contact_syncs.target", t)).transpose()?)
                .bind(json_text("contact_syncs.errors", &s.errors)?)
                .bind(s.placement_id.as_deref())
                .bind(stage_text(&s.placement_stage))
                .bind(s.person_id.is_some().then_some(now));
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// (contact_id, connection, state, reason, target) as read.
type DecidedRow = (String, String, String, Option<String>, Option<String>);

/// Read as one JSON array ([`lists::of_workspace`]).
pub(crate) async fn decided_of_contacts(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, Decided)>> {
    let columns = "contact_id, connection_id, state, reason, target";
    let rows: Vec<DecidedRow> =
        lists::of_workspace(c, "contact_syncs", columns, "contact_id", ws.as_str(), contact_ids).await?;
    rows.into_iter()
        .map(|(contact_id, connection_id, state, reason, target)| {
            let decided = Decided {
                connection_id: ConnectionId::from_stored(connection_id),
                state: parse_state(&state)?,
                reason,
                target: target.map(|t| json_col("contact_syncs.target", &t)).transpose()?,
            };
            Ok((contact_id, decided))
        })
        .collect()
}

pub(crate) async fn put_decided(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    states: &[(&str, &Decided)],
    now: i64,
) -> Result<()> {
    for chunk in states.chunks(CHUNK) {
        let sql = format!(
            "insert into contact_syncs (workspace_id, updated_at, connection_id, contact_id, state, reason, target)
             values {} on conflict (connection_id, contact_id) do update set state = excluded.state,
               reason = excluded.reason, target = excluded.target, updated_at = excluded.updated_at",
            lists::values(chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for (contact_id, s) in chunk {
            q = q
                .bind(ws.as_str())
                .bind(now)
                .bind(s.connection_id.as_str())
                .bind(*contact_id)
                .bind(state_name(s.state))
                .bind(s.reason.as_deref())
                .bind(s.target.as_ref().map(|t| json_text("contact_syncs.target", t)).transpose()?);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

pub(crate) async fn contact_for_person(
    c: &mut SqliteConnection,
    connection: &ConnectionId,
    person_id: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "select contact_id from contact_syncs where connection_id = $1 and person_id = $2 order by updated_at limit 1",
    )
    .bind(connection.as_str())
    .bind(person_id)
    .fetch_optional(c)
    .await?)
}
