//! Deleting rows past their retention on PostgreSQL.

use super::types::ts;
use crate::Result;
use crate::retention::Old;
use sqlx::PgConnection;

/// What keeps an old event (`e`): an unfinished job that carries out one of its decisions on its
/// own (found by `jobs_carrying_events`), or a decision of it (found by `decisions_by_event`)
/// after its contact's carry mark.
const NEEDED: &str = "exists (select 1 from jobs j where j.kind = 'sync_event_v1' and j.state <> 'done'
                               and j.workspace_id = e.workspace_id and (j.payload ->> 'event_id') = e.id)
     or exists (select 1 from decisions d where d.event_id = e.id and d.workspace_id = e.workspace_id
                  and d.action <> 'skip'
                  and d.id > coalesce((select k.carried_through from carry_marks k
                                       where k.connection_id = d.connection_id and k.contact_id = d.contact_id), 0))";

/// The id of the first sync log entry made at or after `at`.
pub(crate) async fn first_log_since(c: &mut PgConnection, at: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select id from sync_log where at >= $1 order by id limit 1")
        .bind(ts(at))
        .fetch_optional(c)
        .await?)
}

/// No bound: PostgreSQL finds old events by `events_by_received_at`.
pub(crate) async fn first_event_since(_c: &mut PgConnection, _at: i64) -> Result<Option<i64>> {
    Ok(None)
}

/// Deletes up to `slice` rows of `old`, oldest first; returns how many (events, for events).
pub(crate) async fn slice(c: &mut PgConnection, old: Old, slice: i64) -> Result<u64> {
    let done = match old {
        Old::Log { below, before } => {
            sqlx::query(
                "delete from sync_log where id in (select id from sync_log where id < $1 and at < $2
                                                   order by id limit $3)",
            )
            .bind(below)
            .bind(ts(before))
            .bind(slice)
            .execute(c)
            .await?
        }
        Old::Events { before, .. } => return events(c, before, slice).await,
        Old::WebhooksIn { before } => {
            sqlx::query(
                "delete from webhook_deliveries where (connection_id, delivery_key) in (
                     select connection_id, delivery_key from webhook_deliveries
                     where received_at < $1 order by received_at limit $2)",
            )
            .bind(ts(before))
            .bind(slice)
            .execute(c)
            .await?
        }
        Old::WebhooksOut { before } => {
            // `state <> 'pending'` as the partial index `webhook_out_deliveries_ended` spells it.
            sqlx::query(
                "delete from webhook_out_deliveries where id in (
                     select id from webhook_out_deliveries
                     where state <> 'pending' and coalesce(last_attempt_at, created_at) < $1
                     order by coalesce(last_attempt_at, created_at) limit $2)",
            )
            .bind(ts(before))
            .bind(slice)
            .execute(c)
            .await?
        }
    };
    Ok(done.rows_affected())
}

/// The slice's events are chosen once, then their decisions and they are deleted by key.
async fn events(c: &mut PgConnection, before: i64, slice: i64) -> Result<u64> {
    let sql = format!(
        "select e.workspace_id, e.id from events e where e.received_at < $1 and not ({NEEDED})
         order by e.received_at limit $2"
    );
    let keys: Vec<(String, String)> = sqlx::query_as(&sql).bind(ts(before)).bind(slice).fetch_all(&mut *c).await?;
    if keys.is_empty() {
        return Ok(0);
    }
    let (workspaces, ids): (Vec<String>, Vec<String>) = keys.into_iter().unzip();
    sqlx::query(
        "delete from decisions d using unnest($1::text[], $2::text[]) as t(workspace_id, id)
         where d.event_id = t.id and d.workspace_id = t.workspace_id",
    )
    .bind(&workspaces)
    .bind(&ids)
    .execute(&mut *c)
    .await?;
    let done = sqlx::query(
        "delete from events e using unnest($1::text[], $2::text[]) as t(workspace_id, id)
         where e.workspace_id = t.workspace_id and e.id = t.id",
    )
    .bind(&workspaces)
    .bind(&ids)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected())
}
