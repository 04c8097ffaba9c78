//! One trip to the queue: the jobs finished since the last trip are recorded
//! and the next ones claimed, in one transaction (see [`super::completion`]).

use super::Worker;
use super::completion;
use super::serve::{Leases, lock};
use super::settle::settle;
use crate::job::{JobError, Record};
use hiresync_store::StoreError;
use hiresync_store::queue::{self, ClaimedJob};

impl Worker {
    /// One trip to the queue: records the finished jobs and claims up to `want` more, in one
    /// transaction. When that fails, each job is recorded on its own, so one job's bad write
    /// fails that job alone, and the claim is tried by itself.
    pub(super) async fn trip(&self, finished: Vec<Record>, want: usize, leases: &Leases) -> Vec<ClaimedJob> {
        let store = self.executor.store();
        let (name, want, lease) = (&self.config.name, i64::try_from(want).unwrap_or(i64::MAX), self.lease_ms());
        let slots = i64::try_from(self.config.connection_slots.max(1)).unwrap_or(i64::MAX);
        let together = async {
            let mut tx = store.begin_turn().await?;
            let done = completion::record(&mut tx, &finished).await?;
            let jobs = queue::claim(&mut tx, name, want, lease, slots).await?;
            tx.commit().await?;
            Ok::<_, StoreError>((done, jobs))
        };
        let jobs = match together.await {
            Ok((done, jobs)) => {
                for f in &finished {
                    self.recorded(f, Ok(done.contains(&f.job.id)), leases).await;
                }
                jobs
            }
            Err(e) => {
                tracing::warn!(error = %e, jobs = finished.len(), "Recording jobs and claiming more failed; one at a time.");
                for f in &finished {
                    self.recorded(f, completion::record_alone(store, f).await, leases).await;
                }
                if want == 0 {
                    return Vec::new();
                }
                store.claim(name, want, lease, slots).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "Claiming jobs failed; retrying.");
                    Vec::new()
                })
            }
        };
        lock(leases).extend(jobs.iter().map(|j| (j.id, j.lease_token.clone())));
        jobs
    }

    /// Lets go of a recorded job's lease, and settles a job whose record failed.
    async fn recorded(&self, f: &Record, result: Result<bool, StoreError>, leases: &Leases) {
        match result {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job_id = f.job.id, "Lease lost to another worker; its result stands."),
            Err(e) => settle(self.executor.store(), &f.job, &JobError::Store(e), &self.config).await,
        }
        lock(leases).remove(&f.job.id);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{claimed, jobs_in, logged, to_record, worker};
    use super::*;
    use crate::job::Effect;
    use hiresync_core::{ContractId, WorkspaceId};
    use hiresync_store::contracts::ContractRecord;
    use hiresync_testkit::databases;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_job_whose_write_fails_fails_alone_and_the_rest_complete() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 12).await;
            let bad = &jobs[5];
            // A contract that does not exist: recording it fails.
            let missing = ContractRecord {
                id: ContractId::from_stored("ctr_missing".into()),
                workspace_id: WorkspaceId::from_stored("ws_test".into()),
                oneflow_connection_id: "cn_of".into(),
                teamtailor_connection_id: "cn_tt".into(),
                contract_id: 1,
                candidate: "1".into(),
                oneflow_workspace_id: 1,
                template_id: 1,
                name: None,
                url: String::new(),
                field_map: Vec::new(),
                synced: std::collections::BTreeMap::new(),
                state: "draft".into(),
                upload_id: None,
                attached_at: None,
                created_at: 0,
                updated_at: 0,
            };
            let all: Vec<Record> = jobs
                .iter()
                .map(|j| {
                    to_record(j, if j.id == bad.id { vec![Effect::Contract(missing.clone())] } else { Vec::new() })
                })
                .collect();
            let w = worker(store);
            let leases: Leases = Arc::default();
            lock(&leases).extend(jobs.iter().map(|j| (j.id, j.lease_token.clone())));
            let next = w.trip(all, 0, &leases).await;
            assert!(next.is_empty());
            assert!(lock(&leases).is_empty(), "{}: every lease was let go", db.backend);
            assert_eq!(jobs_in(store, "done").await, 11, "{}", db.backend);
            assert_eq!(jobs_in(store, "queued").await, 1, "{}: the failed job waits for its retry", db.backend);
            let others: Vec<ClaimedJob> = jobs.iter().filter(|j| j.id != bad.id).cloned().collect();
            assert_eq!(logged(store, &others).await, 11, "{}", db.backend);
        }
    }
}
