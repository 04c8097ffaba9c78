//! Fair claiming: a flood from one workspace does not queue everyone else behind it, and no
//! connection holds more than its slots.

use hiresync_store::queue::{self, NewJob, PRIORITY_BULK, PRIORITY_INTERACTIVE};
use hiresync_store::{Store, now_ms};
use hiresync_testkit::databases;

fn job(workspace: &str, connection: Option<&str>, key: &str, priority: i64) -> NewJob {
    NewJob {
        workspace_id: workspace.into(),
        connection_id: connection.map(str::to_owned),
        contact_id: Some(key.into()),
        ordering_key: format!("{workspace}:{key}"),
        kind: "test_v1".into(),
        payload: "{}".into(),
        priority,
        max_attempts: 3,
        run_at: now_ms(),
    }
}

async fn enqueue_many(store: &Store, jobs: &[NewJob]) {
    let mut c = store.db().await.unwrap();
    queue::enqueue_many(&mut c, jobs).await.unwrap();
}

/// Claims up to `n` jobs and completes them; returns their workspaces in claim order.
async fn serve(store: &Store, n: i64) -> Vec<String> {
    let jobs = store.claim("w", n, 30_000, 100).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let tokens: Vec<(i64, &str)> = jobs.iter().map(|j| (j.id, j.lease_token.as_str())).collect();
    queue::complete_many(&mut tx, &tokens).await.unwrap();
    tx.commit().await.unwrap();
    jobs.into_iter().map(|j| j.workspace_id).collect()
}

#[tokio::test]
async fn a_workspace_arriving_after_a_flood_is_served_next_not_after_it() {
    for db in databases().await.unwrap() {
        let flood: Vec<NewJob> = (0..2000).map(|i| job("ws_flood", None, &format!("c{i}"), PRIORITY_BULK)).collect();
        enqueue_many(&db.store, &flood).await;
        assert_eq!(serve(&db.store, 50).await, vec!["ws_flood"; 50], "{}", db.backend);

        let late: Vec<NewJob> = (0..5).map(|i| job("ws_late", None, &format!("c{i}"), PRIORITY_BULK)).collect();
        enqueue_many(&db.store, &late).await;
        let next = serve(&db.store, 12).await;
        assert_eq!(next.iter().filter(|w| *w == "ws_late").count(), 5, "{}: {next:?}", db.backend);
        // Taking turns: neither workspace waits for all of the other's jobs.
        assert_eq!(next.iter().filter(|w| *w == "ws_flood").count(), 7, "{}: {next:?}", db.backend);

        // A workspace whose own backlog is long waits behind that backlog, not the others' work.
        enqueue_many(&db.store, &[job("ws_flood", None, "again", PRIORITY_BULK)]).await;
        enqueue_many(&db.store, &[job("ws_third", None, "c0", PRIORITY_BULK)]).await;
        let next = serve(&db.store, 3).await;
        assert!(next.contains(&"ws_third".to_owned()), "{}: {next:?}", db.backend);
    }
}

#[tokio::test]
async fn interactive_work_of_a_flooding_workspace_keeps_its_own_lane() {
    for db in databases().await.unwrap() {
        let bulk: Vec<NewJob> = (0..500).map(|i| job("ws_a", None, &format!("b{i}"), PRIORITY_BULK)).collect();
        enqueue_many(&db.store, &bulk).await;
        enqueue_many(&db.store, &[job("ws_b", None, "e0", PRIORITY_INTERACTIVE)]).await;
        enqueue_many(&db.store, &[job("ws_a", None, "e0", PRIORITY_INTERACTIVE)]).await;
        // Both interactive jobs run before any bulk job, whichever workspace flooded the bulk lane.
        let first = db.store.claim("w", 2, 30_000, 100).await.unwrap();
        assert!(first.iter().all(|j| j.contact_id.as_deref() == Some("e0")), "{}: {first:?}", db.backend);
    }
}

#[tokio::test]
async fn no_connection_runs_more_jobs_than_its_slots() {
    for db in databases().await.unwrap() {
        let mut jobs: Vec<NewJob> =
            (0..20).map(|i| job("ws_a", Some("conn_slow"), &format!("c{i}"), PRIORITY_INTERACTIVE)).collect();
        jobs.extend((0..2).map(|i| job("ws_a", Some("conn_other"), &format!("d{i}"), PRIORITY_INTERACTIVE)));
        enqueue_many(&db.store, &jobs).await;

        let claimed = db.store.claim("w", 10, 30_000, 3).await.unwrap();
        let on = |c: &str| claimed.iter().filter(|j| j.connection_id.as_deref() == Some(c)).count();
        assert_eq!((on("conn_slow"), on("conn_other")), (3, 2), "{}", db.backend);
        // Its three slots are taken, by this worker or any other.
        assert!(db.store.claim("other", 10, 30_000, 3).await.unwrap().is_empty(), "{}", db.backend);

        // A finished job frees its slot for the connection's next job.
        let slow = claimed.iter().find(|j| j.connection_id.as_deref() == Some("conn_slow")).unwrap();
        let mut tx = db.store.begin().await.unwrap();
        assert!(queue::complete(&mut tx, slow.id, &slow.lease_token).await.unwrap());
        tx.commit().await.unwrap();
        let next = db.store.claim("w", 10, 30_000, 3).await.unwrap();
        assert_eq!(next.len(), 1, "{}", db.backend);
    }
}

#[tokio::test]
async fn jobs_of_a_dead_worker_do_not_count_against_the_slots() {
    for db in databases().await.unwrap() {
        let jobs: Vec<NewJob> =
            (0..6).map(|i| job("ws_a", Some("conn_x"), &format!("c{i}"), PRIORITY_INTERACTIVE)).collect();
        enqueue_many(&db.store, &jobs).await;
        // A worker that died: its leases have already run out.
        let lost = db.store.claim("crashed", 2, -1, 2).await.unwrap();
        assert_eq!(lost.len(), 2, "{}", db.backend);
        let taken = db.store.claim("alive", 10, 30_000, 2).await.unwrap();
        assert_eq!(taken.len(), 2, "{}: the slots are free again", db.backend);
        assert!(taken.iter().all(|j| lost.iter().any(|l| l.id == j.id)), "{}: the lost jobs go first", db.backend);
    }
}
