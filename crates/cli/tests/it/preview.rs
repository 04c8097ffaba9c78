//! The preview (dry run, API.md "Preview") against the Greenhouse and
//! Teamtailor simulators: what it says a sync would write is what the resync
//! then writes, and the preview itself sends no write to the provider and
//! stores nothing.

use crate::support::*;
use hiresync_core::WorkspaceId;
use hiresync_sim::LoggedRequest;
use hiresync_store::notes::{self, NoteMark};
use hiresync_store::{Store, events};
use hiresync_testkit::{JobCounts, TestApp, counts, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

/// Requests that change something; Greenhouse's OAuth token request reads only.
fn writes(requests: Vec<LoggedRequest>) -> Vec<String> {
    let changing = requests.into_iter().filter(|r| r.method != "GET" && r.path != "/token");
    changing.map(|r| format!("{} {}", r.method, r.path)).collect()
}

/// What the store holds that a sync writes: the contact's sync states and the job counts.
async fn stored(store: &Store, ws: &str, contact: &str) -> (Vec<String>, JobCounts) {
    let mut c = store.db().await.unwrap();
    let states = events::sync_states(&mut c, &WorkspaceId::from_stored(ws.to_owned()), contact).await.unwrap();
    (states.iter().map(|s| format!("{s:?}")).collect(), counts(store).await.unwrap())
}

async fn preview(app: &TestApp, contact: &str, conn: &str) -> Value {
    app.expect("GET", &format!("/v1/contacts/{contact}/preview?connection_id={conn}"), None, 200).await.unwrap()
}

async fn resync(app: &TestApp, conn: &str, contact: &str) {
    let body = json!({"connection_id": conn, "contacts": [contact]});
    let started = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
    let path = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
    let done = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
    assert_eq!(done["synced"], 1, "{done}");
}

fn event(id: &str, kind: &str, minute: u32, subject: &str) -> Value {
    json!({"id": id, "type": kind, "contact": "ada", "sequence": "seq-1",
        "occurred_at": format!("2026-11-22T10:{minute:02}:00Z"),
        "data": {"subject": subject, "body": format!("{kind} {id}"), "step": 1}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_greenhouse_preview_says_what_the_resync_then_writes_and_writes_nothing_itself() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        let (app, conn, ws) = (&s.app, s.connection_id.as_str(), s.workspace_id.as_str());
        let ada = json!({"emails": ["ada@example.com"], "first_name": "Ada", "last_name": "Lovelace",
            "company": "Analytical Engines", "title": "CTO", "sync_tags": ["rust"]});
        app.expect("PUT", "/v1/contacts/ada", Some(&ada), 201).await.unwrap();
        // Stored but not synced (the trigger is off): a sync now would backfill them as notes.
        let history = json!([event("a0", "contact_added", 0, ""), event("a1", "message_sent", 10, "Step 1")]);
        app.expect("POST", "/v1/events", Some(&history), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let before = stored(&db.store, ws, "ada").await;
        s.sim.core().clear_requests();

        let p = preview(app, "ada", conn).await;
        assert_eq!(p["action"], "create", "{}: {p}", db.backend);
        assert_eq!(p["reason"], Value::Null, "{p}");
        assert_eq!(
            (&p["person"]["first_name"], &p["person"]["company"]),
            (&json!("Ada"), &json!("Analytical Engines"))
        );
        assert_eq!(p["person"]["emails"], json!(["ada@example.com"]), "{p}");
        assert_eq!(p["tags"], json!(["rust"]), "{p}");
        assert_eq!(p["notes"], json!([{"type": "message_sent", "subject": "Step 1"}]), "{p}");
        let job = *s.sim.state().jobs.keys().next().unwrap();
        assert_eq!(p["target"]["job_id"], job, "{p}");
        assert_eq!(writes(s.sim.core().requests()), Vec::<String>::new(), "{}: the preview wrote", db.backend);
        assert!(!s.sim.core().requests().is_empty(), "the preview reads Greenhouse");
        assert_eq!(stored(&db.store, ws, "ada").await, before, "{}: the preview stored something", db.backend);
        let mark = notes::mark(&mut db.store.db().await.unwrap(), conn, "a1").await.unwrap();
        assert_eq!(mark, NoteMark::Absent, "the preview started no note in the ledger");

        // The resync writes exactly what the preview said.
        resync(app, conn, "ada").await;
        let state = s.sim.state();
        let made: Vec<_> = state.candidates.with_email("ada@example.com").collect();
        assert_eq!(made.len(), 1, "{}", db.backend);
        let (made, person) = (made[0], &p["person"]);
        assert_eq!(
            (json!(made.first_name), json!(made.last_name)),
            (person["first_name"].clone(), person["last_name"].clone())
        );
        assert_eq!((json!(made.company), json!(made.title)), (person["company"].clone(), person["title"].clone()));
        assert_eq!(json!(made.tags), p["tags"], "{}", db.backend);
        // A prospect (the default, SPEC S11) is considered for the job rather than applied to it.
        let on_job: Vec<_> = state
            .applications
            .values()
            .filter(|a| a.candidate_id == made.id)
            .map(|a| a.job_id.or(a.prospective_job_ids.first().copied()))
            .collect();
        assert_eq!(on_job, [Some(job)], "{}", db.backend);
        let subjects: Vec<_> = state.notes.values().filter(|n| n.candidate_id == Some(made.id)).collect();
        assert_eq!(subjects.len(), 1, "{}: {subjects:?}", db.backend);
        assert!(subjects[0].body.contains("message_sent a1"), "{subjects:?}");
        drop(state);

        // Synced, with nothing waiting: nothing to write.
        let again = preview(app, "ada", conn).await;
        assert_eq!(again["action"], "skip", "{again}");
        assert!(again["reason"].as_str().unwrap().contains("already synced"), "{again}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_links_an_existing_person_skips_without_email_and_refuses_what_the_caller_may_not_use() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        s.sim.app().add_candidate("Grace", "Hopper", "grace@example.com");
        let grace = json!({"emails": ["grace@example.com"], "first_name": "Grace", "last_name": "Hopper",
            "title": "Rear Admiral"});
        app.expect("PUT", "/v1/contacts/grace", Some(&grace), 201).await.unwrap();
        app.expect("PUT", "/v1/contacts/nomail", Some(&json!({"first_name": "No", "last_name": "Mail"})), 201)
            .await
            .unwrap();
        s.sim.core().clear_requests();

        let linked = preview(app, "grace", conn).await;
        assert_eq!(linked["action"], "link", "{}: {linked}", db.backend);
        assert_eq!(linked["person"]["title"], "Rear Admiral", "{linked}");
        let skipped = preview(app, "nomail", conn).await;
        assert_eq!(skipped["action"], "skip", "{skipped}");
        assert!(skipped["reason"].as_str().unwrap().contains("no email"), "{skipped}");
        assert_eq!(skipped["person"], Value::Null, "{skipped}");
        assert_eq!(writes(s.sim.core().requests()), Vec::<String>::new(), "{}", db.backend);

        // The owner's own connection is not a member's to use, as for every route that names it.
        let member =
            app.expect("POST", "/v1/users", Some(&json!({"email": "m@acme.io", "role": "member"})), 201).await.unwrap();
        let member = TestApp::new(&app.url, member["token"].as_str().unwrap());
        let (status, body) =
            member.send("GET", &format!("/v1/contacts/grace/preview?connection_id={conn}"), None).await.unwrap();
        assert_eq!(status, 404, "{body}");
        // An unknown connection, or none, is named.
        for query in ["?connection_id=conn_nope", ""] {
            let (status, body) = app.send("GET", &format!("/v1/contacts/grace/preview{query}"), None).await.unwrap();
            assert_eq!(status, 422, "{query}: {body}");
            assert_eq!(body["errors"][0]["field"], "connection_id", "{body}");
        }
        let (status, body) =
            app.send("GET", &format!("/v1/contacts/nobody/preview?connection_id={conn}"), None).await.unwrap();
        assert_eq!(status, 404, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teamtailor_preview_says_what_the_resync_then_writes_and_writes_nothing_itself() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let (app, conn) = (&tt.app, tt.connection_id.as_str());
        let target = json!({"job_id": tt.job.id.to_string(), "stage_id": tt.job.stage_ids[0].to_string()});
        app.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&json!({"default_target": target})), 200)
            .await
            .unwrap();
        let ada =
            json!({"emails": ["ada@example.com"], "first_name": "Ada", "last_name": "Lovelace", "sync_tags": ["rust"]});
        app.expect("PUT", "/v1/contacts/ada", Some(&ada), 201).await.unwrap();
        tt.sim.app().add_candidate("Grace", "Hopper", "grace@example.com");
        let grace = json!({"emails": ["grace@example.com"], "first_name": "Grace", "last_name": "Hopper"});
        app.expect("PUT", "/v1/contacts/grace", Some(&grace), 201).await.unwrap();
        tt.sim.core().clear_requests();

        let p = preview(app, "ada", conn).await;
        assert_eq!(p["action"], "create", "{}: {p}", db.backend);
        assert_eq!(p["target"], target, "{p}");
        assert_eq!(preview(app, "grace", conn).await["action"], "link");
        assert_eq!(writes(tt.sim.core().requests()), Vec::<String>::new(), "{}", db.backend);
        assert!(tt.sim.state().candidate_by_email("ada@example.com").is_none());

        resync(app, conn, "ada").await;
        let state = tt.sim.state();
        let made = state.candidate_by_email("ada@example.com").unwrap();
        assert_eq!(
            (json!(made.first_name), json!(made.last_name)),
            (p["person"]["first_name"].clone(), p["person"]["last_name"].clone())
        );
        assert_eq!(json!(made.tags), p["tags"], "{}", db.backend);
        let on: Vec<_> = state
            .job_applications
            .values()
            .filter(|a| a.candidate_id == made.id)
            .map(|a| (a.job_id, a.stage_id))
            .collect();
        assert_eq!(on, [(tt.job.id, tt.job.stage_ids[0])], "{}", db.backend);
    }
}
