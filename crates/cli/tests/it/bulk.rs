//! Bulk work (SPEC R1-R3) against the Greenhouse simulator: resyncs create
//! only contacts never synced and backfill their activity once, in order;
//! imports bring a job's people into a sequence without creating anyone back
//! in Greenhouse; recurring imports reschedule themselves hourly until stopped.

use crate::support::*;
use anyhow::{Result, ensure};
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_sim::{Fault, ScriptedFault};
use hiresync_store::{Store, events, queue};
use hiresync_testkit::{TestApp, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

fn ev(id: &str, kind: &str, contact: &str, minute: u32, data: &Value) -> Value {
    json!({"id": id, "type": kind, "contact": contact, "sequence": "seq-1",
        "occurred_at": format!("2026-11-22T10:{minute:02}:00Z"), "data": data})
}

fn msg(step: u32, body: &str) -> Value {
    json!({"subject": format!("Step {step}"), "body": body, "step": step, "to": "x@example.com", "from": "r@acme.io"})
}

/// Merges `patch` into the connection's resolved settings and saves them.
async fn set(app: &TestApp, conn: &str, patch: &Value) -> Result<()> {
    let path = format!("/v1/connections/{conn}/settings");
    let mut s = app.expect("GET", &path, None, 200).await?;
    for (k, v) in patch.as_object().into_iter().flatten() {
        s[k] = v.clone();
    }
    app.expect("PUT", &path, Some(&s), 200).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resyncing_a_sequence_syncs_only_unsynced_contacts_and_backfills_their_activity_once() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        put_contacts(app, 5).await.unwrap();
        // c0 syncs as usual; then syncing is switched off and c1-c3 join without syncing.
        app.expect("POST", "/v1/events", Some(&json!([ev("c0-add", "contact_added", "c0", 0, &json!({}))])), 202)
            .await
            .unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        set(app, conn, &json!({"trigger": "off"})).await.unwrap();
        // c4 joins while the sequence has syncing disabled (S2): no resync may sync it.
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"sync_disabled": true})), 200).await.unwrap();
        app.expect("POST", "/v1/events", Some(&json!([ev("c4-add", "contact_added", "c4", 0, &json!({}))])), 202)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"sync_disabled": false})), 200).await.unwrap();
        let mut batch = Vec::new();
        for c in ["c0", "c1", "c2", "c3"] {
            batch.push(ev(&format!("{c}-add"), "contact_added", c, 0, &json!({})));
            // Posted out of order: the backfill must follow occurred_at.
            batch.push(ev(&format!("{c}-m2"), "message_sent", c, 20, &msg(2, &format!("{c} second message"))));
            batch.push(ev(&format!("{c}-m1"), "message_sent", c, 10, &msg(1, &format!("{c} first message"))));
            batch.push(ev(&format!("{c}-r1"), "reply_received", c, 30, &msg(1, &format!("{c} first reply"))));
            batch.push(ev(&format!("{c}-r2"), "reply_received", c, 40, &msg(1, &format!("{c} second reply"))));
        }
        app.expect("POST", "/v1/events", Some(&Value::from(batch)), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert_eq!(s.sim.state().candidates.len(), 1, "only c0 synced before the resync");
        let c0 = person_of(app, "c0").await.unwrap();
        let c0_notes = notes_of(&s.sim, c0).len();
        s.sim.core().clear_requests();

        let started = app
            .expect("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "sequence": "seq-1"})), 202)
            .await
            .unwrap();
        let path = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
        let done = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
        assert_eq!(
            (&done["total"], &done["done"], &done["synced"], &done["skipped"], &done["failed"]),
            (&json!(5), &json!(5), &json!(3), &json!(2), &json!(0)),
            "{}: {done}",
            db.backend
        );
        assert_eq!(s.sim.core().requests_to("POST", "/v3/candidates").len(), 3, "{}", db.backend);
        assert_eq!(s.sim.state().candidates.len(), 4);
        for c in ["c1", "c2", "c3"] {
            let notes = notes_of(&s.sim, person_of(app, c).await.unwrap());
            let order: Vec<&str> = ["first message", "second message", "first reply"]
                .into_iter()
                .filter(|w| notes.iter().any(|n| n.contains(&format!("{c} {w}"))))
                .collect();
            assert_eq!(order.len(), 3, "{c}: {notes:?}");
            assert_eq!(notes.len(), 3, "{c}: each message and only the first reply, once: {notes:?}");
            assert!(notes[0].contains("first message") && notes[2].contains("first reply"), "{c}: {notes:?}");
        }
        assert_eq!(s.sim.core().requests_to("POST", "/v3/notes").len(), 9);
        assert_eq!(notes_of(&s.sim, c0).len(), c0_notes, "c0 was already synced: nothing backfilled");
        let items = app.expect("GET", &format!("{path}/contacts"), None, 200).await.unwrap();
        let reason = |c: &str| items.as_array().unwrap().iter().find(|i| i["contact"] == c).unwrap()["reason"].clone();
        assert!(reason("c0").as_str().unwrap().contains("already synced"), "{items}");
        assert!(reason("c4").as_str().unwrap().contains("sync disabled"), "{items}");
        let c4 = app.expect("GET", "/v1/contacts/c4/sync", None, 200).await.unwrap();
        assert_eq!(c4[0]["state"], "skipped", "{c4}");

        // Repeating the resync does nothing twice.
        s.sim.core().clear_requests();
        let again = app
            .expect("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "sequence": "seq-1"})), 202)
            .await
            .unwrap();
        let again = app
            .get_until(&format!("/v1/resyncs/{}", again["id"].as_str().unwrap()), |b| b["state"] == "done")
            .await
            .unwrap();
        assert_eq!((&again["synced"], &again["skipped"]), (&json!(0), &json!(5)), "{again}");
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let writes = s.sim.core().requests().into_iter().filter(|r| r.method != "GET" && r.path != "/token").count();
        assert_eq!(writes, 0, "{}: a repeated resync writes nothing", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resyncing_listed_contacts_counts_skips_and_dead_jobs_until_retried() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        put_contacts(app, 2).await.unwrap();
        app.expect("PUT", "/v1/contacts/no-email", Some(&json!({"first_name": "Nomail"})), 201).await.unwrap();
        let batch = json!([
            ev("a", "contact_added", "c0", 0, &json!({})),
            ev("t", "task_completed", "c0", 5, &json!({"title": "Call Ada", "notes": "Left a voicemail"})),
            ev("m", "message_sent", "c1", 5, &msg(1, "c1 hello"))
        ]);
        app.expect("POST", "/v1/events", Some(&batch), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();

        let body = json!({"connection_id": conn, "contacts": ["c0", "no-email", "c0"]});
        let started = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
        let path = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
        let done = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
        assert_eq!((&done["total"], &done["synced"], &done["skipped"]), (&json!(2), &json!(1), &json!(1)), "{done}");
        let c0 = person_of(app, "c0").await.unwrap();
        let notes = notes_of(&s.sim, c0);
        assert!(notes.len() == 1 && notes[0].contains("Left a voicemail"), "task note backfilled: {notes:?}");
        let items = app.expect("GET", &format!("{path}/contacts"), None, 200).await.unwrap();
        assert!(items.to_string().contains("no email"), "{items}");
        // Pages follow the contact ids: one at a time, then nothing left.
        let first = app.expect("GET", &format!("{path}/contacts?limit=1"), None, 200).await.unwrap();
        assert_eq!(first.as_array().map(Vec::len), Some(1), "{first}");
        let next = format!("{path}/contacts?limit=1&after={}", first[0]["contact"].as_str().unwrap());
        let second = app.expect("GET", &next, None, 200).await.unwrap();
        assert_ne!(second[0]["contact"], first[0]["contact"], "{second}");
        let last = format!("{path}/contacts?after={}", second[0]["contact"].as_str().unwrap());
        assert_eq!(app.expect("GET", &last, None, 200).await.unwrap(), json!([]));
        let bad = app.expect("GET", &format!("{path}/contacts?limit=0"), None, 422).await.unwrap();
        assert_eq!(bad["errors"][0]["field"], "limit", "{bad}");

        // A contact whose job dies after its person was created counts as failed; its retry
        // carries on with that person, writes the note once, and counts it as synced.
        s.sim.core().inject(ScriptedFault {
            fault: Fault::Status { status: 422 },
            count: 1,
            path_prefix: Some("/v3/notes".into()),
            method: Some("POST".into()),
        });
        let started = app
            .expect("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "contacts": ["c1"]})), 202)
            .await
            .unwrap();
        let path = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
        let failed = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
        assert_eq!((&failed["failed"], &failed["synced"]), (&json!(1), &json!(0)), "{failed}");
        let sync = app.expect("GET", "/v1/contacts/c1/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "failed", "{sync}");
        let c1 = person_of(app, "c1").await.unwrap();
        assert!(notes_of(&s.sim, c1).is_empty());
        let dead = app.expect("GET", "/v1/jobs?state=dead", None, 200).await.unwrap();
        let job = dead.as_array().unwrap().iter().find(|j| j["kind"] == "resync_contact_v1").unwrap()["id"].clone();
        app.expect("POST", &format!("/v1/jobs/{job}/retry"), None, 202).await.unwrap();
        let retried = app.get_until(&path, |b| b["failed"] == 0 && b["state"] == "done").await.unwrap();
        assert_eq!((&retried["synced"], &retried["skipped"]), (&json!(1), &json!(0)), "{retried}");
        assert_eq!(s.sim.state().candidates.len(), 2, "{}: c0 and c1, once each", db.backend);
        let notes = notes_of(&s.sim, c1);
        assert!(notes.len() == 1 && notes[0].contains("c1 hello"), "{notes:?}");
        assert_eq!(app.expect("GET", "/v1/contacts/c1/sync", None, 200).await.unwrap()[0]["state"], "synced");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_requests_name_the_field_at_fault_and_hide_other_workspaces() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        put_contacts(app, 1).await.unwrap();
        let job = s.sim.state().jobs.keys().next().copied().unwrap();
        let cases = [
            ("/v1/resyncs", json!({"connection_id": conn}), "contacts"),
            ("/v1/resyncs", json!({"connection_id": conn, "contacts": ["c0"], "sequence": "seq-1"}), "sequence"),
            ("/v1/resyncs", json!({"connection_id": conn, "contacts": ["c0", "ghost"]}), "contacts[1]"),
            ("/v1/resyncs", json!({"connection_id": conn, "contacts": []}), "contacts"),
            ("/v1/resyncs", json!({"connection_id": conn, "sequence": "nope"}), "sequence"),
            ("/v1/resyncs", json!({"connection_id": "conn_01nope", "sequence": "seq-1"}), "connection_id"),
            ("/v1/resyncs", json!({"sequence": "seq-1"}), "connection_id"),
            ("/v1/imports", json!({"connection_id": conn, "target": {"project_id": 1}, "sequence": "seq-1"}), "target"),
            ("/v1/imports", json!({"connection_id": conn, "sequence": "seq-1"}), "target"),
            (
                "/v1/imports",
                json!({"connection_id": conn, "target": {"job_id": job, "stage_id": 1}, "sequence": "x"}),
                "sequence",
            ),
            (
                "/v1/imports",
                json!({"connection_id": conn, "target": {"job_id": job, "stage_id": 1},
                "sequence": "seq-1", "recurring": "hourly"}),
                "recurring",
            ),
            (
                "/v1/imports",
                json!({"connection_id": "conn_01nope", "target": {"job_id": 1, "stage_id": 1},
                "sequence": "seq-1"}),
                "connection_id",
            ),
        ];
        for (path, body, field) in cases {
            let (status, err) = app.send("POST", path, Some(&body)).await.unwrap();
            assert_eq!((status.as_u16(), err["errors"][0]["field"].as_str()), (422, Some(field)), "{body}: {err}");
        }
        let started = app
            .expect("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "contacts": ["c0"]})), 202)
            .await
            .unwrap();
        let resync = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
        assert_eq!(app.send("GET", "/v1/resyncs/rsy_01nope", None).await.unwrap().0, 404);
        assert_eq!(app.send("GET", "/v1/imports/imp_01nope", None).await.unwrap().0, 404);
        assert_eq!(app.send("DELETE", "/v1/imports/imp_01nope", None).await.unwrap().0, 404);
        let doc = app.expect("GET", "/openapi.json", None, 200).await.unwrap();
        for path in ["/v1/resyncs", "/v1/resyncs/{id}", "/v1/imports", "/v1/imports/{id}", "/v1/imports/{id}/contacts"]
        {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from /openapi.json");
        }

        // A target the provider cannot list fails the import with the provider's own reason.
        let pool = s.sim.app().add_prospect_pool("Talent", &["New"]);
        let body = json!({"connection_id": conn, "sequence": "seq-1",
            "target": {"prospect_pool_id": pool.id, "prospect_pool_stage_id": pool.stage_ids[0]}});
        let started = app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let path = format!("/v1/imports/{}", started["id"].as_str().unwrap());
        let failed = app.get_until(&path, |b| b["state"] == "failed").await.unwrap();
        assert!(failed["last_error"].as_str().unwrap().contains("prospect pool"), "{failed}");

        // Another workspace can neither use this one's connection nor read its resync.
        let other = hiresync_testkit::create_workspace(BIN, &db.url, "Other", "owner@other.io").await.unwrap();
        let intruder = TestApp::new(&app.url, other["token"].as_str().unwrap());
        intruder.expect("PUT", "/v1/sequences/seq-1", Some(&json!({})), 201).await.unwrap();
        let (status, body) = intruder
            .send("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "sequence": "seq-1"})))
            .await
            .unwrap();
        assert_eq!(status, 404, "{body}");
        let (status, body) = intruder.send("GET", &resync, None).await.unwrap();
        assert_eq!(status, 404, "{body}");
        assert_eq!(intruder.expect("GET", "/v1/imports", None, 200).await.unwrap(), json!([]));
        // A member cannot use the owner's own connection either.
        let member =
            app.expect("POST", "/v1/users", Some(&json!({"email": "m@acme.io", "role": "member"})), 201).await.unwrap();
        let member = TestApp::new(&app.url, member["token"].as_str().unwrap());
        let (status, _) = member
            .send("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "contacts": ["c0"]})))
            .await
            .unwrap();
        assert_eq!(status, 404);
    }
}

/// `n` candidates with emails on `job`, returning their ids.
fn seed_people(sim: &GreenhouseSim, job: i64, n: usize, tag: &str) -> Vec<i64> {
    (0..n)
        .map(|i| {
            let id = sim.app().add_candidate(&format!("{tag}{i}"), "Imported", &format!("{tag}{i}@example.com"));
            sim.app().add_application(id, job).unwrap();
            id
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_a_job_enrolls_its_people_without_creating_anyone_in_greenhouse() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        // c0 is synced as usual (to the default job) and is also on the job we import.
        put_contacts(app, 1).await.unwrap();
        app.expect("POST", "/v1/events", Some(&json!([ev("a", "contact_added", "c0", 0, &json!({}))])), 202)
            .await
            .unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let c0 = person_of(app, "c0").await.unwrap();
        let job = s.sim.app().add_job("Backend", &["New", "Screen"]);
        s.sim.app().add_application(c0, job.id).unwrap();
        // More than one page (Greenhouse pages hold 100), and one person without an email.
        let people = seed_people(&s.sim, job.id, 101, "imp");
        let nomail = s.sim.app().add_candidate("No", "Mail", "nomail@example.com");
        s.sim.with_state(|st| st.candidates.get_mut(&nomail).unwrap().email_addresses.clear());
        s.sim.app().add_application(nomail, job.id).unwrap();
        s.sim.core().clear_requests();

        let target = json!({"job_id": job.id, "stage_id": job.stage_ids[0]});
        let body = json!({"connection_id": conn, "target": target, "sequence": "seq-1", "recurring": false});
        let started = app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let path = format!("/v1/imports/{}", started["id"].as_str().unwrap());
        let done = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
        assert_eq!(
            (&done["imported"], &done["skipped_no_email"], &done["already_present"], &done["next_run_at"]),
            (&json!(101), &json!(1), &json!(1), &Value::Null),
            "{}: {done}",
            db.backend
        );
        assert!(s.sim.core().requests_to("GET", "/v3/applications").len() >= 2, "followed the cursor");
        let writes = s.sim.core().requests().into_iter().filter(|r| r.method != "GET" && r.path != "/token").count();
        assert_eq!(writes, 0, "an import writes nothing to Greenhouse");

        let listed = app.expect("GET", &format!("{path}/contacts"), None, 200).await.unwrap();
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 102, "imported and already present, not the one without email");
        let first = format!("greenhouse-{}", people[0]);
        let row = listed.iter().find(|r| r["external_id"] == first.as_str()).unwrap();
        assert_eq!((&row["emails"], &row["first_name"]), (&json!(["imp0@example.com"]), &json!("imp0")), "{row}");
        assert!(listed.iter().any(|r| r["external_id"] == "c0" && r["outcome"] == "already_present"));
        let sync = app.expect("GET", &format!("/v1/contacts/{first}/sync"), None, 200).await.unwrap();
        assert_eq!((&sync[0]["state"], &sync[0]["person_id"]), (&json!("synced"), &json!(people[0].to_string())));
        let mut c = db.store.db().await.unwrap();
        let ws = hiresync_core::WorkspaceId::from_stored(s.workspace_id.clone());
        assert!(events::enrollment(&mut c, &ws, &first, "seq-1").await.unwrap().is_some(), "enrolled");
        drop(c);

        // The outreach app adds an imported contact and mails it: a note, never a second candidate.
        let batch = json!([
            ev("i-add", "contact_added", &first, 50, &json!({})),
            ev("i-m1", "message_sent", &first, 51, &msg(1, "hello imported"))
        ]);
        app.expect("POST", "/v1/events", Some(&batch), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert!(s.sim.core().requests_to("POST", "/v3/candidates").is_empty());
        assert!(notes_of(&s.sim, people[0]).iter().any(|n| n.contains("hello imported")));

        // A second import of the same job imports nobody twice.
        let again = app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let again = app
            .get_until(&format!("/v1/imports/{}", again["id"].as_str().unwrap()), |b| b["state"] == "done")
            .await
            .unwrap();
        assert_eq!((&again["imported"], &again["already_present"]), (&json!(0), &json!(102)), "{again}");
        let mut c = db.store.db().await.unwrap();
        let (contacts,): (i64,) =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as("select count(*) from contacts").fetch_one(c).await)
                .unwrap();
        assert_eq!(contacts, 102, "{}: c0 and the 101 imported", db.backend);
    }
}

async fn run_scheduled(store: &Store, import: &str) -> Result<()> {
    let mut c = store.db().await?;
    let n = queue::bring_forward(&mut c, &hiresync_engine::import::ordering_key(import)).await?;
    ensure!(n == 1, "expected one scheduled run, found {n}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recurring_import_runs_hourly_adding_only_new_people_until_stopped() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        let job = s.sim.app().add_job("Backend", &["New"]);
        seed_people(&s.sim, job.id, 3, "a");
        let body = json!({"connection_id": conn, "target": {"job_id": job.id, "stage_id": job.stage_ids[0]},
            "sequence": "seq-1", "recurring": true});
        let started = app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let id = started["id"].as_str().unwrap().to_owned();
        let path = format!("/v1/imports/{id}");
        let first = app.get_until(&path, |b| b["state"] == "scheduled").await.unwrap();
        let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
        let gap = at(&first["next_run_at"]) - at(&first["last_run_at"]);
        assert_eq!(gap.num_minutes(), 60, "{first}");
        assert_eq!((&first["imported"], &first["recurring"], &first["runs"]), (&json!(3), &json!(true), &json!(1)));
        let listed = app.expect("GET", "/v1/imports", None, 200).await.unwrap();
        assert_eq!(listed[0]["next_run_at"], first["next_run_at"], "{listed}");

        // The hour passes (the run is brought forward): only the newcomer is imported.
        seed_people(&s.sim, job.id, 1, "b");
        run_scheduled(&db.store, &id).await.unwrap();
        let second = app.get_until(&path, |b| b["runs"] == 2).await.unwrap();
        assert_eq!((&second["imported"], &second["state"]), (&json!(4), &json!("scheduled")), "{second}");
        assert!(at(&second["next_run_at"]) > at(&first["next_run_at"]));
        let contacts = app.expect("GET", &format!("{path}/contacts"), None, 200).await.unwrap();
        assert_eq!(contacts.as_array().unwrap().len(), 4);

        // Stopped: gone from the list, and the pending run does nothing.
        assert_eq!(app.send("DELETE", &path, None).await.unwrap().0, 204);
        let stopped = app.expect("GET", &path, None, 200).await.unwrap();
        assert_eq!((&stopped["state"], &stopped["next_run_at"]), (&json!("stopped"), &Value::Null));
        assert_eq!(app.expect("GET", "/v1/imports", None, 200).await.unwrap(), json!([]));
        seed_people(&s.sim, job.id, 1, "c");
        run_scheduled(&db.store, &id).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let after = app.expect("GET", &path, None, 200).await.unwrap();
        assert_eq!((&after["imported"], &after["runs"], &after["state"]), (&json!(4), &json!(2), &json!("stopped")));
        let mut c = db.store.db().await.unwrap();
        let (queued,): (i64,) =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as("select count(*) from jobs where state = 'queued'")
                .fetch_one(c)
                .await)
            .unwrap();
        assert_eq!(queued, 0, "{}: nothing scheduled after a stop", db.backend);
    }
}
