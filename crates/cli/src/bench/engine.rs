//! Figure 3, engine: no-op jobs per second through the real queue and
//! worker, with no provider work, at 4 and at 32 concurrent workers. Each job
//! is a `NoopV1` that is claimed, run and completed (with its sync-log line,
//! in one transaction) exactly as a sync job is, so what is measured is the
//! queue's own cost per job.

use super::harness::{self, Backend};
use super::report::EngineFigure;
use anyhow::{Context, Result, ensure};
use hiresync_engine::noop::Noop;
use hiresync_engine::{Clients, Executor, JobPayload, Vault, Worker, WorkerConfig};
use hiresync_store::queue::{self, NewJob, PRIORITY_BULK};
use hiresync_store::{Store, now_ms};
use hiresync_testkit::{TEST_MASTER_KEY, TestDb, create_workspace, wait_idle};
use secrecy::SecretString;
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

/// Enqueues `n` no-op jobs, each with its own ordering key, 1000 per transaction.
pub async fn enqueue(store: &Store, workspace: &str, n: usize) -> Result<()> {
    let mut i = 0;
    while i < n {
        let mut tx = store.begin().await?;
        for _ in 0..1000.min(n - i) {
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
            queue::enqueue(&mut tx, &job).await?;
            i += 1;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn last_finished(store: &Store) -> Result<Option<i64>> {
    Ok(store.last_finished().await?)
}
