//! Sequences as the outreach app names them, with their sync indicators.

use crate::rows::{self, Params};
use crate::{Conn, Result, StoreError, error::json_col, now_ms};
use hiresync_core::{UserId, WorkspaceId};
use serde_json::Value;

/// A sequence (campaign) of the outreach app.
#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    /// The app's id for it.
    pub external_id: String,
    /// Display name.
    pub name: String,
    /// Whose connections and settings decide where its contacts sync.
    pub owner_id: UserId,
    /// "Sync Disabled" (SPEC S2).
    pub sync_disabled: bool,
    /// "Custom Sync" target with its `connection_id` (SPEC S4).
    pub target: Option<Value>,
    /// Tags pushed with every person synced from it (SPEC S3).
    pub sync_tags: Vec<String>,
}

impl Sequence {
    /// The indicators the outreach app shows (SPEC L3).
    pub fn indicators(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.sync_disabled {
            v.push("sync_disabled");
        }
        if self.target.is_some() {
            v.push("custom_sync");
        }
        v
    }
}

#[derive(sqlx::FromRow)]
struct SequenceRow {
    external_id: String,
    name: String,
    owner_id: String,
    sync_disabled: i64,
    target: Option<String>,
    sync_tags: String,
}

impl TryFrom<SequenceRow> for Sequence {
    type Error = StoreError;
    fn try_from(r: SequenceRow) -> Result<Self> {
        Ok(Sequence {
            external_id: r.external_id,
            name: r.name,
            owner_id: UserId::from_stored(r.owner_id),
            sync_disabled: r.sync_disabled != 0,
            target: r.target.map(|t| json_col("sequences.target", &t)).transpose()?,
            sync_tags: json_col("sequences.sync_tags", &r.sync_tags)?,
        })
    }
}

/// Inserts or replaces a sequence; true when it was new.
pub async fn upsert(c: &mut Conn, workspace: &WorkspaceId, s: &Sequence) -> Result<bool> {
    let now = now_ms();
    let existed = get(&mut *c, workspace, &s.external_id).await?.is_some();
    sqlx::query(
        "insert into sequences (workspace_id, external_id, name, owner_id, sync_disabled, target, sync_tags, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         on conflict (workspace_id, external_id) do update set name = excluded.name, owner_id = excluded.owner_id,
           sync_disabled = excluded.sync_disabled, target = excluded.target, sync_tags = excluded.sync_tags,
           updated_at = excluded.updated_at",
    )
    .bind(workspace.as_str())
    .bind(&s.external_id)
    .bind(&s.name)
    .bind(s.owner_id.as_str())
    .bind(i64::from(s.sync_disabled))
    .bind(s.target.as_ref().map(Value::to_string))
    .bind(Value::from(s.sync_tags.clone()).to_string())
    .bind(now)
    .execute(c)
    .await?;
    Ok(!existed)
}

/// A sequence of this workspace.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, external_id: &str) -> Result<Option<Sequence>> {
    let row: Option<SequenceRow> = sqlx::query_as(
        "select external_id, name, owner_id, sync_disabled, target, sync_tags from sequences
         where workspace_id = $1 and external_id = $2",
    )
    .bind(workspace.as_str())
    .bind(external_id)
    .fetch_optional(c)
    .await?;
    row.map(Sequence::try_from).transpose()
}

/// The sequences of this workspace with these ids; ids not stored are left out.
pub async fn get_many(c: &mut Conn, workspace: &WorkspaceId, external_ids: &[&str]) -> Result<Vec<Sequence>> {
    let (mut found, p) = (Vec::with_capacity(external_ids.len()), Params::of(c));
    for chunk in external_ids.chunks(p.keys_per_list()) {
        let sql = format!(
            "select external_id, name, owner_id, sync_disabled, target, sync_tags from sequences
             where workspace_id = {} and external_id in ({})",
            p.list(1, 1),
            p.keys(chunk.len(), 2)
        );
        let q = rows::bind_keys(rows::by_keys::<SequenceRow>(&sql, p).bind(workspace.as_str()), p, chunk);
        for row in q.fetch_all(&mut *c).await? {
            found.push(row.try_into()?);
        }
    }
    Ok(found)
}

/// The owners of the sequences a contact is enrolled in, each once: whose connections it syncs to.
pub async fn owners_of_contact(c: &mut Conn, workspace: &WorkspaceId, contact: &str) -> Result<Vec<UserId>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select distinct s.owner_id from enrollments e
         join sequences s on s.workspace_id = e.workspace_id and s.external_id = e.sequence
         where e.workspace_id = $1 and e.contact = $2 order by s.owner_id",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id,)| UserId::from_stored(id)).collect())
}
