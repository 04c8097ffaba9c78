//! The job queue, inside the store so jobs are enqueued in the caller's
//! transaction. A job is claimed with a lease; its ordering key makes it
//! claimable only when no earlier job of the same key is unfinished; an
//! expired lease makes a crashed worker's job claimable again, and the lease
//! token fences the old worker out of completing it.

use crate::rows::{self, CHUNK, Params};
use crate::{Backend, Conn, Result, Store, StoreError, Tx, now_ms};
use rand::Rng;
use std::collections::HashSet;

/// Bulk work (resyncs, imports) runs below interactive events.
pub const PRIORITY_BULK: i64 = 0;
/// Events from the outreach app.
pub const PRIORITY_INTERACTIVE: i64 = 100;
/// How long a done job is kept, for listing and for the job ids in the sync log, before the
/// worker deletes it; without it the queue holds every event's job forever.
pub const DONE_RETENTION_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// Workspace it belongs to.
    pub workspace_id: String,
    /// Connection it works on, if any.
    pub connection_id: Option<String>,
    /// Contact it works on, if any.
    pub contact: Option<String>,
    /// Jobs of one key run one at a time, in enqueue order.
    pub ordering_key: String,
    /// Versioned job kind (`sync_event_v1`, ...).
    pub kind: String,
    /// The job's input, as JSON text: it is stored as text, and building a JSON tree only to
    /// print it again cost ingest a third of its in-memory work while it held the writer.
    pub payload: String,
    /// Higher runs first.
    pub priority: i64,
    /// Attempts before the job is dead.
    pub max_attempts: i64,
    /// Not before this time (epoch ms).
    pub run_at: i64,
}

/// A job a worker holds a lease on.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ClaimedJob {
    /// The job's id.
    pub id: i64,
    /// Workspace it belongs to.
    pub workspace_id: String,
    /// Connection it works on.
    pub connection_id: Option<String>,
    /// Contact it works on.
    pub contact: Option<String>,
    /// Versioned kind.
    pub kind: String,
    /// Input JSON text.
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// Proof of ownership for heartbeat, completion and failure.
    pub lease_token: String,
}

/// A job as the API shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct JobInfo {
    /// The job's id.
    pub id: i64,
    /// Versioned kind.
    pub kind: String,
    /// queued / running / done / dead.
    pub state: String,
    /// Attempts made.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Connection it works on.
    pub connection_id: Option<String>,
    /// Contact it works on.
    pub contact: Option<String>,
}

/// Enqueues a job on the given connection or transaction; returns its id.
pub async fn enqueue(c: &mut Conn, job: &NewJob) -> Result<i64> {
    let now = now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "insert into jobs (workspace_id, connection_id, contact, ordering_key, kind, payload, priority, state, attempts,
                           max_attempts, run_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8, $9, $10, $10) returning id",
    )
    .bind(&job.workspace_id)
    .bind(job.connection_id.as_deref())
    .bind(job.contact.as_deref())
    .bind(&job.ordering_key)
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.priority)
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Whether a job of this key waits in the queue, not yet started (so it will still see
/// whatever has happened by the time it runs).
pub async fn has_queued(c: &mut Conn, ordering_key: &str) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("select id from jobs where ordering_key = $1 and state = 'queued' limit 1")
            .bind(ordering_key)
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}

/// Which of these ordering keys have a job of `kind` waiting in the queue, not yet started:
/// such a job will see whatever is stored by the time it runs. On PostgreSQL the jobs found
/// stay locked to the caller's transaction, so a worker cannot claim one (and read what it
/// needs) before the caller's writes commit; one claimed before is running, and not found.
pub async fn queued_keys(c: &mut Conn, kind: &str, keys: &[&str]) -> Result<HashSet<String>> {
    let p = Params::of(c);
    // Sorted, so two transactions lock the jobs they share in the same order.
    let lock = match p {
        Params::Anonymous => "",
        Params::Numbered => " order by ordering_key for update",
    };
    let mut found = HashSet::new();
    for chunk in keys.chunks(p.keys_per_list()) {
        // The state list lets both planners use the partial index on unfinished jobs' keys.
        let sql = format!(
            "select ordering_key from jobs where kind = {} and state in ('queued', 'running') and state = 'queued'
             and ordering_key in ({}){lock}",
            p.list(1, 1),
            p.keys(chunk.len(), 2)
        );
        // Planned for the keys at hand: prepared, its generic plan took 170 ms a batch once the
        // queue held a few thousand jobs, against 2 ms.
        let q = sqlx::query_as::<_, (String,)>(&sql).persistent(false).bind(kind);
        let q = rows::bind_keys(q, p, chunk);
        found.extend(q.fetch_all(&mut *c).await?.into_iter().map(|(key,)| key));
    }
    Ok(found)
}

