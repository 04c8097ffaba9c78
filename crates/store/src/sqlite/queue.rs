//! The job queue on SQLite. A claim runs in a transaction that holds SQLite's
//! write lock from its start, so claims never interleave.

use super::lists::{self, CHUNK, KEYS};
use crate::Result;
use crate::queue::{Claimable, ClaimedJob, JobInfo, Lease, NewJob, Place};
use sqlx::SqliteConnection;
use std::collections::HashSet;

/// Takes `n` turns in a workspace's lane at `priority`, returning the first. A lane goes on from
/// where it stopped, or from the head of the queue if that is later (an idle lane's next job
/// waits behind no one's backlog); with no job waiting, from the furthest any lane has gone.
pub(crate) async fn take_turns(c: &mut SqliteConnection, workspace: &str, priority: i64, n: i64) -> Result<i64> {
    let last: i64 = sqlx::query_scalar(
        "insert into queue_lanes (workspace_id, priority, turn)
         values ($1, $2, coalesce((select turn from jobs where state in ('queued', 'running') and priority = $2
                                   order by priority desc, turn, id limit 1),
                                  (select max(turn) from queue_lanes where priority = $2), 0) + $3)
         on conflict (workspace_id, priority) do update set turn = max(queue_lanes.turn + $3, excluded.turn)
         returning turn",
    )
    .bind(workspace)
    .bind(priority)
    .bind(n)
    .fetch_one(c)
    .await?;
    Ok(last - n + 1)
}

pub(crate) async fn enqueue(c: &mut SqliteConnection, job: &NewJob, turn: i64, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "insert into jobs (workspace_id, connection_id, contact_id, ordering_key, kind, payload, priority, state,
                           attempts, max_attempts, run_at, created_at, updated_at, turn)
         values ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8, $9, $10, $10, $11) returning id",
    )
    .bind(&job.workspace_id)
    .bind(job.connection_id.as_deref())
    .bind(job.contact_id.as_deref())
    .bind(&job.ordering_key)
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.priority)
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(now)
    .bind(turn)
    .fetch_one(c)
    .await?)
}

pub(crate) async fn has_queued(c: &mut SqliteConnection, ordering_key: &str) -> Result<bool> {
    let row: Option<i64> =
        sqlx::query_scalar("select id from jobs where ordering_key = $1 and state in ('queued', 'held') limit 1")
            .bind(ordering_key)
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}

