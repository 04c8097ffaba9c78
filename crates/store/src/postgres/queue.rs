//! The job queue on PostgreSQL: claims skip the jobs other workers hold locked,
//! and lists of jobs or keys go as arrays, so every statement's text is one
//! and each connection prepares it once.

use super::types::{ms_opt, ts, ts_opt};
use crate::Result;
use crate::queue::{Claimable, ClaimedJob, JobInfo, Lease, NewJob, Place};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashSet;

/// Takes `n` turns in a workspace's lane at `priority`, returning the first. A lane goes on from
/// where it stopped, or from the head of the queue if that is later (an idle lane's next job
/// waits behind no one's backlog); with no job waiting, from the furthest any lane has gone.
/// The lane's row lock orders one workspace's enqueues; other workspaces' do not wait.
pub(crate) async fn take_turns(c: &mut PgConnection, workspace: &str, priority: i64, n: i64) -> Result<i64> {
    let last: i64 = sqlx::query_scalar(
        "insert into queue_lanes (workspace_id, priority, turn)
         values ($1, $2, coalesce((select turn from jobs where state in ('queued', 'running') and priority = $2
                                   order by priority desc, turn, id limit 1),
                                  (select max(turn) from queue_lanes where priority = $2), 0) + $3)
         on conflict (workspace_id, priority) do update set turn = greatest(queue_lanes.turn + $3, excluded.turn)
         returning turn",
    )
    .bind(workspace)
    .bind(priority)
    .bind(n)
    .fetch_one(c)
    .await?;
    Ok(last - n + 1)
}

pub(crate) async fn enqueue(c: &mut PgConnection, job: &NewJob, turn: i64, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "insert into jobs (workspace_id, connection_id, contact_id, ordering_key, kind, payload, priority, state,
                           attempts, max_attempts, run_at, created_at, updated_at, turn)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7, 'queued', 0, $8, $9, $10, $10, $11) returning id",
    )
    .bind(&job.workspace_id)
    .bind(job.connection_id.as_deref())
    .bind(job.contact_id.as_deref())
    .bind(&job.ordering_key)
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.priority)
    .bind(job.max_attempts)
    .bind(ts(job.run_at))
    .bind(ts(now))
    .bind(turn)
    .fetch_one(c)
    .await?)
}

pub(crate) async fn has_queued(c: &mut PgConnection, ordering_key: &str) -> Result<bool> {
    let row: Option<i64> =
        sqlx::query_scalar("select id from jobs where ordering_key = $1 and state in ('queued', 'held') limit 1")
            .bind(ordering_key)
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}

/// The jobs found are locked in key order, so two transactions lock the jobs they share in the
/// same order. Planned for the keys at hand (unprepared): a generic plan, once the queue held a
/// few thousand jobs, scanned where the keys at hand are looked up. The state list lets the
/// planner use the partial index on unfinished jobs' keys.
pub(crate) async fn queued_keys(c: &mut PgConnection, kind: &str, keys: &[&str]) -> Result<HashSet<String>> {
    let found: Vec<String> = sqlx::query_scalar(
        "select ordering_key from jobs where kind = $1 and state in ('queued', 'running', 'held') and state <> 'running'
         and ordering_key in (select unnest($2::text[])) order by ordering_key for update",
    )
    .persistent(false)
    .bind(kind)
    .bind(keys)
    .fetch_all(c)
    .await?;
    Ok(found.into_iter().collect())
}

pub(crate) async fn progressed(c: &mut PgConnection, id: i64, token: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set attempts = 1, updated_at = $3 where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn attempts(c: &mut PgConnection, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("select attempts from jobs where id = $1").bind(id).fetch_one(c).await?)
}

