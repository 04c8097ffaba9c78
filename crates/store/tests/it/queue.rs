use hiresync_store::queue::{self, NewJob, PRIORITY_BULK, PRIORITY_INTERACTIVE};
use hiresync_store::sync_log::{self, NewLogEntry};
use hiresync_store::{Store, now_ms};
use hiresync_testkit::{Polled, databases, eventually_every};
use std::collections::HashMap;
use std::time::Duration;

fn job(key: &str, priority: i64) -> NewJob {
    NewJob {
        workspace_id: "ws_test".into(),
        connection_id: None,
        contact_id: Some(key.into()),
        ordering_key: key.into(),
        kind: "test_v1".into(),
        payload: "{}".into(),
        priority,
        max_attempts: 3,
        run_at: now_ms(),
    }
}

async fn enqueue(store: &Store, j: &NewJob) -> i64 {
    let mut c = store.db().await.unwrap();
    queue::enqueue(&mut c, j).await.unwrap()
}

/// Runs a job the way the engine does: its effect and its completion in one transaction.
async fn run(store: &Store, j: &queue::ClaimedJob, worker: &str) -> bool {
    let mut tx = store.begin().await.unwrap();
    let entry = NewLogEntry {
        workspace_id: "ws_test",
        connection_id: None,
        contact_id: j.contact_id.as_deref(),
        job_id: Some(j.id),
        operation: "effect",
        outcome: "ok",
        detail: Some(worker),
    };
    sync_log::append(&mut tx, &entry).await.unwrap();
    if queue::complete(&mut tx, j.id, &j.lease_token).await.unwrap() {
        tx.commit().await.unwrap();
        true
    } else {
        tx.rollback().await.unwrap();
        false
    }
}

#[tokio::test]
async fn concurrent_claimers_run_each_job_once_in_key_order() {
    for db in databases().await.unwrap() {
        let keys: Vec<String> = (0..40).map(|k| format!("c{k}")).collect();
        let mut expected: HashMap<String, Vec<i64>> = HashMap::new();
        for i in 0..1200 {
            let key = &keys[i % keys.len()];
            let id = enqueue(&db.store, &job(key, PRIORITY_INTERACTIVE)).await;
            expected.entry(key.clone()).or_default().push(id);
        }
        let workers: Vec<_> = (0..8)
            .map(|w| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    let name = format!("w{w}");
                    // Each worker claims until nothing is left to claim or still running anywhere.
                    let every = Duration::from_millis(5);
                    eventually_every("every job done", Duration::from_secs(120), every, || async {
                        let jobs = store.claim(&name, 4, 30_000, 100).await?;
                        for j in &jobs {
                            assert!(run(&store, j, &name).await);
                        }
                        Ok(if jobs.is_empty() && !store.busy().await? {
                            Polled::Ready(())
                        } else {
                            Polled::Waiting(format!("{} claimed", jobs.len()))
                        })
                    })
                    .await
                    .unwrap();
                })
            })
            .collect();
        for w in workers {
            w.await.unwrap();
        }
        let mut c = db.store.db().await.unwrap();
        for (key, ids) in &expected {
            let log = sync_log::for_contact(&mut c, "ws_test", key).await.unwrap();
            let ran: Vec<i64> = log.iter().filter_map(|e| e.job_id).collect();
            assert_eq!(&ran, ids, "{}: key {key} ran out of order or not exactly once", db.backend);
        }
        assert_eq!(db.store.job_counts().await.unwrap(), vec![("done".to_owned(), 1200)], "{}", db.backend);
    }
}

#[tokio::test]
async fn a_later_job_waits_for_the_earlier_job_of_its_key() {
    for db in databases().await.unwrap() {
        let first = enqueue(&db.store, &job("k", PRIORITY_INTERACTIVE)).await;
        let second = enqueue(&db.store, &job("k", PRIORITY_INTERACTIVE)).await;
        let other = enqueue(&db.store, &job("other", PRIORITY_INTERACTIVE)).await;
        let claimed: Vec<i64> = db.store.claim("w", 10, 30_000, 100).await.unwrap().iter().map(|j| j.id).collect();
        assert_eq!(claimed, vec![first, other], "{}", db.backend);
        assert!(db.store.claim("w", 10, 30_000, 100).await.unwrap().is_empty());
        let _ = second;
    }
}

#[tokio::test]
async fn interactive_work_is_claimed_before_bulk() {
    for db in databases().await.unwrap() {
        for i in 0..5 {
            enqueue(&db.store, &job(&format!("bulk{i}"), PRIORITY_BULK)).await;
        }
        let hot = enqueue(&db.store, &job("hot", PRIORITY_INTERACTIVE)).await;
        let claimed = db.store.claim("w", 1, 30_000, 100).await.unwrap();
        assert_eq!(claimed[0].id, hot, "{}", db.backend);
    }
}

#[tokio::test]
async fn an_expired_lease_is_reclaimed_and_the_old_worker_is_fenced_out() {
    for db in databases().await.unwrap() {
        enqueue(&db.store, &job("k", PRIORITY_INTERACTIVE)).await;
        let stale = db.store.claim("crashed", 1, -1, 100).await.unwrap().remove(0);
        let fresh = db.store.claim("alive", 1, 30_000, 100).await.unwrap().remove(0);
        assert_eq!(stale.id, fresh.id);
        assert_eq!(fresh.attempts, 2);
        assert_ne!(stale.lease_token, fresh.lease_token);
        assert!(!run(&db.store, &stale, "crashed").await, "{}: stale worker completed", db.backend);
        assert!(!db.store.heartbeat(stale.id, &stale.lease_token, 1000).await.unwrap());
        assert!(run(&db.store, &fresh, "alive").await);
        let mut c = db.store.db().await.unwrap();
        let log = sync_log::for_contact(&mut c, "ws_test", "k").await.unwrap();
        assert_eq!(log.len(), 1, "{}: effect applied twice", db.backend);
        assert_eq!(log[0].detail.as_deref(), Some("alive"));
    }
}

