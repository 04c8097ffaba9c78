//! Figure 7, a peer: the same no-op workload as figure 3 through the apalis
//! job queue with its SQLite storage (apalis-sql 0.7, built on our own sqlx
//! 0.8), at the same concurrencies. apalis is given its best settings: a
//! fetch buffer as large as the concurrency and a 1 ms poll interval (its
//! default, 100 ms between fetches of 10, caps it at 100 jobs/s). The fetch
//! buffer is what bounds its concurrency here: apalis 0.7's concurrency-limit
//! layer can stall for good (a worker marked not ready while at its limit is
//! never polled again), which the first trial runs hit.

use super::report::EngineFigure;
use anyhow::{Context, Result, bail};
use apalis::prelude::*;
use apalis_sql::Config;
use apalis_sql::sqlite::SqliteStorage;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The peer's job: carries a key so its row is the size of ours.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Noop {
    key: String,
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
    let (limit, stall) = (Duration::from_secs(600), Duration::from_secs(5));
    let begun = Instant::now();
    let (mut attempt, mut task) = (0, spawn(0));
    let (mut started, mut from) = (Instant::now(), 0_i64);
    let mut progress = (0, Instant::now());
    let done = loop {
        let (done,): (i64,) =
            sqlx::query_as("select count(*) from Jobs where status = 'Done'").fetch_one(&pool).await?;
        if done as usize >= jobs {
            break done;
        }
        if done > progress.0 {
            progress = (done, Instant::now());
        }
        if begun.elapsed() > limit {
            task.abort();
            pool.close().await;
            bail!("apalis did {done} of {jobs} jobs in {} s", limit.as_secs());
        }
        if task.is_finished() || progress.1.elapsed() > stall {
            task.abort();
            sqlx::query("update Jobs set status = 'Pending', lock_by = null, lock_at = null where status = 'Running'")
                .execute(&pool)
                .await?;
            attempt += 1;
            eprintln!("bench: apalis's worker stopped after {done} jobs; starting another ({attempt})");
            task = spawn(attempt);
            (started, from, progress) = (Instant::now(), done, (done, Instant::now()));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let secs = started.elapsed().as_secs_f64();
    task.abort();
    let _ = task.await;
    pool.close().await;
    let ran = done - from;
    Ok(EngineFigure { concurrency, jobs: ran as u64, seconds: secs, jobs_per_sec: ran as f64 / secs })
}
