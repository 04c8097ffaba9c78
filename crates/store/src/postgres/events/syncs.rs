//! Contacts' sync states on PostgreSQL.

use crate::events::{ContactSync, Decided, parse_state, placed_stage, stage_text, state_name};
use crate::postgres::types::{from_json, ts};
use crate::{Result, StoreError};
use hiresync_core::{ConnectionId, WorkspaceId};
use serde_json::Value;
use sqlx::PgConnection;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct ContactSyncRow {
    connection_id: String,
    state: String,
    reason: Option<String>,
    person_id: Option<String>,
    person_url: Option<String>,
    target: Option<Value>,
    placement_id: Option<String>,
    placement_stage: Option<String>,
    errors: Value,
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
            target: r.target,
            placement_id: r.placement_id,
            placement_stage: placed_stage(r.placement_stage),
            errors: from_json("contact_syncs.errors", r.errors)?,
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
    c: &mut PgConnection,
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

/// The keys go as one array, so the statement is prepared once for any number of them.
pub(crate) async fn sync_states_of_contacts(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, ContactSync)>> {
    let rows: Vec<KeyedSyncRow> = sqlx::query_as(&format!(
        "select s.contact_id, {SYNC_COLUMNS} from contact_syncs s
         where s.workspace_id = $1 and s.contact_id in (select unnest($2::text[]))"
    ))
    .bind(ws.as_str())
    .bind(contact_ids)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(|row| Ok((row.contact_id, row.sync.try_into()?))).collect()
}

pub(crate) async fn sync_states(c: &mut PgConnection, ws: &WorkspaceId, contact_id: &str) -> Result<Vec<ContactSync>> {
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

/// One statement of a column array each, whose text is the same for any number of states.
pub(crate) async fn put_sync_states(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    states: &[(&str, &ContactSync)],
    now: i64,
) -> Result<()> {
    let text = |f: fn(&ContactSync) -> Option<&str>| states.iter().map(|(_, s)| f(s)).collect::<Vec<_>>();
    sqlx::query(
        "insert into contact_syncs (workspace_id, updated_at, connection_id, contact_id, state, reason, person_id,
                                    person_url, target, errors, placement_id, placement_stage, synced_at)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                      $9::jsonb[], $10::jsonb[], $11::text[], $12::text[], $13::timestamptz[])
         on conflict (connection_id, contact_id) do update set state = excluded.state,
           reason = excluded.reason, person_id = excluded.person_id, person_url = excluded.person_url,
           target = excluded.target, errors = excluded.errors, updated_at = excluded.updated_at,
           placement_id = excluded.placement_id, placement_stage = excluded.placement_stage,
           synced_at = coalesce(contact_syncs.synced_at, excluded.synced_at)",
    )
    .bind(ws.as_str())
    .bind(ts(now))
    .bind(text(|s| Some(s.connection_id.as_str())))
    .bind(states.iter().map(|(k, _)| *k).collect::<Vec<_>>())
    .bind(text(|s| Some(state_name(s.state))))
    .bind(text(|s| s.reason.as_deref()))
    .bind(text(|s| s.person_id.as_deref()))
    .bind(text(|s| s.person_url.as_deref()))
    .bind(states.iter().map(|(_, s)| s.target.as_ref().map(Json)).collect::<Vec<_>>())
    .bind(states.iter().map(|(_, s)| Json(&s.errors)).collect::<Vec<_>>())
    .bind(text(|s| s.placement_id.as_deref()))
    .bind(text(|s| stage_text(&s.placement_stage)))
    .bind(states.iter().map(|(_, s)| s.person_id.is_some().then(|| ts(now))).collect::<Vec<_>>())
    .execute(c)
    .await?;
    Ok(())
}

/// (contact_id, connection, state, reason, target) as read.
type DecidedRow = (String, String, String, Option<String>, Option<Value>);

/// The keys go as one array, so the statement is prepared once for any number of them.
pub(crate) async fn decided_of_contacts(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, Decided)>> {
    let rows: Vec<DecidedRow> = sqlx::query_as(
        "select contact_id, connection_id, state, reason, target from contact_syncs
         where workspace_id = $1 and contact_id in (select unnest($2::text[]))",
    )
    .bind(ws.as_str())
    .bind(contact_ids)
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|(contact_id, connection_id, state, reason, target)| {
            let connection_id = ConnectionId::from_stored(connection_id);
            Ok((contact_id, Decided { connection_id, state: parse_state(&state)?, reason, target }))
        })
        .collect()
}

/// One statement of a column array each, whose text is the same for any number of states.
pub(crate) async fn put_decided(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    states: &[(&str, &Decided)],
    now: i64,
) -> Result<()> {
    sqlx::query(
        "insert into contact_syncs (workspace_id, updated_at, connection_id, contact_id, state, reason, target)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
         on conflict (connection_id, contact_id) do update set state = excluded.state,
           reason = excluded.reason, target = excluded.target, updated_at = excluded.updated_at",
    )
    .bind(ws.as_str())
    .bind(ts(now))
    .bind(states.iter().map(|(_, s)| s.connection_id.as_str()).collect::<Vec<_>>())
    .bind(states.iter().map(|(k, _)| *k).collect::<Vec<_>>())
    .bind(states.iter().map(|(_, s)| state_name(s.state)).collect::<Vec<_>>())
    .bind(states.iter().map(|(_, s)| s.reason.as_deref()).collect::<Vec<_>>())
    .bind(states.iter().map(|(_, s)| s.target.as_ref().map(Json)).collect::<Vec<_>>())
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn contact_for_person(
    c: &mut PgConnection,
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
