//! Figure 3, engine: no-op jobs per second through the real queue and
//! worker, with no provider work, at 4 and at 32 concurrent workers. Each job
//! is a `NoopV1` that is claimed, run and completed (with its sync-log line,
//! in one transaction) exactly as a sync job is, so what is measured is the
//! queue's own cost per job.
//!
//! The cluster figure drains the same jobs with 1, 2 or 4 `hiresync worker`
//! processes on one PostgreSQL database: all listening before the jobs are
//! committed in one transaction, timed from that commit to the last job's
//! completion.

use super::harness::{self, Backend};
use super::report::{ClusterEngineFigure, EngineFigure};
use anyhow::{Context, Result, ensure};
use hiresync_engine::noop::Noop;
use hiresync_engine::{Clients, Executor, JobPayload, Vault, Worker, WorkerConfig};
use hiresync_store::queue::{self, NewJob, PRIORITY_BULK};
use hiresync_store::{Store, Tx, now_ms};
use hiresync_testkit::{Harness, TEST_MASTER_KEY, TestDb, create_workspace, wait_idle};
use secrecy::SecretString;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Runs `jobs` no-op jobs at each concurrency on a fresh database.
pub async fn run(backend: &Backend, jobs: usize, concurrencies: &[usize]) -> Result<Vec<EngineFigure>> {
    let mut out = Vec::new();
    for &concurrency in concurrencies {
        let db = backend.fresh().await?;
        out.push(measure(&db, jobs, concurrency).await?);
    }
    Ok(out)
}

async fn measure(db: &TestDb, jobs: usize, concurrency: usize) -> Result<EngineFigure> {
    let ws = create_workspace(harness::exe()?, &db.url, "Bench", "owner@bench.example").await?;
    let workspace = ws["workspace_id"].as_str().context("no workspace id")?.to_owned();
    // The pool a `hiresync serve` process opens.
    let store = Store::connect(&db.url, crate::config::Config::default().max_connections).await?;
    enqueue(&store, &workspace, jobs).await?;
    let vault = Vault::from_base64(&SecretString::from(TEST_MASTER_KEY.to_owned()))?;
    let worker = Worker::new(
        Executor::new(store.clone(), Clients::new(Arc::new(vault))),
        WorkerConfig { name: "bench".into(), concurrency, ..WorkerConfig::default() },
    );
    let shutdown = CancellationToken::new();
    let started_ms = now_ms();
    let task = {
        let (worker, token) = (worker.clone(), shutdown.clone());
        tokio::spawn(async move { worker.serve(token).await })
    };
    let c = wait_idle(&store, Duration::from_secs(600)).await?;
    ensure!(c.dead == 0 && c.done as usize == jobs, "{} of {jobs} no-op jobs done, {} dead", c.done, c.dead);
    let done = c.done;
    shutdown.cancel();
    task.await.context("the bench worker")?;
    // The last completion's own timestamp, so the polling interval does not count.
    let last = last_finished(&store).await?.unwrap_or_else(now_ms);
    store.close().await;
    let secs = ((last - started_ms).max(1) as f64) / 1000.0;
    Ok(EngineFigure { concurrency, jobs: done as u64, seconds: secs, jobs_per_sec: done as f64 / secs })
}

/// Jobs each `hiresync worker` process runs at once in the cluster figure: the product's default.
pub const CLUSTER_CONCURRENCY: usize = 8;

/// Drains `jobs` no-op jobs with each count of `hiresync worker` processes, on a fresh
/// PostgreSQL database each time.
pub async fn run_cluster(backend: &Backend, jobs: usize, workers: &[usize]) -> Result<Vec<ClusterEngineFigure>> {
    let mut out = Vec::new();
    for &n in workers {
        let db = backend.fresh().await?;
        let figure = measure_cluster(&db, jobs, n).await;
        db.store.close().await;
        out.push(figure?);
    }
    Ok(out)
}

async fn measure_cluster(db: &TestDb, jobs: usize, workers: usize) -> Result<ClusterEngineFigure> {
    let ws = create_workspace(harness::exe()?, &db.url, "Bench", "owner@bench.example").await?;
    let workspace = ws["workspace_id"].as_str().context("no workspace id")?.to_owned();
    let concurrency = CLUSTER_CONCURRENCY.to_string();
    let harness = Harness::new(harness::exe()?, db).env(&[
        ("HIRESYNC_LOG", "warn"),
        ("HIRESYNC_WORKER_CONCURRENCY", &concurrency),
        ("HIRESYNC_MAX_CONNECTIONS", super::quota::CLUSTER_MAX_CONNECTIONS),
    ]);
    let mut processes = Vec::new();
    for _ in 0..workers {
        processes.push(harness.worker().await?);
    }
    let drained = async {
        harness::listening(&db.store, workers).await?;
        // One transaction: every worker is woken by the same commit and finds all the jobs.
        let mut tx = db.store.begin().await?;
        enqueue_in(&mut tx, &workspace, 0..jobs).await?;
        let started_ms = now_ms();
        tx.commit().await?;
        let c = wait_idle(&db.store, Duration::from_secs(600)).await?;
        ensure!(c.dead == 0 && c.done as usize == jobs, "{} of {jobs} no-op jobs done, {} dead", c.done, c.dead);
        let last = last_finished(&db.store).await?.unwrap_or_else(now_ms);
        Ok((c.done, ((last - started_ms).max(1) as f64) / 1000.0))
    }
    .await;
    for process in processes {
        process.stop().await;
    }
    let (done, secs) = drained?;
    Ok(ClusterEngineFigure {
        workers,
        concurrency: CLUSTER_CONCURRENCY,
        jobs: done as u64,
        seconds: secs,
        jobs_per_sec: done as f64 / secs,
    })
}

/// Enqueues `n` no-op jobs, each with its own ordering key, 1000 per transaction.
pub async fn enqueue(store: &Store, workspace: &str, n: usize) -> Result<()> {
    let mut i = 0;
    while i < n {
        let end = (i + 1000).min(n);
        let mut tx = store.begin().await?;
        enqueue_in(&mut tx, workspace, i..end).await?;
        tx.commit().await?;
        i = end;
    }
    Ok(())
}

/// Enqueues no-op jobs `noop:I` for each I in `keys` in `tx`.
async fn enqueue_in(tx: &mut Tx, workspace: &str, keys: Range<usize>) -> Result<()> {
    for i in keys {
        let payload = JobPayload::NoopV1(Noop { key: format!("noop:{i}") });
        let job = NewJob {
            workspace_id: workspace.to_owned(),
            connection_id: None,
            contact_id: None,
            ordering_key: payload.ordering_key(),
            kind: payload.kind().to_owned(),
            payload: serde_json::to_string(&payload)?,
            priority: PRIORITY_BULK,
            max_attempts: 3,
            run_at: now_ms(),
        };
        queue::enqueue(tx, &job).await?;
    }
    Ok(())
}

async fn last_finished(store: &Store) -> Result<Option<i64>> {
    Ok(store.last_finished().await?)
}