/// For a job that carries out several steps, one of which just landed: true when the job is
/// still held, and then its attempts start again at 1, as the first attempt at the next step,
/// so failures spread over a long run of steps do not add up to its death.
pub async fn progressed(c: &mut Conn, id: i64, token: &str) -> Result<bool> {
    let done = sqlx::query(
        "update jobs set attempts = 1, updated_at = $3 where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(now_ms())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Attempts made at a job, as stored now.
pub async fn attempts(c: &mut Conn, id: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("select attempts from jobs where id = $1").bind(id).fetch_one(c).await?;
    Ok(n)
}

/// Puts a held job back in the queue, due now with fresh attempts; false when the lease was lost.
pub async fn requeue(c: &mut Conn, id: i64, token: &str, error: &str) -> Result<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "update jobs set state = 'queued', attempts = 0, run_at = $4, last_error = $3, lease_token = null,
           lease_owner = null, lease_expires_at = null, updated_at = $4
         where id = $1 and lease_token = $2 and state = 'running'",
    )
    .bind(id)
    .bind(token)
    .bind(truncate(error))
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a job already dead after `attempts` attempts, the last failing with `error`: a step
/// split off a job that goes on without it, kept for the dead-letter list and its retry.
pub async fn bury(c: &mut Conn, job: &NewJob, attempts: i64, error: &str) -> Result<i64> {
    let id = enqueue(&mut *c, job).await?;
    sqlx::query(
        "update jobs set state = 'dead', attempts = $2, last_error = $3, finished_at = updated_at where id = $1",
    )
    .bind(id)
    .bind(attempts)
    .bind(truncate(error))
    .execute(c)
    .await?;
    Ok(id)
}

/// Enqueues jobs with multi-row inserts, in order (ids rise in slice order); for a caller
/// that enqueues many jobs in one transaction, one statement per few hundred jobs.
pub async fn enqueue_many(c: &mut Conn, jobs: &[NewJob]) -> Result<()> {
    let now = now_ms();
    let p = Params::of(c);
    for chunk in jobs.chunks(CHUNK) {
        let sql = format!(
            "insert into jobs (workspace_id, connection_id, contact, ordering_key, kind, payload, priority, state,
                               attempts, max_attempts, run_at, created_at, updated_at) values {}",
            p.values(chunk.len(), 13, 1)
        );
        let mut q = rows::listed(&sql, p);
        for job in chunk {
            q = q
                .bind(&job.workspace_id)
                .bind(job.connection_id.as_deref())
                .bind(job.contact.as_deref())
                .bind(&job.ordering_key)
                .bind(&job.kind)
                .bind(&job.payload)
                .bind(job.priority)
                .bind("queued")
                .bind(0_i64)
                .bind(job.max_attempts)
                .bind(job.run_at)
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

// Claimable: queued and due, or running with an expired lease (its worker died);
// and no earlier job of the same key unfinished. Dead jobs count as finished so
// one poisoned job cannot wedge a contact forever. The explicit state list lets
// both planners use the partial claim index instead of scanning every job.
const CLAIMABLE: &str = "select j.id from jobs j
    where j.state in ('queued', 'running')
      and ((j.state = 'queued' and j.run_at <= $4) or (j.state = 'running' and j.lease_expires_at < $4))
      and not exists (select 1 from jobs e where e.ordering_key = j.ordering_key and e.id < j.id
                      and e.state in ('queued', 'running'))
    order by j.priority desc, j.id
    limit $5";

const CLAIM_SET: &str = "update jobs set state = 'running', attempts = attempts + 1,
    lease_token = $1 || '.' || cast(id as text), lease_owner = $2, lease_expires_at = $3, updated_at = $4";

const CLAIM_RETURNING: &str =
    "returning id, workspace_id, connection_id, contact, kind, payload, attempts, max_attempts, lease_token";

/// Claims up to `limit` due jobs for `worker` with a lease of `lease_ms`, inside the
/// caller's transaction (so a worker can complete finished jobs and claim the next in one).
pub async fn claim(tx: &mut Tx, worker: &str, limit: i64, lease_ms: i64) -> Result<Vec<ClaimedJob>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    let now = now_ms();
    let token: String = {
        let mut rng = rand::thread_rng();
        (0..24).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.gen_range(0..36)])).collect()
    };
    let sql = match tx.backend() {
        // The transaction holds SQLite's write lock, so claims never interleave.
        Backend::Sqlite => format!("{CLAIM_SET} where id in ({CLAIMABLE}) {CLAIM_RETURNING}"),
        // `= any(array(...))` runs the pick once and updates by primary key. As `in (...)`,
        // the generic plan PostgreSQL settles on for the prepared statement hash-joined the
        // pick against a scan of every job: milliseconds per claim, growing with the table.
        Backend::Postgres => {
            // A queue filled faster than autovacuum analyzes it looks nearly empty to the
            // planner, which then sorts every queued job on each claim (36 ms at 20,000)
            // instead of walking the claim index in order; the index is always the right plan.
            if !tx.sorts_off() {
                sqlx::query("set local enable_sort = off").execute(&mut **tx).await?;
            }
            format!("{CLAIM_SET} where id = any(array({CLAIMABLE} for update of j skip locked)) {CLAIM_RETURNING}")
        }
    };
    let mut jobs: Vec<ClaimedJob> = sqlx::query_as(&sql)
        .bind(token)
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
    if tx.backend() == Backend::Postgres && !tx.sorts_off() {
        sqlx::query("set local enable_sort = on").execute(&mut **tx).await?;
    }
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

