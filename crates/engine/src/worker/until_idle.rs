//! Running the queue dry and stopping, for tests and the CLI: claim, run
//! every claimed job, record them with the next claim, until a claim comes
//! back empty.

use super::Worker;
use super::serve::Leases;
use super::slots::Running;
use hiresync_store::StoreError;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

impl Worker {
    /// Runs claimable jobs until none is left; returns how many ran (tests, CLI).
    pub async fn run_until_idle(&self) -> Result<usize, StoreError> {
        let leases: Leases = Arc::default();
        let (done, mut finished_rx) = mpsc::unbounded_channel();
        let running = Running::default();
        let mut finished = Vec::new();
        let mut ran = 0;
        loop {
            let jobs = self.trip(std::mem::take(&mut finished), self.config.concurrency, &leases).await;
            if jobs.is_empty() {
                return Ok(ran);
            }
            ran += jobs.len();
            let mut set = JoinSet::new();
            for job in jobs {
                self.spawn(&mut set, running.take(), &leases, &done, job);
            }
            while set.join_next().await.is_some() {}
            while let Ok(f) = finished_rx.try_recv() {
                finished.push(f);
            }
        }
    }
}
