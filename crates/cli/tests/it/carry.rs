//! A contact's decisions are carried out in order by one job at a time; one
//! that fails for good is split off as a dead job of its own, the rest go on,
//! and retrying the dead one writes what it missed.

use crate::support::*;
use hiresync_sim::{Fault, ScriptedFault};
use hiresync_testkit::{databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

fn sent(id: &str, minute: u32, body: &str) -> Value {
    json!({"id": id, "type": "message_sent", "contact": "c0", "sequence": "seq-1",
        "occurred_at": format!("2026-11-22T10:{minute:02}:00Z"),
        "data": {"subject": body, "body": body, "step": minute, "to": "person0@example.com", "from": "r@acme.io"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_that_fails_for_good_is_split_off_and_the_rest_go_on() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "on_add"})).await.unwrap();
        let app = &s.app;
        put_contacts(app, 1).await.unwrap();
        let added = json!({"id": "a", "type": "contact_added", "contact": "c0", "sequence": "seq-1",
            "occurred_at": "2026-11-22T10:00:00Z", "data": {}});
        app.expect("POST", "/v1/events", Some(&json!([added])), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let person = person_of(app, "c0").await.unwrap();

        // Greenhouse refuses the first of three notes for good.
        s.sim.core().inject(ScriptedFault {
            fault: Fault::Status { status: 422 },
            count: 1,
            path_prefix: Some("/v3/notes".into()),
            method: Some("POST".into()),
        });
        let batch = json!([sent("m1", 1, "first"), sent("m2", 2, "second"), sent("m3", 3, "third")]);
        app.expect("POST", "/v1/events", Some(&batch), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let notes = notes_of(&s.sim, person);
        assert!(notes.len() == 2 && notes[0].contains("second") && notes[1].contains("third"), "{notes:?}");
        let dead = app.expect("GET", "/v1/jobs?state=dead", None, 200).await.unwrap();
        let dead = dead.as_array().unwrap();
        assert_eq!(dead.len(), 1, "{}: {dead:?}", db.backend);
        assert_eq!((&dead[0]["kind"], &dead[0]["contact"]), (&json!("sync_event_v1"), &json!("c0")), "{dead:?}");
        let sync = app.expect("GET", "/v1/contacts/c0/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "synced", "a note that failed does not unlink the person: {sync}");
        let log = app.expect("GET", "/v1/contacts/c0/log", None, 200).await.unwrap();
        let failed: Vec<&Value> = log.as_array().unwrap().iter().filter(|l| l["outcome"] == "failed").collect();
        assert!(failed.iter().any(|l| l["job_id"] == dead[0]["id"]), "the failure names the job to retry: {log}");

        app.expect("POST", &format!("/v1/jobs/{}/retry", dead[0]["id"]), None, 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let notes = notes_of(&s.sim, person);
        assert_eq!(notes.len(), 3, "{}: {notes:?}", db.backend);
        assert!(notes[2].contains("first"), "the retried note comes last: {notes:?}");
        assert!(app.expect("GET", "/v1/jobs?state=dead", None, 200).await.unwrap().as_array().unwrap().is_empty());
        assert_eq!(s.sim.state().candidates.len(), 1, "{}", db.backend);
    }
}
