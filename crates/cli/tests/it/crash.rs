//! Crash safety: a worker killed with SIGKILL mid-run loses nothing and
//! applies nothing twice once another takes over; on PostgreSQL, several
//! worker processes never run one job at the same time.

use crate::support::*;
use hiresync_store::Backend;
use hiresync_testkit::{JobCounts, Polled, counts, databases, eventually, wait_idle};
use serde_json::json;
use std::time::Duration;

const SHORT_LEASE: [(&str, &str); 2] = [("HIRESYNC_LEASE_SECS", "2"), ("HIRESYNC_WORKER_CONCURRENCY", "8")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_loses_nothing_and_repeats_nothing() {
    for db in databases().await.unwrap() {
        let (contacts, per) = (30, 60);
        let h = harness(&db).env(&SHORT_LEASE);
        let mut s = h.greenhouse(&json!({"notes_for": []})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        post_all(&s.app, &events(contacts, per), 600).await.unwrap();
        // Kill it while people are still being created in Greenhouse and jobs are in flight.
        eventually("jobs in flight after a few done", Duration::from_secs(60), || async {
            let c = counts(&db.store).await?;
            Ok(if c.done >= 5 && c.running > 0 { Polled::Ready(()) } else { Polled::Waiting(c.to_string()) })
        })
        .await
        .unwrap();
        s.server.kill().await.unwrap();
        let JobCounts { queued, running, done, .. } = counts(&db.store).await.unwrap();
        eprintln!("{}: killed with {done} done, {running} running, {queued} queued", db.backend);
        assert!(done < (contacts * per) as i64, "the kill came too late to test anything");
        let mut worker = h.worker().await.unwrap();
        wait_idle(&db.store, Duration::from_secs(300)).await.unwrap();
        assert!(worker.terminate().await.unwrap(), "the worker stops cleanly on SIGTERM");
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_eq!(s.sim.state().candidates.len(), contacts, "{}: no person created twice", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_processes_sharing_postgres_never_run_one_job_twice() {
    for db in databases().await.unwrap().into_iter().filter(|d| d.store.backend() == Backend::Postgres) {
        let (contacts, per) = (40, 50);
        let env = [("HIRESYNC_WORKER_CONCURRENCY", "4")];
        let h = harness(&db).env(&env);
        let s = h.greenhouse(&json!({"notes_for": []})).await.unwrap();
        let mut a = h.worker().await.unwrap();
        let mut b = h.worker().await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        post_all(&s.app, &events(contacts, per), 500).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(300)).await.unwrap();
        assert!(a.terminate().await.unwrap() && b.terminate().await.unwrap());
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}", db.backend);
        // A job run by two workers at once would have been claimed twice.
        let mut c = db.store.db().await.unwrap();
        let (claimed_twice,): (i64,) =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as("select count(*) from jobs where attempts <> 1")
                .fetch_one(c)
                .await)
            .unwrap();
        assert_eq!(claimed_twice, 0);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_eq!(s.sim.state().candidates.len(), contacts);
    }
}