pub(crate) async fn requeue(c: &mut PgConnection, id: i64, token: &str, error: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'queued', attempts = 0, run_at = $4, last_error = $3, lease_token = null,
           lease_owner = null, lease_expires_at = null, updated_at = $4
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes a just-enqueued job dead after `attempts`, failing with `error`.
pub(crate) async fn mark_dead(c: &mut PgConnection, id: i64, attempts: i64, error: &str) -> Result<()> {
    sqlx::query(
        "update jobs set state = 'dead', attempts = $2, last_error = $3, finished_at = updated_at where id = $1",
    )
    .bind(id)
    .bind(attempts)
    .bind(error)
    .execute(c)
    .await?;
    Ok(())
}

/// One statement of a column array each, whose text is the same for any number of jobs; the
/// rows go in in the arrays' order, so ids rise in slice order.
pub(crate) async fn enqueue_many(c: &mut PgConnection, jobs: &[NewJob], turns: &[i64], now: i64) -> Result<()> {
    sqlx::query(
        "insert into jobs (workspace_id, connection_id, contact_id, ordering_key, kind, payload, priority, state,
                           attempts, max_attempts, run_at, created_at, updated_at, turn)
         select t.workspace_id, t.connection_id, t.contact_id, t.ordering_key, t.kind, t.payload::jsonb, t.priority,
                'queued', 0, t.max_attempts, t.run_at, $10, $10, t.turn
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                     $8::bigint[], $9::timestamptz[], $11::bigint[])
           as t(workspace_id, connection_id, contact_id, ordering_key, kind, payload, priority, max_attempts, run_at,
                turn)",
    )
    .bind(jobs.iter().map(|j| j.workspace_id.as_str()).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.connection_id.as_deref()).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.contact_id.as_deref()).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.ordering_key.as_str()).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.kind.as_str()).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.payload.as_str()).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.priority).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| j.max_attempts).collect::<Vec<_>>())
    .bind(jobs.iter().map(|j| ts(j.run_at)).collect::<Vec<_>>())
    .bind(ts(now))
    .bind(turns)
    .execute(c)
    .await?;
    Ok(())
}

/// How many jobs each connection runs now under a live lease.
pub(crate) async fn running_by_connection(c: &mut PgConnection, now: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "select connection_id, count(*) from jobs
         where state = 'running' and lease_expires_at >= $1 and connection_id is not null group by connection_id",
    )
    .bind(ts(now))
    .fetch_all(c)
    .await?)
}

/// Up to `limit` claimable jobs in claim order, after the place `after` (priority, turn, id)
/// when given, locked to the claim's transaction (skipping those other workers hold): queued
/// and due, or running with an expired lease (its worker died); and no earlier job of the same
/// key unfinished. Dead jobs count as finished so one poisoned job cannot wedge a contact
/// forever. The explicit state list lets the planner use the partial claim index instead of
/// scanning every job; the limit bounds how much of it one look reads, however many jobs of
/// full connections lie ahead (the caller skips those).
///
/// A queue filled faster than autovacuum analyzes it looks nearly empty to the planner, which
/// then sorts every queued job on each claim instead of walking the claim index in order; the
/// index is always the right plan, so sorts are off for the claim (for the whole of a
/// [`crate::Store::begin_turn`] transaction, `sorts_off`, or else around it).
pub(crate) async fn claimable(
    c: &mut PgConnection,
    now: i64,
    limit: i64,
    after: Option<Place>,
    sorts_off: bool,
) -> Result<Vec<Claimable>> {
    if !sorts_off {
        sqlx::query("set local enable_sort = off").execute(&mut *c).await?;
    }
    let (p, t, i) = after.map_or((None, None, None), |(p, t, i)| (Some(p), Some(t), Some(i)));
    let jobs = sqlx::query_as(
        "select j.id, j.connection_id, j.priority, j.turn from jobs j
         where j.state in ('queued', 'running')
           and ((j.state = 'queued' and j.run_at <= $1) or (j.state = 'running' and j.lease_expires_at < $1))
           and ($3::bigint is null or j.priority < $3
                or (j.priority = $3 and (j.turn > $4::bigint or (j.turn = $4 and j.id > $5::bigint))))
           and not exists (select 1 from jobs e where e.ordering_key = j.ordering_key and e.id < j.id
                           and e.state in ('queued', 'running', 'held'))
         order by j.priority desc, j.turn, j.id
         limit $2
         for update of j skip locked",
    )
    .bind(ts(now))
    .bind(limit)
    .bind(p)
    .bind(t)
    .bind(i)
    .fetch_all(&mut *c)
    .await?;
    if !sorts_off {
        sqlx::query("set local enable_sort = on").execute(&mut *c).await?;
    }
    Ok(jobs)
}