#[tokio::test]
async fn failures_back_off_then_die_and_can_be_retried_by_hand() {
    for db in databases().await.unwrap() {
        let id = enqueue(&db.store, &job("k", PRIORITY_INTERACTIVE)).await;
        let j = db.store.claim("w", 1, 30_000, 100).await.unwrap().remove(0);
        assert!(db.store.fail(j.id, &j.lease_token, "503 from provider", Some(now_ms() + 60_000)).await.unwrap());
        assert!(db.store.claim("w", 1, 30_000, 100).await.unwrap().is_empty(), "{}: ran before not-before", db.backend);
        let jobs = db.store.list_jobs("ws_test", Some("queued"), 10).await.unwrap();
        assert_eq!(jobs[0].last_error.as_deref(), Some("503 from provider"));

        // A permanent failure goes straight to dead, keeping the error.
        let id2 = enqueue(&db.store, &job("k2", PRIORITY_INTERACTIVE)).await;
        let j2 = db.store.claim("w", 1, 30_000, 100).await.unwrap().remove(0);
        assert_eq!(j2.id, id2);
        assert!(db.store.fail(j2.id, &j2.lease_token, "422 invalid email", None).await.unwrap());
        let dead = db.store.list_jobs("ws_test", Some("dead"), 10).await.unwrap();
        assert_eq!((dead[0].id, dead[0].last_error.as_deref()), (id2, Some("422 invalid email")));
        let all: Vec<i64> = db.store.list_jobs("ws_test", None, 10).await.unwrap().iter().map(|j| j.id).collect();
        assert_eq!(all, vec![id2, id], "{}: newest first, any state", db.backend);
        assert!(db.store.list_jobs("ws_test", Some("lost"), 10).await.unwrap().is_empty());
        assert!(db.store.retry_job("other_ws", id2).await.is_err(), "another workspace retried it");
        db.store.retry_job("ws_test", id2).await.unwrap();
        let again = db.store.claim("w", 1, 30_000, 100).await.unwrap().remove(0);
        assert_eq!((again.id, again.attempts), (id2, 1), "{}", db.backend);
        let _ = id;
    }
}

#[tokio::test]
async fn released_jobs_do_not_count_an_attempt() {
    for db in databases().await.unwrap() {
        for k in ["k1", "k2", "k3"] {
            enqueue(&db.store, &job(k, PRIORITY_INTERACTIVE)).await;
        }
        let held = db.store.claim("w", 3, 30_000, 100).await.unwrap();
        let (mine, other) = (&held[0], &held[1]);
        let leases = [(mine.id, mine.lease_token.as_str()), (other.id, mine.lease_token.as_str())];
        assert_eq!(
            db.store.release(&leases).await.unwrap(),
            vec![mine.id],
            "{}: a token frees its own job only",
            db.backend
        );
        let again = db.store.claim("w", 3, 30_000, 100).await.unwrap();
        assert_eq!(again.iter().map(|j| (j.id, j.attempts)).collect::<Vec<_>>(), vec![(mine.id, 1)], "{}", db.backend);
    }
}

#[tokio::test]
async fn a_claim_plans_without_sorts_and_leaves_other_transactions_as_they_were() {
    for db in databases().await.unwrap() {
        for i in 0..3 {
            enqueue(&db.store, &job(&format!("k{i}"), PRIORITY_INTERACTIVE)).await;
        }
        let is_postgres = db.store.backend() == hiresync_store::Backend::Postgres;
        let mut turn = db.store.begin_turn().await.unwrap();
        if is_postgres {
            assert_eq!(sorts(&mut turn).await, "off", "a turn plans without sorts from its start");
        }
        assert_eq!(queue::claim(&mut turn, "w", 1, 30_000, 100).await.unwrap().len(), 1, "{}", db.backend);
        turn.commit().await.unwrap();
        let mut plain = db.store.begin().await.unwrap();
        assert_eq!(queue::claim(&mut plain, "w", 1, 30_000, 100).await.unwrap().len(), 1, "{}", db.backend);
        if is_postgres {
            assert_eq!(sorts(&mut plain).await, "on", "a claim in another transaction puts the setting back");
        }
        plain.commit().await.unwrap();
    }
}

/// PostgreSQL's `enable_sort` as the transaction sees it.
async fn sorts(tx: &mut hiresync_store::Tx) -> String {
    let (v,): (String,) =
        hiresync_store::with_raw!(tx, |c| sqlx::query_as("show enable_sort").fetch_one(c).await).unwrap();
    v
}

#[tokio::test]
async fn an_idle_worker_looks_again_when_a_running_jobs_lease_ends() {
    for db in databases().await.unwrap() {
        assert_eq!(db.store.next_due().await.unwrap(), None, "{}", db.backend);
        let later = now_ms() + 3_600_000;
        enqueue(&db.store, &NewJob { run_at: later, ..job("later", PRIORITY_BULK) }).await;
        assert_eq!(db.store.next_due().await.unwrap(), Some(later), "{}", db.backend);
        enqueue(&db.store, &job("now", PRIORITY_BULK)).await;
        let before = now_ms();
        let claimed = db.store.claim("w", 10, 60_000, 100).await.unwrap();
        assert_eq!(claimed.len(), 1, "{}", db.backend);
        // The claimer may die: its job is claimable again when the lease ends, long before `later`.
        let due = db.store.next_due().await.unwrap().unwrap();
        assert!((before + 60_000..=now_ms() + 60_000).contains(&due), "{}: due {due}", db.backend);
    }
}
