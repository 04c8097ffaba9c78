//! Resyncs and their items on SQLite.

use super::lists::{self, CHUNK};
use crate::Result;
use crate::resyncs::{NewResync, Resync, ResyncItem};
use hiresync_core::{ConnectionId, ResyncId, WorkspaceId};
use sqlx::SqliteConnection;

pub(crate) async fn insert(c: &mut SqliteConnection, r: &NewResync<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into resyncs (id, workspace_id, connection_id, sequence, created_by, created_at, listed)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id.as_str())
    .bind(r.workspace_id.as_str())
    .bind(r.connection_id.as_str())
    .bind(r.sequence)
    .bind(r.created_by.as_str())
    .bind(now)
    .bind(r.listed)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn insert_items(
    c: &mut SqliteConnection,
    resync: &ResyncId,
    items: &[(String, &str, Option<String>)],
    now: i64,
) -> Result<()> {
    for chunk in items.chunks(CHUNK) {
        let sql = format!(
            "insert into resync_items (resync_id, contact_id, outcome, reason, updated_at) values {}",
            lists::values(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for (contact_id, outcome, reason) in chunk {
            q = q.bind(resync.as_str()).bind(contact_id).bind(*outcome).bind(reason.as_deref()).bind(now);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

pub(crate) async fn finish_item(
    c: &mut SqliteConnection,
    resync: &str,
    contact_id: &str,
    outcome: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "update resync_items set outcome = $3, reason = $4, updated_at = $5 where resync_id = $1 and contact_id = $2",
    )
    .bind(resync)
    .bind(contact_id)
    .bind(outcome)
    .bind(reason)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn item_outcome(c: &mut SqliteConnection, resync: &str, contact_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("select outcome from resync_items where resync_id = $1 and contact_id = $2")
        .bind(resync)
        .bind(contact_id)
        .fetch_optional(c)
        .await?)
}

/// See [`crate::resyncs::contacts_matching`].
pub(crate) async fn contacts_matching(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    connection: &ConnectionId,
    filter: crate::resyncs::ContactFilter,
) -> Result<Vec<String>> {
    use crate::resyncs::ContactFilter;
    let q = match filter {
        ContactFilter::NeverSynced => sqlx::query_scalar(
            "select k.external_id from contacts k left join contact_syncs s
               on s.connection_id = $2 and s.contact_id = k.external_id
             where k.workspace_id = $1 and s.person_id is null order by k.external_id",
        ),
        ContactFilter::Failed => sqlx::query_scalar(
            "select contact_id from contact_syncs
             where workspace_id = $1 and connection_id = $2 and state = 'failed' and person_id is null
             order by contact_id",
        ),
        ContactFilter::SyncedBefore(_) => sqlx::query_scalar(
            "select contact_id from contact_syncs
             where workspace_id = $1 and connection_id = $2 and person_id is not null and synced_at < $3
             order by contact_id",
        ),
    };
    let q = q.bind(ws.as_str()).bind(connection.as_str());
    let q = match filter {
        ContactFilter::SyncedBefore(before) => q.bind(before),
        _ => q,
    };
    Ok(q.fetch_all(c).await?)
}

/// The resync without its counts.
/// A resync's row: id, connection, sequence, created, listed.
type ResyncRow = (String, String, Option<String>, i64, bool);

pub(crate) async fn get(c: &mut SqliteConnection, ws: &WorkspaceId, id: &str) -> Result<Option<Resync>> {
    let row: Option<ResyncRow> = sqlx::query_as(
        "select id, connection_id, sequence, created_at, listed from resyncs where workspace_id = $1 and id = $2",
    )
    .bind(ws.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(id, connection_id, sequence, created_at, listed)| {
        Resync::new(id, connection_id, sequence, created_at, listed)
    }))
}

/// How many of a resync's items have each outcome.
pub(crate) async fn counts(c: &mut SqliteConnection, id: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("select outcome, count(*) from resync_items where resync_id = $1 group by outcome")
        .bind(id)
        .fetch_all(c)
        .await?)
}

pub(crate) async fn items(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<ResyncItem>> {
    Ok(sqlx::query_as(
        "select i.contact_id, i.outcome, i.reason from resync_items i join resyncs r on r.id = i.resync_id
         where r.workspace_id = $1 and r.id = $2 and i.contact_id > $3 order by i.contact_id limit $4",
    )
    .bind(ws.as_str())
    .bind(id)
    .bind(after)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

pub(crate) async fn finish_if_done(c: &mut SqliteConnection, id: &str, now: i64) -> Result<bool> {
    let done: Option<String> = sqlx::query_scalar(
        "update resyncs set finished_at = $2 where id = $1 and finished_at is null and listed
           and not exists (select 1 from resync_items where resync_id = $1 and outcome in ('queued', 'running'))
         returning id",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(done.is_some())
}

pub(crate) async fn mark_listed(c: &mut SqliteConnection, id: &str) -> Result<()> {
    sqlx::query("update resyncs set listed = true where id = $1").bind(id).execute(c).await?;
    Ok(())
}

pub(crate) async fn in_flight(c: &mut SqliteConnection, ws: &WorkspaceId) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from resyncs where workspace_id = $1 and finished_at is null")
        .bind(ws.as_str())
        .fetch_one(c)
        .await?)
}
