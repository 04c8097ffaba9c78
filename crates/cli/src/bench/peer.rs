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
        let figure = match measure(&dir.path().join("apalis.db"), jobs, concurrency).await {
            Ok(figure) => figure,
            // Seen once on a loaded machine: apalis's worker stopped fetching and never resumed.
            // A stalled run says nothing about its speed; a fresh one does.
            Err(e) => {
                eprintln!("bench: the apalis peer failed ({e:#}); running it once more");
                let dir = tempfile::tempdir()?;
                measure(&dir.path().join("apalis.db"), jobs, concurrency).await?
            }
        };
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
    let worker = WorkerBuilder::new(format!("bench-peer-{concurrency}")).backend(storage).build_fn(noop);
    let started = Instant::now();
    let task = tokio::spawn(worker.run());
    let (limit, stall) = (Duration::from_secs(600), Duration::from_secs(60));
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
        let stopped = task.is_finished() || progress.1.elapsed() > stall;
        if stopped || started.elapsed() > limit {
            task.abort();
            pool.close().await;
            bail!(
                "apalis did {done} of {jobs} jobs in {:.0} s and stopped making progress",
                started.elapsed().as_secs_f64()
            );
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let secs = started.elapsed().as_secs_f64();
    task.abort();
    let _ = task.await;
    pool.close().await;
    Ok(EngineFigure { concurrency, jobs: done as u64, seconds: secs, jobs_per_sec: done as f64 / secs })
}
