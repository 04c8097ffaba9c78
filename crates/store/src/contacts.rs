//! Contacts as the outreach app last described them.

use crate::arrays;
use crate::rows::{self, Params};
use crate::{Conn, Result, error::json_col, now_ms};
use hiresync_core::WorkspaceId;
use serde_json::Value;

/// A stored contact: the app's id and its last validated description.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredContact {
    /// The app's id for it.
    pub external_id: String,
    /// The contact as `PUT /v1/contacts/{id}` last gave it.
    pub data: Value,
    /// When it was first stored (epoch ms).
    pub created_at: i64,
}

/// Inserts or replaces a contact; true when it was new.
pub async fn upsert(c: &mut Conn, workspace: &WorkspaceId, external_id: &str, data: &Value) -> Result<bool> {
    let existed = get(&mut *c, workspace, external_id).await?.is_some();
    sqlx::query(
        "insert into contacts (workspace_id, external_id, data, sync_override, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (workspace_id, external_id) do update set data = excluded.data,
           sync_override = excluded.sync_override, updated_at = excluded.updated_at",
    )
    .bind(workspace.as_str())
    .bind(external_id)
    .bind(data.to_string())
    .bind(data.get("sync_override").and_then(Value::as_str))
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(!existed)
}

/// A contact of this workspace.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, external_id: &str) -> Result<Option<StoredContact>> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "select external_id, data, created_at from contacts where workspace_id = $1 and external_id = $2",
    )
    .bind(workspace.as_str())
    .bind(external_id)
    .fetch_optional(c)
    .await?;
    row.map(|(external_id, data, created_at)| {
        Ok(StoredContact { external_id, data: json_col("contacts.data", &data)?, created_at })
    })
    .transpose()
}

/// Which of these contacts are stored, each with its own `sync_override` (SPEC S3) as
/// stored, or none. A batch of events needs only that much of each contact, so it is kept in
/// a column of its own: carrying every contact's whole description out to parse it, or
/// parsing it inside the database, cost ingest more than the rest of the read.
pub async fn sync_overrides(
    c: &mut Conn,
    workspace: &WorkspaceId,
    external_ids: &[&str],
) -> Result<Vec<(String, Option<String>)>> {
    rows::of_workspace(c, "contacts", "external_id, sync_override", "external_id", workspace.as_str(), external_ids)
        .await
}

/// Makes every other transaction that locks any of these contacts wait until the caller's
/// ends, so two ingest batches naming one contact take turns: each reads the contact's
/// enrollments and sync states as the other left them, as if the batches had been posted one
/// after the other. Without it, concurrent replies on PostgreSQL each read "no reply yet" and
/// each wrote its note. SQLite needs nothing here: a write transaction holds the database's
/// one write lock from its start.
///
/// PostgreSQL locks one of [`LOCK_SLOTS`] advisory locks of the workspace per contact, by the
/// server's hash of the contact's id, in slot order, so two batches cannot deadlock. Locking the
/// contacts' rows instead wrote every row and its WAL record: 6.5 ms of a 1000-contact batch,
/// all of it while other batches on those contacts waited, against under 1 ms for the slots.
/// Two contacts sharing a slot only make their batches take turns needlessly.
pub async fn lock(c: &mut Conn, workspace: &WorkspaceId, external_ids: &[&str]) -> Result<()> {
    if Params::of(c) == Params::Anonymous || external_ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "select pg_advisory_xact_lock(hashtext($1), slot)
         from (select distinct hashtext(id) & $2 as slot from unnest($3::text[]) as id order by slot) as slots",
    )
    .bind(workspace.as_str())
    .bind(LOCK_SLOTS - 1)
    .bind(arrays::text(external_ids.iter().map(|id| Some(*id))))
    .execute(c)
    .await?;
    Ok(())
}

/// Advisory locks per workspace that [`lock`] spreads contacts over, a power of two. A batch
/// holds at most this many, so even every connection of a default server (100, each with room
/// for 64 locks) locking at once stays within PostgreSQL's shared lock table.
pub const LOCK_SLOTS: i32 = 64;