impl Store {
    /// Claims up to `limit` due jobs for `worker` with a lease of `lease_ms`, in a transaction of its own.
    pub async fn claim(&self, worker: &str, limit: i64, lease_ms: i64) -> Result<Vec<ClaimedJob>> {
        let mut tx = self.begin_turn().await?;
        let jobs = claim(&mut tx, worker, limit, lease_ms).await?;
        tx.commit().await?;
        Ok(jobs)
    }

    /// Extends a held lease; false when the lease was lost to another worker.
    pub async fn heartbeat(&self, id: i64, token: &str, lease_ms: i64) -> Result<bool> {
        let mut c = self.conn().await?;
        let done = sqlx::query(
            "update jobs set lease_expires_at = $3 where id = $1 and lease_token = $2 and state = 'running'",
        )
        .bind(id)
        .bind(token)
        .bind(now_ms() + lease_ms)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt: back to the queue not before `retry_at`, or dead when
    /// `retry_at` is none or attempts are used up. False when the lease was lost.
    pub async fn fail(&self, id: i64, token: &str, error: &str, retry_at: Option<i64>) -> Result<bool> {
        let mut c = self.conn().await?;
        let now = now_ms();
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
        .bind(truncate(error))
        .bind(retry_at.unwrap_or(-1))
        .bind(now)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives jobs back without counting the attempt (graceful shutdown), in one transaction;
    /// returns the ids given back. A job missing from the answer had lost its lease.
    pub async fn release(&self, jobs: &[(i64, &str)]) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        let released = update_leased(
            &mut tx,
            "state = 'queued', attempts = attempts - 1, lease_token = null, lease_owner = null, lease_expires_at = null",
            &["updated_at"],
            jobs,
        )
        .await?;
        tx.commit().await?;
        Ok(released)
    }

    /// Puts a dead (or failed) job of this workspace back in the queue with fresh attempts.
    pub async fn retry_job(&self, workspace: &str, id: i64) -> Result<()> {
        let mut c = self.conn().await?;
        let now = now_ms();
        let done = sqlx::query(
            "update jobs set state = 'queued', attempts = 0, run_at = $3, finished_at = null, updated_at = $3
             where workspace_id = $1 and id = $2 and state = 'dead'",
        )
        .bind(workspace)
        .bind(id)
        .bind(now)
        .execute(&mut *c)
        .await?;
        if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Jobs of a workspace, newest first, optionally in one state (an unknown state lists none).
    pub async fn list_jobs(&self, workspace: &str, state: Option<&str>, limit: i64) -> Result<Vec<JobInfo>> {
        // The state is spelled as a literal, from this list only, so both planners can
        // match `state = 'dead'` to that state's partial index; a parameter they cannot.
        let filter = match state {
            None => "",
            Some("queued") => "and state = 'queued'",
            Some("running") => "and state = 'running'",
            Some("done") => "and state = 'done'",
            Some("dead") => "and state = 'dead'",
            Some(_) => return Ok(Vec::new()),
        };
        let mut c = self.conn().await?;
        Ok(sqlx::query_as(&format!(
            "select id, kind, state, attempts, last_error, connection_id, contact from jobs
             where workspace_id = $1 {filter} order by id desc limit $2"
        ))
        .bind(workspace)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?)
    }

    /// Job counts by state across all workspaces (for metrics and tests).
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut c = self.conn().await?;
        Ok(sqlx::query_as("select state, count(*) from jobs group by state order by state").fetch_all(&mut *c).await?)
    }

    /// Deletes the done jobs that finished before `before` (epoch ms), oldest first, `slice`
    /// per short write transaction; returns how many. Dead jobs stay until retried or seen.
    pub async fn prune_done(&self, before: i64, slice: i64) -> Result<u64> {
        // A job that finished before `before` was created before it, and ids rise with creation,
        // so only ids below the first job created since need looking at. Found once, on a reader:
        // without the bound, the last slice of every run walked the week of jobs that are kept
        // while holding SQLite's one writer.
        let first_kept: Option<(i64,)> =
            sqlx::query_as("select id from jobs where created_at >= $1 order by id limit 1")
                .bind(before)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        let below = first_kept.map_or(i64::MAX, |(id,)| id);
        let mut total = 0;
        loop {
            let mut tx = self.begin().await?;
            let gone = sqlx::query(
                "delete from jobs where id in (select id from jobs where id < $1 and state = 'done'
                                               and finished_at < $2 order by id limit $3)",
            )
            .bind(below)
            .bind(before)
            .bind(slice)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            total += gone;
            if gone < u64::try_from(slice).unwrap_or(0) {
                return Ok(total);
            }
        }
    }

