//! Deleting rows past their retention on SQLite.

use crate::Result;
use crate::retention::Old;
use sqlx::SqliteConnection;

/// What keeps an old event (`e`): an unfinished job that carries out one of its decisions on its
/// own (found by `jobs_carrying_events`), or a decision of it after its contact's carry mark.
/// The statement reads the same on PostgreSQL but for the job payload's event id.
const NEEDED: &str = "exists (select 1 from jobs j where j.kind = 'sync_event_v1' and j.state <> 'done'
                               and j.workspace_id = e.workspace_id and json_extract(j.payload, '$.event_id') = e.id)
     or exists (select 1 from decisions d where d.workspace_id = e.workspace_id and d.event_id = e.id
                  and d.action <> 'skip'
                  and d.id > coalesce((select k.carried_through from carry_marks k
                                       where k.connection_id = d.connection_id and k.contact_id = d.contact_id), 0))";

/// The id of the first sync log entry made at or after `at`.
pub(crate) async fn first_log_since(c: &mut SqliteConnection, at: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select id from sync_log where at >= $1 order by id limit 1")
        .bind(at)
        .fetch_optional(c)
        .await?)
}

/// The rowid of the first event received at or after `at`: rowids rise as events are stored.
pub(crate) async fn first_event_since(c: &mut SqliteConnection, at: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select rowid from events where received_at >= $1 order by rowid limit 1")
        .bind(at)
        .fetch_optional(c)
        .await?)
}

/// Deletes up to `slice` rows of `old`, oldest first; returns how many (events, for events).
pub(crate) async fn slice(c: &mut SqliteConnection, old: Old, slice: i64) -> Result<u64> {
    let done = match old {
        Old::Log { below, before } => {
            sqlx::query(
                "delete from sync_log where id in (select id from sync_log where id < $1 and at < $2
                                                   order by id limit $3)",
            )
            .bind(below)
            .bind(before)
            .bind(slice)
            .execute(c)
            .await?
        }
        Old::Events { below, before } => return events(c, below.unwrap_or(i64::MAX), before, slice).await,
        Old::WebhooksIn { before } => {
            sqlx::query(
                "delete from webhook_deliveries where rowid in (select rowid from webhook_deliveries
                                                                where received_at < $1 order by received_at limit $2)",
            )
            .bind(before)
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
            .bind(before)
            .bind(slice)
            .execute(c)
            .await?
        }
    };
    Ok(done.rows_affected())
}

/// The slice's events are chosen once and handed to both deletes as a JSON array of rowids.
async fn events(c: &mut SqliteConnection, below: i64, before: i64, slice: i64) -> Result<u64> {
    let sql = format!(
        "select e.rowid from events e where e.rowid < $1 and e.received_at < $2 and not ({NEEDED})
         order by e.rowid limit $3"
    );
    let rowids: Vec<i64> = sqlx::query_scalar(&sql).bind(below).bind(before).bind(slice).fetch_all(&mut *c).await?;
    if rowids.is_empty() {
        return Ok(0);
    }
    let list = serde_json::Value::from(rowids).to_string();
    sqlx::query(
        "delete from decisions where (workspace_id, event_id) in
             (select workspace_id, id from events where rowid in (select value from json_each($1)))",
    )
    .bind(&list)
    .execute(&mut *c)
    .await?;
    let done = sqlx::query("delete from events where rowid in (select value from json_each($1))")
        .bind(&list)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected())
}