/// Leases the jobs in `ids`, locked by [`claimable`], to the claiming worker.
pub(crate) async fn take(c: &mut PgConnection, lease: &Lease<'_>, ids: &[i64]) -> Result<Vec<ClaimedJob>> {
    Ok(sqlx::query_as(
        "update jobs set state = 'running', attempts = attempts + 1,
           lease_token = $1 || '.' || cast(id as text), lease_owner = $2, lease_expires_at = $3, updated_at = $4
         where id = any($5)
         returning id, workspace_id, connection_id, contact_id, kind, payload::text as payload, attempts,
                   max_attempts, waits, lease_token",
    )
    .bind(lease.token)
    .bind(lease.worker)
    .bind(ts(lease.expires_at))
    .bind(ts(lease.now))
    .bind(ids)
    .fetch_all(c)
    .await?)
}

pub(crate) async fn fence(c: &mut PgConnection, id: i64, token: &str) -> Result<bool> {
    let held: Option<i64> =
        sqlx::query_scalar("select id from jobs where id = $1 and lease_token = $2 and state = 'running' for update")
            .bind(id)
            .bind(token)
            .fetch_optional(c)
            .await?;
    Ok(held.is_some())
}

pub(crate) async fn heartbeat_many(c: &mut PgConnection, jobs: &[(i64, &str)], expires_at: i64) -> Result<Vec<i64>> {
    update_leased(
        c,
        "update jobs set lease_expires_at = $1 where state = 'running' and id = any($2) and lease_token = any($3)
         returning id",
        jobs,
        expires_at,
    )
    .await
}

