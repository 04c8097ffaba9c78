//! Greenhouse for a whole team with one key (SPEC C1, issue 29): a workspace
//! connection writes each sequence owner's notes and people as that owner's
//! own Greenhouse user (found by email, or set by an admin), falls back to its
//! own user, and leaves users with their own Greenhouse connection to it, so
//! each note is written once.

use crate::support::harness;
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_testkit::{Started, TestApp, databases, sims, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(120);

fn events(seq: &str, contact: &str, n: usize) -> Vec<Value> {
    let at = "2026-11-23T09:00:00Z";
    let mut v = vec![json!({"id": format!("{contact}-add"), "type": "contact_added", "contact": contact,
        "sequence": seq, "occurred_at": at, "data": {}})];
    for i in 0..n {
        v.push(json!({"id": format!("{contact}-m{i}"), "type": "message_sent", "contact": contact, "sequence": seq,
            "occurred_at": at, "data": {"subject": format!("Hello {i}"), "body": "Hi", "step": i + 1,
            "from": "team@acme.io", "to": format!("{contact}@example.com"), "message_id": format!("{contact}-{i}")}}));
    }
    v
}

async fn user(app: &TestApp, email: &str) -> (String, String) {
    let u = app.expect("POST", "/v1/users", Some(&json!({"email": email, "role": "member"})), 201).await.unwrap();
    (u["id"].as_str().unwrap().to_owned(), u["token"].as_str().unwrap().to_owned())
}

/// The users the notes on the candidate holding `email` are attributed to.
fn note_users(sim: &GreenhouseSim, email: &str) -> Vec<Option<i64>> {
    let state = sim.state();
    let candidate = state.candidates_with_email(email)[0].id;
    state.notes.values().filter(|n| n.candidate_id == Some(candidate)).map(|n| n.user_id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_connection_writes_as_each_owners_own_greenhouse_user() {
    for db in databases().await.unwrap() {
        let Started { server: _server, app, .. } = harness(&db).start().await.unwrap();
        let sim = sims::greenhouse().await.unwrap();
        let robin = sim.app().add_user("Robin", "Recruiter", "robin@acme.io");
        let ada_gh = sim.app().add_user("Ada", "Lovelace", "ada@acme.io");
        // Grace's Greenhouse login is another address: an admin maps her.
        let grace_gh = sim.app().add_user("Grace", "Hopper", "grace.hopper@acme-corp.io");
        let job = sim.app().add_job("Rust Engineer", &["Review", "Screen"]);
        let mut body = sims::greenhouse_connection(&sim, robin);
        body["scope"] = json!("workspace");
        let conn = app.connect(&body).await.unwrap();
        let (ada, ada_token) = user(&app, "ada@acme.io").await;
        let (grace, _) = user(&app, "grace@acme.io").await;
        let (bob, _) = user(&app, "bob@acme.io").await;
        let path = format!("/v1/connections/{conn}/settings");

        // An admin's mapping names a workspace user and an active Greenhouse user, or is refused.
        for (users, field) in [
            (json!({"ada@acme.io": 999}), "acting_users.ada@acme.io"),
            (json!({"nobody@acme.io": ada_gh}), "acting_users.nobody@acme.io"),
            (json!({"ada@acme.io": -1}), "acting_users.ada@acme.io"),
        ] {
            let (status, answer) = app.send("PUT", &path, Some(&json!({"acting_users": users}))).await.unwrap();
            assert_eq!((status.as_u16(), answer["errors"][0]["field"].as_str()), (422, Some(field)), "{answer}");
        }
        let settings = json!({"default_target": {"job_id": job.id, "stage_id": job.stage_ids[0]},
            "acting_users": {grace.clone(): grace_gh}});
        let saved = app.expect("PUT", &path, Some(&settings), 200).await.unwrap();
        assert_eq!(saved["acting_users"], json!({grace.clone(): grace_gh}), "{}", db.backend);

        for (seq, owner) in [("seq-ada", &ada), ("seq-grace", &grace), ("seq-bob", &bob)] {
            let s = json!({"name": seq, "owner": owner});
            app.expect("PUT", &format!("/v1/sequences/{seq}"), Some(&s), 201).await.unwrap();
        }
        for c in ["c-ada", "c-grace", "c-bob"] {
            let person = json!({"emails": [format!("{c}@example.com")], "first_name": "P", "last_name": c});
            app.expect("PUT", &format!("/v1/contacts/{c}"), Some(&person), 201).await.unwrap();
        }
        let mut all = events("seq-ada", "c-ada", 2);
        all.extend(events("seq-grace", "c-grace", 1));
        all.extend(events("seq-bob", "c-bob", 1));
        app.expect("POST", "/v1/events", Some(&Value::from(all)), 202).await.unwrap();
        wait_idle(&db.store, WAIT).await.unwrap();

        // Ada by her email, Grace by the admin's mapping, Bob (no Greenhouse user) as the connection's.
        assert_eq!(note_users(&sim, "c-ada@example.com"), [Some(ada_gh), Some(ada_gh)], "{}", db.backend);
        assert_eq!(note_users(&sim, "c-grace@example.com"), [Some(grace_gh)]);
        assert_eq!(note_users(&sim, "c-bob@example.com"), [Some(robin)]);
        let state = sim.state();
        let mut created: Vec<Option<i64>> =
            state.attributions.iter().filter(|a| a.what == "create candidate").map(|a| a.user_id).collect();
        created.sort_unstable();
        let mut expected = vec![Some(robin), Some(ada_gh), Some(grace_gh)];
        expected.sort_unstable();
        assert_eq!(created, expected, "each prospect is created as its owner's user");
        // Ada's address was looked up once for her two messages and her contact; Grace's never.
        let lookups = |email: &str| {
            let requests = sim.core().requests_to("GET", "/v3/users");
            requests.iter().filter(|r| r.query_param("primary_email").as_deref() == Some(email)).count()
        };
        assert_eq!(lookups("ada@acme.io"), 1);
        assert_eq!(lookups("grace@acme.io"), 0, "the admin's mapping needs no lookup");

        // Ada connects her own Greenhouse: her contacts go through it alone, each note once.
        let ada_app = TestApp::new(&app.url, &ada_token);
        let own = ada_app.connect(&sims::greenhouse_connection(&sim, ada_gh)).await.unwrap();
        let person = json!({"emails": ["c-ada2@example.com"], "first_name": "P", "last_name": "Two"});
        app.expect("PUT", "/v1/contacts/c-ada2", Some(&person), 201).await.unwrap();
        app.expect("POST", "/v1/events", Some(&Value::from(events("seq-ada", "c-ada2", 1))), 202).await.unwrap();
        wait_idle(&db.store, WAIT).await.unwrap();
        assert_eq!(note_users(&sim, "c-ada2@example.com"), [Some(ada_gh)], "written once: {}", db.backend);
        let sync = app.expect("GET", "/v1/contacts/c-ada2/sync", None, 200).await.unwrap();
        let conns: Vec<&str> = sync.as_array().unwrap().iter().filter_map(|s| s["connection_id"].as_str()).collect();
        assert_eq!(conns, [own.as_str()], "{sync}");
    }
}