/// [`KEYS`] keys a statement, each its own parameter, planned for the keys at hand (unprepared).
/// The state list lets the planner use the partial index on unfinished jobs' keys.
pub(crate) async fn queued_keys(c: &mut SqliteConnection, kind: &str, keys: &[&str]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in keys.chunks(KEYS) {
        let sql = format!(
            "select ordering_key from jobs where kind = ? and state in ('queued', 'running', 'held') and state <> 'running'
             and ordering_key in ({})",
            lists::list(chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).persistent(false).bind(kind);
        for key in chunk {
            q = q.bind(*key);
        }
        found.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(found)
}

pub(crate) async fn progressed(c: &mut SqliteConnection, id: i64, token: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set attempts = 1, updated_at = $3 where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn attempts(c: &mut SqliteConnection, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("select attempts from jobs where id = $1").bind(id).fetch_one(c).await?)
}

pub(crate) async fn requeue(c: &mut SqliteConnection, id: i64, token: &str, error: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'queued', attempts = 0, run_at = $4, last_error = $3, lease_token = null,
           lease_owner = null, lease_expires_at = null, updated_at = $4
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes a just-enqueued job dead after `attempts`, failing with `error`.
pub(crate) async fn mark_dead(c: &mut SqliteConnection, id: i64, attempts: i64, error: &str) -> Result<()> {
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

pub(crate) async fn enqueue_many(c: &mut SqliteConnection, jobs: &[NewJob], turns: &[i64], now: i64) -> Result<()> {
    for (chunk, turns) in jobs.chunks(CHUNK).zip(turns.chunks(CHUNK)) {
        let sql = format!(
            "insert into jobs (workspace_id, connection_id, contact_id, ordering_key, kind, payload, priority, state,
                               attempts, max_attempts, run_at, created_at, updated_at, turn) values {}",
            lists::values(chunk.len(), 14)
        );
        let mut q = sqlx::query(&sql);
        for (job, turn) in chunk.iter().zip(turns) {
            q = q
                .bind(&job.workspace_id)
                .bind(job.connection_id.as_deref())
                .bind(job.contact_id.as_deref())
                .bind(&job.ordering_key)
                .bind(&job.kind)
                .bind(&job.payload)
                .bind(job.priority)
                .bind("queued")
                .bind(0_i64)
                .bind(job.max_attempts)
                .bind(job.run_at)
                .bind(now)
                .bind(now)
                .bind(*turn);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// How many jobs each connection runs now under a live lease.
pub(crate) async fn running_by_connection(c: &mut SqliteConnection, now: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "select connection_id, count(*) from jobs
         where state = 'running' and lease_expires_at >= $1 and connection_id is not null group by connection_id",
    )
    .bind(now)
    .fetch_all(c)
    .await?)
}

/// Up to `limit` claimable jobs in claim order, after the place `after` (priority, turn, id)
/// when given: queued and due, or running with an expired lease (its worker died); and no
/// earlier job of the same key unfinished. Dead jobs count as finished so one poisoned job
/// cannot wedge a contact forever. The explicit state list lets the planner use the partial
/// claim index instead of scanning every job; the limit bounds how much of it one look reads,
/// however many jobs of full connections lie ahead (the caller skips those). The claim's
/// transaction holds SQLite's write lock, so what this reads is still so when [`take`] marks it.
pub(crate) async fn claimable(
    c: &mut SqliteConnection,
    now: i64,
    limit: i64,
    after: Option<Place>,
) -> Result<Vec<Claimable>> {
    let (p, t, i) = after.map_or((None, None, None), |(p, t, i)| (Some(p), Some(t), Some(i)));
    Ok(sqlx::query_as(
        "select j.id, j.connection_id, j.priority, j.turn from jobs j
         where j.state in ('queued', 'running')
           and ((j.state = 'queued' and j.run_at <= $1) or (j.state = 'running' and j.lease_expires_at < $1))
           and ($3 is null or j.priority < $3 or (j.priority = $3 and (j.turn > $4 or (j.turn = $4 and j.id > $5))))
           and not exists (select 1 from jobs e where e.ordering_key = j.ordering_key and e.id < j.id
                           and e.state in ('queued', 'running', 'held'))
         order by j.priority desc, j.turn, j.id
         limit $2",
    )
    .bind(now)
    .bind(limit)
    .bind(p)
    .bind(t)
    .bind(i)
    .fetch_all(c)
    .await?)
}

/// Leases the jobs in `ids` (a JSON array) to the claiming worker.
pub(crate) async fn take(c: &mut SqliteConnection, lease: &Lease<'_>, ids: &str) -> Result<Vec<ClaimedJob>> {
    Ok(sqlx::query_as(
        "update jobs set state = 'running', attempts = attempts + 1,
           lease_token = $1 || '.' || cast(id as text), lease_owner = $2, lease_expires_at = $3, updated_at = $4
         where id in (select value from json_each($5))
         returning id, workspace_id, connection_id, contact_id, kind, payload, attempts, max_attempts, waits,
                   lease_token",
    )
    .bind(lease.token)
    .bind(lease.worker)
    .bind(lease.expires_at)
    .bind(lease.now)
    .bind(ids)
    .fetch_all(c)
    .await?)
}

pub(crate) async fn fence(c: &mut SqliteConnection, id: i64, token: &str) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set lease_token = lease_token where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn heartbeat_many(
    c: &mut SqliteConnection,
    jobs: &[(i64, &str)],
    expires_at: i64,
) -> Result<Vec<i64>> {
    update_leased(c, "lease_expires_at = ?", jobs, expires_at).await
}

pub(crate) async fn heartbeat(c: &mut SqliteConnection, id: i64, token: &str, expires_at: i64) -> Result<bool> {
    let done =
        sqlx::query("update jobs set lease_expires_at = $3 where id = $1 and lease_token = $2 and state = 'running'")
            .bind(id)
            .bind(token)
            .bind(expires_at)
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A retry time of -1 stands for none: the job dies.
pub(crate) async fn fail(
    c: &mut SqliteConnection,
    id: i64,
    token: &str,
    error: &str,
    retry_at: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set
           state = case when $4 >= 0 and attempts < max_attempts then 'queued' else 'dead' end,
           run_at = case when $4 >= 0 then $4 else run_at end,
           finished_at = case when $4 >= 0 and attempts < max_attempts then null else $5 end,
           last_error = $3, lease_token = null, lease_owner = null, lease_expires_at = null, updated_at = $5
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(retry_at.unwrap_or(-1))
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn release(c: &mut SqliteConnection, jobs: &[(i64, &str)], now: i64) -> Result<Vec<i64>> {
    let set = "state = 'queued', attempts = attempts - 1, lease_token = null, lease_owner = null,
               lease_expires_at = null, updated_at = ?";
    update_leased(c, set, jobs, now).await
}

pub(crate) async fn complete_many(c: &mut SqliteConnection, jobs: &[(i64, &str)], now: i64) -> Result<Vec<i64>> {
    let set = "state = 'done', lease_token = null, lease_expires_at = null, last_error = null, finished_at = ?,
               updated_at = ?";
    update_leased(c, set, jobs, now).await
}

/// Updates the jobs still running under these leases, [`CHUNK`] a statement: `set` assignments,
/// whose every `?` is now. Returns the ids updated; a job missing from the answer lost its
/// lease. A token is `<random>.<job id>`, so it matches only its own job: the two lists pair up
/// without a row-value comparison, and the id list keeps the primary key in use.
async fn update_leased(c: &mut SqliteConnection, set: &str, jobs: &[(i64, &str)], now: i64) -> Result<Vec<i64>> {
    let stamps = set.matches('?').count();
    let mut updated = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(CHUNK) {
        let sql = format!(
            "update jobs set {set} where state = 'running' and id in ({}) and lease_token in ({}) returning id",
            lists::list(chunk.len()),
            lists::list(chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for _ in 0..stamps {
            q = q.bind(now);
        }
        for (id, _) in chunk {
            q = q.bind(*id);
        }
        for (_, token) in chunk {
            q = q.bind(*token);
        }
        updated.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(updated)
}

pub(crate) async fn retry_job(c: &mut SqliteConnection, workspace: &str, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'queued', attempts = 0, run_at = $3, finished_at = null, updated_at = $3
         where workspace_id = $1 and id = $2 and state = 'dead'",
    )
    .bind(workspace)
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn list_jobs(
    c: &mut SqliteConnection,
    workspace: &str,
    filter: &str,
    limit: i64,
) -> Result<Vec<JobInfo>> {
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
pub(crate) async fn job(c: &mut SqliteConnection, workspace: &str, id: i64) -> Result<Option<JobInfo>> {
    Ok(sqlx::query_as(
        "select id, kind, state, attempts, last_error, connection_id, contact_id from jobs
         where workspace_id = $1 and id = $2",
    )
    .bind(workspace)
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub(crate) async fn job_counts(c: &mut SqliteConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("select state, count(*) from jobs group by state order by state").fetch_all(c).await?)
}

/// When the longest-waiting due job became due (epoch ms), if any is queued.
pub(crate) async fn oldest_due(c: &mut SqliteConnection, now: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select min(run_at) from jobs where state = 'queued' and run_at <= $1")
        .bind(now)
        .fetch_one(c)
        .await?)
}

pub(crate) async fn busy(c: &mut SqliteConnection) -> Result<bool> {
    let row: Option<i64> = sqlx::query_scalar("select id from jobs where state in ('queued', 'running') limit 1")
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}

pub(crate) async fn last_finished(c: &mut SqliteConnection) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select max(finished_at) from jobs where state = 'done'").fetch_one(c).await?)
}

/// The id of the first job created at or after `at`.
pub(crate) async fn first_created_since(c: &mut SqliteConnection, at: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("select id from jobs where created_at >= $1 order by id limit 1")
        .bind(at)
        .fetch_optional(c)
        .await?)
}

/// Deletes up to `slice` done jobs below id `below` that finished before `before`, oldest first.
pub(crate) async fn prune_slice(c: &mut SqliteConnection, below: i64, before: i64, slice: i64) -> Result<u64> {
    Ok(sqlx::query(
        "delete from jobs where id in (select id from jobs where id < $1 and state = 'done'
                                       and finished_at < $2 order by id limit $3)",
    )
    .bind(below)
    .bind(before)
    .bind(slice)
    .execute(c)
    .await?
    .rows_affected())
}

pub(crate) async fn next_due(c: &mut SqliteConnection) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "select min(case when state = 'queued' then run_at else lease_expires_at end) from jobs
         where state in ('queued', 'running')",
    )
    .fetch_one(c)
    .await?)
}

pub(crate) async fn bring_forward(c: &mut SqliteConnection, ordering_key: &str, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "update jobs set run_at = $2, updated_at = $2 where ordering_key = $1 and state = 'queued' and run_at > $2",
    )
    .bind(ordering_key)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn postpone(
    c: &mut SqliteConnection,
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
    .bind(run_at)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn hold(c: &mut SqliteConnection, id: i64, token: &str, error: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set state = 'held', attempts = attempts - 1, last_error = $3, lease_token = null,
           lease_owner = null, lease_expires_at = null, updated_at = $4
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(error)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn release_held(c: &mut SqliteConnection, connection_id: &str, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "update jobs set state = 'queued', run_at = $2, waits = 0, updated_at = $2
         where connection_id = $1 and state = 'held'",
    )
    .bind(connection_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}
