//! One team cannot stall another (issue 25): a workspace whose Greenhouse
//! answers slowly and allows two requests an hour floods the queue first,
//! and another workspace's event still reaches its own Greenhouse within
//! seconds, while the flood waits without dying.

use crate::support::*;
use hiresync_sim::FaultRates;
use hiresync_testkit::{Polled, TestApp, counts, create_workspace, databases, eventually, sims};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_tightly_limited_team_does_not_hold_back_another_teams_sync() {
    for db in databases().await.unwrap() {
        // Two worker slots, one per connection at most.
        let env = [("HIRESYNC_WORKER_CONCURRENCY", "2"), ("HIRESYNC_CONNECTION_SLOTS", "1")];
        let quiet = harness(&db).env(&env).greenhouse(&json!({})).await.unwrap();
        put_contacts(&quiet.app, 1).await.unwrap();
        post_all(&quiet.app, &events(1, 1), 10).await.unwrap();
        eventually("the quiet team's contact synced", Duration::from_secs(30), || async {
            let n = quiet.sim.state().candidates.len();
            Ok(if n == 1 { Polled::Ready(()) } else { Polled::Waiting(format!("{n} candidates")) })
        })
        .await
        .unwrap();

        let made = create_workspace(BIN, &db.url, "Flood", "owner@flood.example").await.unwrap();
        let flood = TestApp::new(&quiet.app.url, made["token"].as_str().unwrap());
        let slow = sims::greenhouse().await.unwrap();
        slow.core().set_fault_rates(FaultRates { latency_ms: 1000, ..FaultRates::default() });
        let user = slow.app().add_user("Flo", "Flood", "flo@flood.example");
        let job = slow.app().add_job("Anything", &["Review"]);
        let mut body = sims::greenhouse_connection(&slow, user);
        body["rate_limit"] = json!({"requests": 2, "per_seconds": 3600});
        let conn = flood.connect(&body).await.unwrap();
        let settings = json!({"default_target": {"job_id": job.id, "stage_id": job.stage_ids[0]}});
        flood.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&settings), 200).await.unwrap();
        flood.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Flood"})), 201).await.unwrap();
        put_contacts(&flood, 12).await.unwrap();
        post_all(&flood, &events(12, 1), 100).await.unwrap();

        // The flood is queued first; the quiet team's message comes after all of it.
        let message = json!([{"id": "quiet-1", "type": "message_sent", "contact": "c0", "sequence": "seq-1",
            "occurred_at": "2026-12-07T10:00:00Z", "data": {"subject": "Hi", "body": "quiet team's note", "step": 1}}]);
        let sent = Instant::now();
        quiet.app.expect("POST", "/v1/events", Some(&message), 202).await.unwrap();
        eventually("the quiet team's note", Duration::from_secs(20), || async {
            let written = quiet.sim.state().notes.values().any(|n| n.body.contains("quiet team's note"));
            Ok(if written { Polled::Ready(()) } else { Polled::Waiting("no note yet".into()) })
        })
        .await
        .unwrap();
        let took = sent.elapsed();

        // The flood is still waiting for its allowance, not dead and not done.
        let c = counts(&db.store).await.unwrap();
        assert_eq!(c.dead, 0, "{}: waiting is not failing", db.backend);
        assert!(c.queued + c.running >= 10, "{}: the flood was not held back: {c:?}", db.backend);
        let slow_requests: Vec<Value> =
            slow.core().requests().iter().filter(|r| r.path.starts_with("/v3")).map(|r| json!(r.path)).collect();
        assert!(slow_requests.len() <= 2, "{}: the flood kept its own limit: {slow_requests:?}", db.backend);
        eprintln!("{}: the quiet team's note took {took:?} behind the flood", db.backend);
    }
}
