//! Sequences on PostgreSQL.

use super::types::{from_json, ts};
use crate::sequences::Sequence;
use crate::{Result, StoreError};
use hiresync_core::{UserId, WorkspaceId};
use serde_json::Value;
use sqlx::PgConnection;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct SequenceRow {
    external_id: String,
    name: String,
    owner_id: String,
    sync_disabled: bool,
    target: Option<Value>,
    sync_tags: Value,
}

impl TryFrom<SequenceRow> for Sequence {
    type Error = StoreError;
    fn try_from(r: SequenceRow) -> Result<Self> {
        Ok(Sequence {
            external_id: r.external_id,
            name: r.name,
            owner_id: UserId::from_stored(r.owner_id),
            sync_disabled: r.sync_disabled,
            target: r.target,
            sync_tags: from_json("sequences.sync_tags", r.sync_tags)?,
        })
    }
}

const COLUMNS: &str = "external_id, name, owner_id, sync_disabled, target, sync_tags";

pub(crate) async fn upsert(c: &mut PgConnection, ws: &WorkspaceId, s: &Sequence, now: i64) -> Result<()> {
    sqlx::query(
        "insert into sequences (workspace_id, external_id, name, owner_id, sync_disabled, target, sync_tags,
                                created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         on conflict (workspace_id, external_id) do update set name = excluded.name, owner_id = excluded.owner_id,
           sync_disabled = excluded.sync_disabled, target = excluded.target, sync_tags = excluded.sync_tags,
           updated_at = excluded.updated_at",
    )
    .bind(ws.as_str())
    .bind(&s.external_id)
    .bind(&s.name)
    .bind(s.owner_id.as_str())
    .bind(s.sync_disabled)
    .bind(s.target.as_ref().map(Json))
    .bind(Json(&s.sync_tags))
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, external_id: &str) -> Result<Option<Sequence>> {
    let row: Option<SequenceRow> =
        sqlx::query_as(&format!("select {COLUMNS} from sequences where workspace_id = $1 and external_id = $2"))
            .bind(ws.as_str())
            .bind(external_id)
            .fetch_optional(c)
            .await?;
    row.map(Sequence::try_from).transpose()
}

/// The ids go as one array, so the statement is prepared once for any number of them.
pub(crate) async fn get_many(c: &mut PgConnection, ws: &WorkspaceId, external_ids: &[&str]) -> Result<Vec<Sequence>> {
    let rows: Vec<SequenceRow> = sqlx::query_as(&format!(
        "select {COLUMNS} from sequences where workspace_id = $1 and external_id in (select unnest($2::text[]))"
    ))
    .bind(ws.as_str())
    .bind(external_ids)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Sequence::try_from).collect()
}

pub(crate) async fn owners_of_contact(c: &mut PgConnection, ws: &WorkspaceId, contact_id: &str) -> Result<Vec<UserId>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "select distinct s.owner_id from enrollments e
         join sequences s on s.workspace_id = e.workspace_id and s.external_id = e.sequence
         where e.workspace_id = $1 and e.contact_id = $2 order by s.owner_id",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(UserId::from_stored).collect())
}