    /// The earliest time a queued job becomes due, for the scheduler's sleep.
    pub async fn next_due(&self) -> Result<Option<i64>> {
        let mut c = self.conn().await?;
        let (t,): (Option<i64>,) =
            sqlx::query_as("select min(run_at) from jobs where state = 'queued'").fetch_one(&mut *c).await?;
        Ok(t)
    }
}

/// Completes a job inside the transaction that stored its effects. False means
/// the lease was taken over: the caller must roll back so nothing is applied twice.
pub async fn complete(c: &mut Conn, id: i64, token: &str) -> Result<bool> {
    Ok(complete_many(c, &[(id, token)]).await?.len() == 1)
}

/// Completes many jobs in the caller's transaction, one statement per few hundred; returns
/// the ids completed. A job missing from the answer lost its lease, and its effects must
/// not be applied.
pub async fn complete_many(c: &mut Conn, jobs: &[(i64, &str)]) -> Result<Vec<i64>> {
    let finished = "state = 'done', lease_token = null, lease_expires_at = null, last_error = null";
    update_leased(c, finished, &["finished_at", "updated_at"], jobs).await
}

/// Updates the jobs still running under these leases, one statement per few hundred: `set`
/// assignments, and each of `stamped` to now. Returns the ids updated; a job missing from the
/// answer lost its lease.
async fn update_leased(c: &mut Conn, set: &str, stamped: &[&str], jobs: &[(i64, &str)]) -> Result<Vec<i64>> {
    let (now, p) = (now_ms(), Params::of(c));
    let stamps: Vec<String> =
        stamped.iter().enumerate().map(|(i, column)| format!(", {column} = {}", p.list(1, 1 + i))).collect();
    let first = 1 + stamped.len();
    let mut updated = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(CHUNK) {
        // A token is `<random>.<job id>`, so it matches only its own job: the two lists
        // pair up without a row-value comparison, and the id list keeps the primary key in use.
        let sql = format!(
            "update jobs set {set}{} where state = 'running' and id in ({}) and lease_token in ({}) returning id",
            stamps.concat(),
            p.list(chunk.len(), first),
            p.list(chunk.len(), first + chunk.len())
        );
        let mut q = rows::listed_as::<(i64,)>(&sql, p);
        for _ in stamped {
            q = q.bind(now);
        }
        for (id, _) in chunk {
            q = q.bind(*id);
        }
        for (_, token) in chunk {
            q = q.bind(*token);
        }
        updated.extend(q.fetch_all(&mut *c).await?.into_iter().map(|(id,)| id));
    }
    Ok(updated)
}

fn truncate(s: &str) -> String {
    s.chars().take(2000).collect()
}

/// Makes the queued jobs of an ordering key due now (an operator's "run now",
/// and how tests run an hourly import without waiting the hour); returns how many.
pub async fn bring_forward(c: &mut Conn, ordering_key: &str) -> Result<u64> {
    let now = now_ms();
    let done = sqlx::query(
        "update jobs set run_at = $2, updated_at = $2 where ordering_key = $1 and state = 'queued' and run_at > $2",
    )
    .bind(ordering_key)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}
