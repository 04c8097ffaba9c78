//! 10,000 events posted in batches: every event is carried out exactly once, in order per
//! (connection, contact), with 8 concurrent workers; no person is created twice.

use crate::support::*;
use hiresync_testkit::databases;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_events_run_exactly_once_and_in_order_per_contact() {
    for db in databases().await.unwrap() {
        let (contacts, per) = (20, 500);
        let s = setup(&db, &[("HIRESYNC_WORKER_CONCURRENCY", "8")], &json!({"notes_for": []})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        let events = events(contacts, per);
        let started = Instant::now();
        let accepted = post_all(&s.app, &events, 1000).await.unwrap();
        assert_eq!(accepted, 10_000);
        let again = post_all(&s.app, &events[..1000], 1000).await.unwrap();
        assert_eq!(again, 0, "a repeated batch is all duplicates");
        wait_idle(&db.store, Duration::from_secs(600)).await.unwrap();
        eprintln!("{}: 10,000 events ingested and run in {:?}", db.backend, started.elapsed());
        let (_, _, _, dead) = counts(&db.store).await.unwrap();
        assert_eq!(dead, 0, "{}", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        let people = s.sim.state().candidates.len();
        assert_eq!(people, contacts, "{}: one person per contact", db.backend);
        let sync = s.app.expect("GET", "/v1/contacts/c3/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "synced", "{sync}");
        assert_eq!(sync[0]["connection_id"], s.connection_id.as_str());
    }
}
