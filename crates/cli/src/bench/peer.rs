//! Figure 7, a peer: the same no-op workload as figure 3 through the apalis
//! job queue with its SQLite storage (apalis-sql 0.7, built on our own sqlx
//! 0.8), at the same concurrencies. apalis is given its best settings: a
//! fetch buffer as large as the concurrency and a 1 ms poll interval (its
//! default, 100 ms between fetches of 10, caps it at 100 jobs/s). The fetch
//! buffer is what bounds its concurrency here: apalis 0.7's concurrency-limit
//! layer can stall for good (a worker marked not ready while at its limit is
//! never polled again).

use super::report::EngineFigure;
use anyhow::{Context, Result};
use apalis::prelude::*;
use apalis_sql::Config;
use apalis_sql::sqlite::SqliteStorage;
use hiresync_testkit::{Polled, eventually_every};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::cell::RefCell;
use std::str::FromStr;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The peer's job: carries a key so its row is the size of ours.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Noop {
    key: String,
}

/// The apalis worker being measured, and where its count started.
struct Run {
    /// Workers started so far, minus one.
    attempt: usize,
    task: JoinHandle<()>,
    /// When the current worker started.
    started: Instant,
    /// Jobs done before it started.
    from: i64,
    /// The most jobs seen done, and when.
    progress: (i64, Instant),
}

async fn noop(_job: Noop) -> Result<(), BoxDynError> {
    Ok(())
}

/// Runs `jobs` no-op jobs through apalis at each concurrency, on a fresh SQLite file each time.
pub async fn run(jobs: usize, concurrencies: &[usize]) -> Result<Vec<EngineFigure>> {
    let mut out = Vec::new();
    for &concurrency in concurrencies {
        let dir = tempfile::tempdir()?;
        let figure = measure(&dir.path().join("apalis.db"), jobs, concurrency).await?;
        out.push(figure);
    }
    Ok(out)
}

async fn measure(path: &std::path::Path, jobs: usize, concurrency: usize) -> Result<EngineFigure> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .busy_timeout(Duration::from_secs(10));
    // The same pool size a hiresync process opens.
    let pool = SqlitePoolOptions::new()
        .max_connections(crate::config::Config::default().max_connections)
        .connect_with(options)
        .await?;
    SqliteStorage::setup(&pool).await.context("apalis migrations")?;
    let config = Config::new("bench::Noop").set_buffer_size(concurrency).set_poll_interval(Duration::from_millis(1));
    let mut storage: SqliteStorage<Noop> = SqliteStorage::new_with_config(pool.clone(), config);
    for i in 0..jobs {
        storage.push(Noop { key: format!("noop:{i}") }).await.context("pushing an apalis job")?;
    }
    // apalis stamps run_at in whole seconds and fetches jobs with run_at < now.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let spawn = |attempt: usize| {
        let worker =
            WorkerBuilder::new(format!("bench-peer-{concurrency}-{attempt}")).backend(storage.clone()).build_fn(noop);
        tokio::spawn(worker.run())
    };
    // apalis's fetch stream ends at its first database error (a busy database under load), and
    // its worker then idles for good: such a worker is replaced, the jobs it held are handed
    // back, and the figure counts only what the last worker did in its own time.
    let stall = Duration::from_secs(5);
    let now = Instant::now();
    let run = RefCell::new(Run { attempt: 0, task: spawn(0), started: now, from: 0, progress: (0, now) });
    // Polled finely: the moment the last job is seen done ends the measured time.
    let every = Duration::from_millis(5);
    let done = eventually_every(&format!("apalis doing {jobs} jobs"), Duration::from_secs(600), every, || async {
        let (done,): (i64,) =
            sqlx::query_as("select count(*) from Jobs where status = 'Done'").fetch_one(&pool).await?;
        if done as usize >= jobs {
            return Ok(Polled::Ready(done));
        }
        let stalled = {
            let mut r = run.borrow_mut();
            if done > r.progress.0 {
                r.progress = (done, Instant::now());
            }
            r.task.is_finished() || r.progress.1.elapsed() > stall
        };
        if stalled {
            run.borrow().task.abort();
            sqlx::query("update Jobs set status = 'Pending', lock_by = null, lock_at = null where status = 'Running'")
                .execute(&pool)
                .await?;
            let mut r = run.borrow_mut();
            r.attempt += 1;
            eprintln!("bench: apalis's worker stopped after {done} jobs; starting another ({})", r.attempt);
            r.task = spawn(r.attempt);
            let now = Instant::now();
            (r.started, r.from, r.progress) = (now, done, (done, now));
        }
        Ok(Polled::Waiting(format!("{done} done")))
    })
    .await;
    let Run { task, started, from, .. } = run.into_inner();
    let secs = started.elapsed().as_secs_f64();
    task.abort();
    let _ = task.await;
    pool.close().await;
    let done = done?;
    let ran = done - from;
    Ok(EngineFigure { concurrency, jobs: ran as u64, seconds: secs, jobs_per_sec: ran as f64 / secs })
}
