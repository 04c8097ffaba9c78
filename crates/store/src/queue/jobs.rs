//! The queue's repository functions: enqueue, claim and complete jobs on the
//! caller's [`Db`] or [`Tx`].

use super::{ClaimedJob, NewJob};
use crate::db::on_backend;
use crate::{Db, Raw, Result, Tx, now_ms};
use rand::Rng;
use std::collections::{HashMap, HashSet};

/// Enqueues a job on the given connection or transaction; returns its id.
pub async fn enqueue(db: &mut Db, job: &NewJob) -> Result<i64> {
    let turn = take_turns(db, &job.workspace_id, job.priority, 1).await?;
    on_backend!(db, queue::enqueue(job, turn, now_ms()))
}

/// Whether a job of this key waits in the queue, not yet started (so it will still see
/// whatever has happened by the time it runs).
pub async fn has_queued(db: &mut Db, ordering_key: &str) -> Result<bool> {
    on_backend!(db, queue::has_queued(ordering_key))
}

/// Which of these ordering keys have a job of `kind` waiting in the queue, not yet started:
/// such a job will see whatever is stored by the time it runs. On PostgreSQL the jobs found
/// stay locked to the caller's transaction, so a worker cannot claim one (and read what it
/// needs) before the caller's writes commit; one claimed before is running, and not found.
pub async fn queued_keys(db: &mut Db, kind: &str, keys: &[&str]) -> Result<HashSet<String>> {
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    on_backend!(db, queue::queued_keys(kind, keys))
}

/// For a job that carries out several steps, one of which just landed: true when the job is
/// still held, and then its attempts start again at 1, as the first attempt at the next step,
/// so failures spread over a long run of steps do not add up to its death.
pub async fn progressed(db: &mut Db, id: i64, token: &str) -> Result<bool> {
    on_backend!(db, queue::progressed(id, token, now_ms()))
}

/// Attempts made at a job, as stored now.
pub async fn attempts(db: &mut Db, id: i64) -> Result<i64> {
    on_backend!(db, queue::attempts(id))
}

/// Puts a held job back in the queue, due now with fresh attempts; false when the lease was lost.
pub async fn requeue(db: &mut Db, id: i64, token: &str, error: &str) -> Result<bool> {
    on_backend!(db, queue::requeue(id, token, &truncate(error), now_ms()))
}

/// Stores a job already dead after `attempts` attempts, the last failing with `error`: a step
/// split off a job that goes on without it, kept for the dead-letter list and its retry.
pub async fn bury(db: &mut Db, job: &NewJob, attempts: i64, error: &str) -> Result<i64> {
    let id = enqueue(db, job).await?;
    on_backend!(db, queue::mark_dead(id, attempts, &truncate(error)))?;
    Ok(id)
}

/// Enqueues jobs with multi-row inserts, in order (ids rise in slice order); for a caller
/// that enqueues many jobs in one transaction, one statement per few hundred jobs.
pub async fn enqueue_many(db: &mut Db, jobs: &[NewJob]) -> Result<()> {
    if jobs.is_empty() {
        return Ok(());
    }
    let turns = turns(db, jobs).await?;
    on_backend!(db, queue::enqueue_many(jobs, &turns, now_ms()))
}

/// Each job's turn, taken from its workspace's lane at its priority: one statement per lane,
/// the lane's turns given out in slice order.
async fn turns(db: &mut Db, jobs: &[NewJob]) -> Result<Vec<i64>> {
    let mut lanes: Vec<(&str, i64, i64)> = Vec::new();
    let mut index: HashMap<(&str, i64), usize> = HashMap::new();
    let lane_of: Vec<usize> = jobs
        .iter()
        .map(|job| {
            let key = (job.workspace_id.as_str(), job.priority);
            let at = *index.entry(key).or_insert_with(|| {
                lanes.push((key.0, key.1, 0));
                lanes.len() - 1
            });
            lanes[at].2 += 1;
            at
        })
        .collect();
    let mut next = Vec::with_capacity(lanes.len());
    for (workspace, priority, n) in lanes {
        next.push(take_turns(db, workspace, priority, n).await?);
    }
    Ok(lane_of
        .into_iter()
        .map(|at| {
            next[at] += 1;
            next[at] - 1
        })
        .collect())
}

