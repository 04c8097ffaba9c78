//! Resyncs and their items on PostgreSQL.

use super::types::{ms, ts};
use crate::Result;
use crate::resyncs::{NewResync, Resync, ResyncItem};
use chrono::{DateTime, Utc};
use hiresync_core::{ConnectionId, ResyncId, WorkspaceId};
use sqlx::PgConnection;

pub(crate) async fn insert(c: &mut PgConnection, r: &NewResync<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into resyncs (id, workspace_id, connection_id, sequence, created_by, created_at, listed)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id.as_str())
    .bind(r.workspace_id.as_str())
    .bind(r.connection_id.as_str())
    .bind(r.sequence)
    .bind(r.created_by.as_str())
    .bind(ts(now))
    .bind(r.listed)
    .execute(c)
    .await?;
    Ok(())
}

/// One statement of a column array each, whose text is the same for any number of items.
pub(crate) async fn insert_items(
    c: &mut PgConnection,
    resync: &ResyncId,
    items: &[(String, &str, Option<String>)],
    now: i64,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "insert into resync_items (resync_id, contact_id, outcome, reason, updated_at)
         select $1, t.*, $5 from unnest($2::text[], $3::text[], $4::text[]) as t",
    )
    .bind(resync.as_str())
    .bind(items.iter().map(|(k, _, _)| k.as_str()).collect::<Vec<_>>())
    .bind(items.iter().map(|(_, o, _)| *o).collect::<Vec<_>>())
    .bind(items.iter().map(|(_, _, r)| r.as_deref()).collect::<Vec<_>>())
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn finish_item(
    c: &mut PgConnection,
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
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn item_outcome(c: &mut PgConnection, resync: &str, contact_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("select outcome from resync_items where resync_id = $1 and contact_id = $2")
        .bind(resync)
        .bind(contact_id)
        .fetch_optional(c)
        .await?)
}

/// See [`crate::resyncs::contacts_matching`].
pub(crate) async fn contacts_matching(
    c: &mut PgConnection,
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
        ContactFilter::SyncedBefore(before) => q.bind(ts(before)),
        _ => q,
    };
    Ok(q.fetch_all(c).await?)
}

/// The resync without its counts.
/// A resync's row: id, connection, sequence, created, listed.
type ResyncRow = (String, String, Option<String>, DateTime<Utc>, bool);

pub(crate) async fn get(c: &mut PgConnection, ws: &WorkspaceId, id: &str) -> Result<Option<Resync>> {
    let row: Option<ResyncRow> = sqlx::query_as(
        "select id, connection_id, sequence, created_at, listed from resyncs where workspace_id = $1 and id = $2",
    )
    .bind(ws.as_str())
    .bind(id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(id, connection_id, sequence, created_at, listed)| {
        Resync::new(id, connection_id, sequence, ms(created_at), listed)
    }))
}

/// How many of a resync's items have each outcome.
pub(crate) async fn counts(c: &mut PgConnection, id: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("select outcome, count(*) from resync_items where resync_id = $1 group by outcome")
        .bind(id)
        .fetch_all(c)
        .await?)
}

pub(crate) async fn items(
    c: &mut PgConnection,
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

pub(crate) async fn finish_if_done(c: &mut PgConnection, id: &str, now: i64) -> Result<bool> {
    // The lock waits for another transaction recording this resync's items; the update after it
    // reads what that one committed (each statement sees the commits before it began).
    let open: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("select finished_at from resyncs where id = $1 for update")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
    if !matches!(open, Some(None)) {
        return Ok(false);
    }
    let done: Option<String> = sqlx::query_scalar(
        "update resyncs set finished_at = $2 where id = $1 and finished_at is null and listed
           and not exists (select 1 from resync_items where resync_id = $1 and outcome in ('queued', 'running'))
         returning id",
    )
    .bind(id)
    .bind(ts(now))
    .fetch_optional(c)
    .await?;
    Ok(done.is_some())
}

pub(crate) async fn mark_listed(c: &mut PgConnection, id: &str) -> Result<()> {
    sqlx::query("update resyncs set listed = true where id = $1").bind(id).execute(c).await?;
    Ok(())
}

pub(crate) async fn in_flight(c: &mut PgConnection, ws: &WorkspaceId) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from resyncs where workspace_id = $1 and finished_at is null")
        .bind(ws.as_str())
        .fetch_one(c)
        .await?)
}
