//! Resyncs (SPEC R1): a set of contacts to sync to one connection, and each
//! contact's outcome. Counts are read from the items, which the completing
//! job (or the dead-letter path) writes in its own transaction.

use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, now_ms};
use hiresync_core::{ConnectionId, ResyncId, UserId, WorkspaceId};

/// An item whose job has not finished yet.
pub const QUEUED: &str = "queued";
/// The contact's job has begun linking it: a retry carries on rather than calling it already synced.
pub const RUNNING: &str = "running";
/// The contact was synced and its activity backfilled.
pub const SYNCED: &str = "synced";
/// The contact was not synced (already synced, overridden, ...); see the reason.
pub const SKIPPED: &str = "skipped";
/// The contact's job died; see the reason.
pub const FAILED: &str = "failed";

/// A resync to create.
#[derive(Clone, Debug)]
pub struct NewResync<'a> {
    /// Its id.
    pub id: &'a ResyncId,
    /// Its workspace.
    pub workspace_id: &'a WorkspaceId,
    /// The connection contacts are synced to.
    pub connection_id: &'a ConnectionId,
    /// The sequence it was asked for, if it was.
    pub sequence: Option<&'a str>,
    /// Who asked.
    pub created_by: &'a UserId,
}

/// A resync with its counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Resync {
    /// Its id.
    pub id: String,
    /// The connection contacts are synced to.
    pub connection_id: String,
    /// The sequence it was asked for, if it was.
    pub sequence: Option<String>,
    /// When it was asked for (epoch ms).
    pub created_at: i64,
    /// Contacts in it.
    pub total: i64,
    /// Contacts synced.
    pub synced: i64,
    /// Contacts skipped.
    pub skipped: i64,
    /// Contacts whose job died.
    pub failed: i64,
}

impl Resync {
    /// Contacts finished either way.
    pub fn done(&self) -> i64 {
        self.synced + self.skipped + self.failed
    }
}

/// One contact of a resync.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ResyncItem {
    /// The contact's external id.
    pub contact: String,
    /// queued / running / synced / skipped / failed.
    pub outcome: String,
    /// Why skipped or failed.
    pub reason: Option<String>,
}

/// Stores a resync and its items (each `(contact, outcome, reason)`).
pub async fn insert(c: &mut Conn, r: &NewResync<'_>, items: &[(String, &str, Option<String>)]) -> Result<()> {
    sqlx::query(
        "insert into resyncs (id, workspace_id, connection_id, sequence, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.id.as_str())
    .bind(r.workspace_id.as_str())
    .bind(r.connection_id.as_str())
    .bind(r.sequence)
    .bind(r.created_by.as_str())
    .bind(now_ms())
    .execute(&mut *c)
    .await?;
    insert_items(c, r.id, items).await
}

/// Adds items (each `(contact, outcome, reason)`) to a stored resync.
pub async fn insert_items(c: &mut Conn, resync: &ResyncId, items: &[(String, &str, Option<String>)]) -> Result<()> {
    let (now, p) = (now_ms(), Params::of(c));
    for chunk in items.chunks(CHUNK) {
        let sql = format!(
            "insert into resync_items (resync_id, contact, outcome, reason, updated_at) values {}",
            p.values(chunk.len(), 5, 1)
        );
        let mut q = rows::listed(&sql, p);
        for (contact, outcome, reason) in chunk {
            q = q.bind(resync.as_str()).bind(contact).bind(*outcome).bind(reason.as_deref()).bind(now);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Records a contact's outcome; a later outcome (a retried dead job) replaces an earlier one.
pub async fn finish_item(c: &mut Conn, resync: &str, contact: &str, outcome: &str, reason: Option<&str>) -> Result<()> {
    sqlx::query(
        "update resync_items set outcome = $3, reason = $4, updated_at = $5 where resync_id = $1 and contact = $2",
    )
    .bind(resync)
    .bind(contact)
    .bind(outcome)
    .bind(reason.map(|r| r.chars().take(2000).collect::<String>()))
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(())
}

/// A contact's outcome in a resync, if the contact is in it.
pub async fn item_outcome(c: &mut Conn, resync: &str, contact: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("select outcome from resync_items where resync_id = $1 and contact = $2")
            .bind(resync)
            .bind(contact)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(o,)| o))
}

/// A resync of this workspace with its counts.
pub async fn get(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<Option<Resync>> {
    let row: Option<(String, String, Option<String>, i64)> = sqlx::query_as(
        "select id, connection_id, sequence, created_at from resyncs where workspace_id = $1 and id = $2",
    )
    .bind(workspace.as_str())
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    let Some((id, connection_id, sequence, created_at)) = row else { return Ok(None) };
    let counts: Vec<(String, i64)> =
        sqlx::query_as("select outcome, count(*) from resync_items where resync_id = $1 group by outcome")
            .bind(&id)
            .fetch_all(c)
            .await?;
    let n = |o: &str| counts.iter().find(|(k, _)| k == o).map_or(0, |(_, n)| *n);
    Ok(Some(Resync {
        total: counts.iter().map(|(_, n)| n).sum(),
        synced: n(SYNCED),
        skipped: n(SKIPPED),
        failed: n(FAILED),
        id,
        connection_id,
        sequence,
        created_at,
    }))
}

/// The contacts of a resync of this workspace, in contact order.
pub async fn items(c: &mut Conn, workspace: &WorkspaceId, id: &str) -> Result<Vec<ResyncItem>> {
    Ok(sqlx::query_as(
        "select i.contact, i.outcome, i.reason from resync_items i join resyncs r on r.id = i.resync_id
         where r.workspace_id = $1 and r.id = $2 order by i.contact",
    )
    .bind(workspace.as_str())
    .bind(id)
    .fetch_all(c)
    .await?)
}
