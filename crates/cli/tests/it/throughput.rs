//! 10,000 events posted in batches: every event is carried out exactly once, in order per
//! (connection, contact), with 8 concurrent workers; no person is created twice. Batches
//! posted at once by several of the app's workers, which the server stores together, are
//! each answered for themselves.

use crate::support::*;
use hiresync_testkit::{counts, databases, wait_idle};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_events_run_exactly_once_and_in_order_per_contact() {
    for db in databases().await.unwrap() {
        let (contacts, per) = (20, 500);
        let s = harness(&db)
            .env(&[("HIRESYNC_WORKER_CONCURRENCY", "8")])
            .greenhouse(&json!({"notes_for": []}))
            .await
            .unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        let events = events(contacts, per);
        let started = Instant::now();
        let accepted = post_all(&s.app, &events, 1000).await.unwrap();
        assert_eq!(accepted, 10_000);
        let again = post_all(&s.app, &events[..1000], 1000).await.unwrap();
        assert_eq!(again, 0, "a repeated batch is all duplicates");
        wait_idle(&db.store, Duration::from_secs(600)).await.unwrap();
        eprintln!("{}: 10,000 events ingested and run in {:?}", db.backend, started.elapsed());
        let dead = counts(&db.store).await.unwrap().dead;
        assert_eq!(dead, 0, "{}", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        let people = s.sim.state().candidates.len();
        assert_eq!(people, contacts, "{}: one person per contact", db.backend);
        let sync = s.app.expect("GET", "/v1/contacts/c3/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "synced", "{sync}");
        assert_eq!(sync[0]["connection_id"], s.connection_id.as_str());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_posted_at_once_are_each_answered_and_run_exactly_once() {
    for db in databases().await.unwrap() {
        let (contacts, per) = (20, 100);
        let s = harness(&db).greenhouse(&json!({"notes_for": []})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        let events = events(contacts, per);
        // Contacts are added before anything is said to them.
        assert_eq!(post_all(&s.app, &events[..contacts], contacts).await.unwrap(), contacts as u64);
        let batches: Vec<_> = events[contacts..].chunks(95).collect();
        let lane = |i: usize| {
            let mine: Vec<_> = batches.iter().skip(i).step_by(4).copied().collect();
            let app = &s.app;
            async move {
                let mut accepted = 0;
                for b in mine {
                    accepted += post_all(app, b, b.len()).await.unwrap();
                }
                accepted
            }
        };
        let mut unknown = events[contacts..contacts + 3].to_vec();
        unknown.iter_mut().for_each(|e| e["id"] = json!(format!("{}-unknown", e["id"].as_str().unwrap())));
        unknown[1]["contact"] = json!("nobody");
        let unknown = Value::from(unknown);
        let refused = s.app.send("POST", "/v1/events", Some(&unknown));
        let (a, b, c, d, refused) = tokio::join!(lane(0), lane(1), lane(2), lane(3), refused);
        let (status, body) = refused.unwrap();
        assert_eq!(a + b + c + d, (contacts * (per - 1)) as u64, "{}", db.backend);
        assert_eq!(status, 422, "{}: {body}", db.backend);
        assert!(body.to_string().contains("[1].contact"), "{body}");
        let again = s.app.expect("POST", "/v1/events", Some(&Value::from(events[..50].to_vec())), 202).await.unwrap();
        assert_eq!((again["accepted"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(50)));
        wait_idle(&db.store, Duration::from_secs(600)).await.unwrap();
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}: no dead jobs", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_eq!(s.sim.state().candidates.len(), contacts, "{}: one person per contact", db.backend);
        let mut c = db.store.db().await.unwrap();
        let ws = hiresync_core::WorkspaceId::from_stored(s.workspace_id.clone());
        let stored = hiresync_store::events::get(&mut c, &ws, "e0-1-unknown").await;
        assert!(stored.is_err(), "{}: the refused batch stored nothing", db.backend);
    }
}
