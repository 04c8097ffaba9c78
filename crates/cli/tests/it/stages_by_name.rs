//! A target's stage given by name (issue 29 item 3; SPEC S4, A5): resolved to
//! the provider's id when a sequence or a connection's default target is
//! saved, for every provider; an unknown name is a 422 listing the stages.

use crate::clockwork::{event, people_with_email};
use crate::support::*;
use hiresync_testkit::{TestApp, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

async fn refused(app: &TestApp, path: &str, body: &Value, field: &str, says: &str) {
    let (status, out) = app.send("PUT", path, Some(body)).await.unwrap();
    assert_eq!((status.as_u16(), out["errors"][0]["field"].as_str()), (422, Some(field)), "{out}");
    assert!(out["errors"][0]["message"].as_str().unwrap().contains(says), "{out}");
}

async fn post(app: &TestApp, db: &TestDb, events: Value) {
    app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
    wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_targets_stage_by_name_is_resolved_and_checked_when_saved_for_every_provider() {
    for db in databases().await.unwrap() {
        // Teamtailor: a sequence's target, by the stage's name in the job's own stages.
        let tt = harness(&db).teamtailor().await.unwrap();
        let target = |stage: &str| json!({"name": "Backend", "target": {"connection_id": tt.connection_id, "job_id": tt.job.id, "stage_id": stage}});
        refused(&tt.app, "/v1/sequences/be", &target("Offer"), "target.stage_id", "Inbox, Phone screen, Interview")
            .await;
        let saved = tt.app.expect("PUT", "/v1/sequences/be", Some(&target("phone SCREEN")), 201).await.unwrap();
        assert_eq!(saved["target"]["stage_id"], json!(tt.job.stage_ids[2]), "{saved}");
        let other_job =
            json!({"name": "x", "target": {"connection_id": tt.connection_id, "job_id": 999_999, "stage_id": "Inbox"}});
        refused(&tt.app, "/v1/sequences/x", &other_job, "target.job_id", "no Teamtailor job").await;
        tt.app.expect("PUT", "/v1/contacts/linus", Some(&json!({"emails": ["linus@example.com"]})), 201).await.unwrap();
        post(
            &tt.app,
            &db,
            json!([{"id": "1", "type": "contact_added", "occurred_at": "2026-11-23T09:00:00Z",
            "contact": "linus", "sequence": "be", "data": {}}]),
        )
        .await;
        let state = tt.sim.state();
        let placed: Vec<i64> = state.job_applications.values().map(|a| a.stage_id).collect();
        assert_eq!(placed, [tt.job.stage_ids[2]], "placed at the stage named");

        // Clockwork: the default target's status, by name.
        let cw = harness(&db).clockwork().await.unwrap();
        let settings = format!("/v1/connections/{}/settings", cw.connection_id);
        let default = |status: &str| json!({"default_target": {"project_id": cw.projects[0], "status_id": status}});
        refused(&cw.app, &settings, &default("Hired"), "default_target.status_id", "Research").await;
        let saved = cw.app.expect("PUT", &settings, Some(&default("pursuing")), 200).await.unwrap();
        let pursuing = &cw.statuses[2];
        assert_eq!(saved["default_target"]["status_id"], json!(pursuing), "{saved}");
        let stored = cw.app.expect("GET", &settings, None, 200).await.unwrap();
        assert_eq!(stored["default_target"]["status_id"], json!(pursuing));
        cw.app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO"})), 201).await.unwrap();
        cw.app
            .expect(
                "PUT",
                "/v1/contacts/ada",
                Some(&json!({"emails": ["ada@example.com"], "first_name": "Ada", "last_name": "L"})),
                201,
            )
            .await
            .unwrap();
        post(&cw.app, &db, json!([event("1", "contact_added", "ada", "cfo", &json!({}))])).await;
        let [ada] = people_with_email(&cw.sim, "ada@example.com").try_into().unwrap();
        let state = cw.sim.state();
        let status: Vec<_> =
            state.candidacies.values().filter(|c| c.person_id == ada).map(|c| c.status_id.clone()).collect();
        assert_eq!(status, [Some(pursuing.clone())]);

        // Greenhouse: a job stage by name.
        let gh = harness(&db).greenhouse(&json!({})).await.unwrap();
        let job = gh.sim.state().jobs.values().next().unwrap().clone();
        let screen = |stage: &str| json!({"name": "Rust", "target": {"connection_id": gh.connection_id, "job_id": job.id, "stage_id": stage}});
        refused(&gh.app, "/v1/sequences/rust", &screen("Offer"), "target.stage_id", "Review, Screen").await;
        let saved = gh.app.expect("PUT", "/v1/sequences/rust", Some(&screen("screen")), 201).await.unwrap();
        assert!(saved["target"]["stage_id"].is_i64(), "stored as Greenhouse's integer id: {saved}");
    }
}