pub(crate) async fn heartbeat(c: &mut PgConnection, id: i64, token: &str, expires_at: i64) -> Result<bool> {
    let done =
        sqlx::query("update jobs set lease_expires_at = $3 where id = $1 and lease_token = $2 and state = 'running'")
            .bind(id)
            .bind(token)
            .bind(ts(expires_at))
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// No retry time: the job dies.
pub(crate) async fn fail(
    c: &mut PgConnection,
    id: i64,
    token: &str,
    error: &str,
    retry_at: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set
           state = case when $4::timestamptz is not null and attempts < max_attempts then 'queued' else 'dead' end,
           run_at = coalesce($4, run_at),
           finished_at = case when $4::timestamptz is not null and attempts < max_attempts then null else $5 end,
           last_error = $3, lease_token = null, lease_owner = null, lease_expires_at = null, updated_at = $5
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(ts_opt(retry_at))
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn release(c: &mut PgConnection, jobs: &[(i64, &str)], now: i64) -> Result<Vec<i64>> {
    update_leased(
        c,
        "update jobs set state = 'queued', attempts = attempts - 1, lease_token = null, lease_owner = null,
           lease_expires_at = null, updated_at = $1
         where state = 'running' and id = any($2) and lease_token = any($3) returning id",
        jobs,
        now,
    )
    .await
}

pub(crate) async fn complete_many(c: &mut PgConnection, jobs: &[(i64, &str)], now: i64) -> Result<Vec<i64>> {
    update_leased(
        c,
        "update jobs set state = 'done', lease_token = null, lease_expires_at = null, last_error = null,
           finished_at = $1, updated_at = $1
         where state = 'running' and id = any($2) and lease_token = any($3) returning id",
        jobs,
        now,
    )
    .await
}

/// Runs `sql` over the jobs still running under these leases, their ids and tokens as two
/// arrays; returns the ids updated. A token is `<random>.<job id>`, so it matches only its own
/// job: the two arrays pair up without a row-value comparison, and the ids keep the primary key
/// in use.
async fn update_leased(c: &mut PgConnection, sql: &str, jobs: &[(i64, &str)], now: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(sql)
        .bind(ts(now))
        .bind(jobs.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(jobs.iter().map(|(_, token)| *token).collect::<Vec<_>>())
        .fetch_all(c)
        .await?)
}

pub(crate) async fn retry_job(c: &mut PgConnection, workspace: &str, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'queued', attempts = 0, run_at = $3, finished_at = null, updated_at = $3
         where workspace_id = $1 and id = $2 and state = 'dead'",
    )
    .bind(workspace)
    .bind(id)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn list_jobs(c: &mut PgConnection, workspace: &str, filter: &str, limit: i64) -> Result<Vec<JobInfo>> {
    Ok(sqlx::query_as(&format!(
        "select id, kind, state, attempts, last_error, connection_id, contact_id from jobs
         where workspace_id = $1 {filter} order by id desc limit $2"
    ))
    .bind(workspace)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// One job of the workspace.
pub(crate) async fn job(c: &mut PgConnection, workspace: &str, id: i64) -> Result<Option<JobInfo>> {
    Ok(sqlx::query_as(
        "select id, kind, state, attempts, last_error, connection_id, contact_id from jobs
         where workspace_id = $1 and id = $2",
    )
    .bind(workspace)
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub(crate) async fn job_counts(c: &mut PgConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("select state, count(*) from jobs group by state order by state").fetch_all(c).await?)
}

/// When the longest-waiting due job became due (epoch ms), if any is queued.
pub(crate) async fn oldest_due(c: &mut PgConnection, now: i64) -> Result<Option<i64>> {
    let at: Option<DateTime<Utc>> =
        sqlx::query_scalar("select min(run_at) from jobs where state = 'queued' and run_at <= $1")
            .bind(ts(now))
            .fetch_one(c)
            .await?;
    Ok(ms_opt(at))
}

pub(crate) async fn busy(c: &mut PgConnection) -> Result<bool> {
    let row: Option<i64> = sqlx::query_scalar("select id from jobs where state in ('queued', 'running') limit 1")
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}

pub(crate) async fn last_finished(c: &mut PgConnection) -> Result<Option<i64>> {
    let at: Option<DateTime<Utc>> =
        sqlx::query_scalar("select max(finished_at) from jobs where state = 'done'").fetch_one(c).await?;
    Ok(ms_opt(at))
}

/// The id of the first job created at or after `at`.
pub(crate) async fn first_created_since(c: &mut PgConnection, at: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select id from jobs where created_at >= $1 order by id limit 1")
        .bind(ts(at))
        .fetch_optional(c)
        .await?)
}

/// Deletes up to `slice` done jobs below id `below` that finished before `before`, oldest first.
pub(crate) async fn prune_slice(c: &mut PgConnection, below: i64, before: i64, slice: i64) -> Result<u64> {
    Ok(sqlx::query(
        "delete from jobs where id in (select id from jobs where id < $1 and state = 'done'
                                       and finished_at < $2 order by id limit $3)",
    )
    .bind(below)
    .bind(ts(before))
    .bind(slice)
    .execute(c)
    .await?
    .rows_affected())
}

pub(crate) async fn next_due(c: &mut PgConnection) -> Result<Option<i64>> {
    let at: Option<DateTime<Utc>> = sqlx::query_scalar(
        "select min(case when state = 'queued' then run_at else lease_expires_at end) from jobs
             where state in ('queued', 'running')",
    )
    .fetch_one(c)
    .await?;
    Ok(ms_opt(at))
}

pub(crate) async fn bring_forward(c: &mut PgConnection, ordering_key: &str, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "update jobs set run_at = $2, updated_at = $2 where ordering_key = $1 and state = 'queued' and run_at > $2",
    )
    .bind(ordering_key)
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    announce(c, done.rows_affected()).await
}

pub(crate) async fn postpone(
    c: &mut PgConnection,
    id: i64,
    token: &str,
    error: &str,
    run_at: i64,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'queued', attempts = attempts - 1, waits = waits + 1, run_at = $4, last_error = $3,
           lease_token = null, lease_owner = null, lease_expires_at = null, updated_at = $5
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(ts(run_at))
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn hold(c: &mut PgConnection, id: i64, token: &str, error: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'held', attempts = attempts - 1, last_error = $3, lease_token = null,
           lease_owner = null, lease_expires_at = null, updated_at = $4
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn release_held(c: &mut PgConnection, connection_id: &str, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "update jobs set state = 'queued', run_at = $2, waits = 0, updated_at = $2
         where connection_id = $1 and state = 'held'",
    )
    .bind(connection_id)
    .bind(ts(now))
    .execute(&mut *c)
    .await?;
    announce(c, done.rows_affected()).await
}

/// Jobs made due now by an update, not an insert, are announced as new ones are (see
/// [`crate::CHANNEL`]), when the caller's transaction commits; returns `n`.
async fn announce(c: &mut PgConnection, n: u64) -> Result<u64> {
    if n > 0 {
        sqlx::query("select pg_notify($1, '')").bind(crate::CHANNEL).execute(c).await?;
    }
    Ok(n)
}