/// Claims up to `limit` due jobs for `worker` with a lease of `lease_ms`, inside the
/// caller's transaction (so a worker can complete finished jobs and claim the next in one).
/// Jobs go in turn order (fair across workspaces, see [`take_turns`]), and no connection gets
/// more than `per_connection` jobs running at once, counted over every worker: a slow or
/// tightly limited connection holds a few slots, never all of them. On PostgreSQL two workers
/// claiming at the same instant may each fill a connection's last slots, so the cap can be
/// passed by what one claim takes; it holds again as those jobs end.
pub async fn claim(
    tx: &mut Tx,
    worker: &str,
    limit: i64,
    lease_ms: i64,
    per_connection: i64,
) -> Result<Vec<ClaimedJob>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    let token: String = {
        let mut rng = rand::thread_rng();
        (0..24).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.gen_range(0..36)])).collect()
    };
    let (now, sorts_off) = (now_ms(), tx.sorts_off());
    let lease = Lease { token: &token, worker, expires_at: now + lease_ms, now };
    let mut running: HashMap<String, i64> = match tx.raw() {
        Raw::Sqlite(c) => crate::sqlite::queue::running_by_connection(c, now).await?,
        Raw::Postgres(c) => crate::postgres::queue::running_by_connection(c, now).await?,
    }
    .into_iter()
    .collect();
    let mut jobs = Vec::new();
    // A first look as deep as the claim; when it met full connections' jobs, one more look
    // past them, a few times deeper, for what else waits (another workspace's turn).
    let (mut window, mut after) = (limit, None);
    for look in 0..2 {
        let picked = match tx.raw() {
            Raw::Sqlite(c) => crate::sqlite::queue::claimable(c, now, window, after).await?,
            Raw::Postgres(c) => crate::postgres::queue::claimable(c, now, window, after, sorts_off).await?,
        };
        let mut refused = false;
        let mut ids = Vec::with_capacity(picked.len());
        for (id, connection, _, _) in &picked {
            if i64::try_from(jobs.len() + ids.len()).unwrap_or(i64::MAX) >= limit {
                break;
            }
            if let Some(connection) = connection {
                let n = running.entry(connection.clone()).or_default();
                if *n >= per_connection {
                    refused = true;
                    continue;
                }
                *n += 1;
            }
            ids.push(*id);
        }
        if !ids.is_empty() {
            jobs.extend(match tx.raw() {
                Raw::Sqlite(c) => {
                    let ids = format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                    crate::sqlite::queue::take(c, &lease, &ids).await?
                }
                Raw::Postgres(c) => crate::postgres::queue::take(c, &lease, &ids).await?,
            });
        }
        let left = limit - i64::try_from(jobs.len()).unwrap_or(i64::MAX);
        if look > 0 || !refused || left <= 0 || i64::try_from(picked.len()).unwrap_or(i64::MAX) < window {
            break;
        }
        after = picked.last().map(|(id, _, priority, turn)| (*priority, *turn, *id));
        window = left * 4 + 32;
    }
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// Takes `n` turns in a workspace's lane at `priority`; returns the first.
async fn take_turns(db: &mut Db, workspace: &str, priority: i64, n: i64) -> Result<i64> {
    on_backend!(db, queue::take_turns(workspace, priority, n))
}

/// The lease a claim gives its jobs: each job's token is `<token>.<job id>`.
pub(crate) struct Lease<'a> {
    pub token: &'a str,
    pub worker: &'a str,
    pub expires_at: i64,
    pub now: i64,
}

/// Completes a job inside the transaction that stored its effects. False means
/// the lease was taken over: the caller must roll back so nothing is applied twice.
pub async fn complete(db: &mut Db, id: i64, token: &str) -> Result<bool> {
    Ok(complete_many(db, &[(id, token)]).await?.len() == 1)
}

/// Completes many jobs in the caller's transaction; returns the ids completed. A job missing
/// from the answer lost its lease, and its effects must not be applied.
pub async fn complete_many(db: &mut Db, jobs: &[(i64, &str)]) -> Result<Vec<i64>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(db, queue::complete_many(jobs, now_ms()))
}

/// In a job's write transaction: true while the job is still leased under `token`. The check
/// takes the job's row lock, so no other worker can take the job over before the transaction
/// ends: a worker whose lease passed on cannot overwrite what the next holder wrote.
pub async fn fence(db: &mut Db, id: i64, token: &str) -> Result<bool> {
    on_backend!(db, queue::fence(id, token))
}

/// Puts the jobs held for a connection back in the queue, due now (it works again); returns how many.
pub async fn release_held(db: &mut Db, connection_id: &str) -> Result<u64> {
    on_backend!(db, queue::release_held(connection_id, now_ms()))
}

/// Makes the queued jobs of an ordering key due now (an operator's "run now",
/// and how tests run an hourly import without waiting the hour); returns how many.
pub async fn bring_forward(db: &mut Db, ordering_key: &str) -> Result<u64> {
    on_backend!(db, queue::bring_forward(ordering_key, now_ms()))
}

/// An error as stored: its first 2000 characters.
pub(crate) fn truncate(s: &str) -> String {
    s.chars().take(2000).collect()
}
