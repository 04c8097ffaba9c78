//! Clockwork resyncs, project imports with hourly recurrence, and the
//! requests one contact costs (issue 5; SPEC R1-R3), driven over HTTP,
//! asserting on the Clockwork simulator's records and request log.

use crate::clockwork::{event, people_with_email, sync_of};
use crate::support::*;
use hiresync_testkit::{Clockwork, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

async fn post(cw: &Clockwork, db: &TestDb, events: Value) {
    cw.app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
    wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
}

fn writes(cw: &Clockwork) -> usize {
    cw.sim.core().requests().into_iter().filter(|r| r.method != "GET").count()
}

fn note_bodies(cw: &Clockwork, person: &str) -> Vec<String> {
    let state = cw.sim.state();
    state.notes.values().filter(|n| n.person_id == person).map(|n| n.content.clone()).collect()
}

fn msg(step: u64, body: &str) -> Value {
    json!({"subject": format!("Step {step}"), "body": body, "step": step})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_resync_syncs_only_never_synced_contacts_and_backfills_their_notes_once() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let (app, conn) = (&cw.app, cw.connection_id.as_str());
        let project = cw.projects[1].clone();
        let settings = json!({"default_target": {"project_id": project}});
        app.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&settings), 200).await.unwrap();
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        put_contacts(app, 3).await.unwrap();
        post(&cw, &db, json!([event("c0-add", "contact_added", "c0", "cfo", &json!({}))])).await;
        // Syncing is switched off; c1 and c2 join and are mailed without reaching Clockwork.
        patch_settings(app, conn, &json!({"trigger": "off"})).await.unwrap();
        let mut batch = Vec::new();
        for c in ["c1", "c2"] {
            batch.push(event(&format!("{c}-add"), "contact_added", c, "cfo", &json!({})));
            batch.push(event(&format!("{c}-m1"), "message_sent", c, "cfo", &msg(1, &format!("{c} hello"))));
            batch.push(event(&format!("{c}-r1"), "reply_received", c, "cfo", &msg(1, &format!("{c} reply"))));
            batch.push(event(&format!("{c}-r2"), "reply_received", c, "cfo", &msg(1, &format!("{c} again"))));
        }
        post(&cw, &db, Value::from(batch)).await;
        assert_eq!(cw.sim.state().people.len(), 1, "only c0 is in Clockwork before the resync");
        let c0 = people_with_email(&cw.sim, "person0@example.com")[0].clone();
        cw.sim.core().clear_requests();

        let body = json!({"connection_id": conn, "contacts": ["c0", "c1", "c2"]});
        let started = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
        let path = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
        let done = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
        assert_eq!(
            (&done["total"], &done["synced"], &done["skipped"], &done["failed"]),
            (&json!(3), &json!(2), &json!(1), &json!(0)),
            "{}: {done}",
            db.backend
        );
        assert_eq!(
            cw.sim
                .core()
                .requests_to("POST", "/v3.0/acme/people")
                .iter()
                .filter(|r| r.path.ends_with("/people"))
                .count(),
            2
        );
        let state = cw.sim.state();
        for c in ["c1", "c2"] {
            let person = people_with_email(&cw.sim, &format!("person{}@example.com", &c[1..]));
            assert_eq!(person.len(), 1, "{c} is created once");
            let notes = note_bodies(&cw, &person[0]);
            assert_eq!(notes.len(), 2, "{c}: the message and the first reply only: {notes:?}");
            assert!(notes[0].contains(&format!("{c} hello")) && notes[1].contains(&format!("{c} reply")));
            assert!(state.candidacies.values().any(|k| k.person_id == person[0] && k.project_id == project));
            assert_eq!(sync_of(app, c).await["state"], "synced");
        }
        assert!(note_bodies(&cw, &c0).is_empty(), "c0 was synced already: nothing backfilled");

        // A second resync finds nothing left to do.
        cw.sim.core().clear_requests();
        let again = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
        let again = app
            .get_until(&format!("/v1/resyncs/{}", again["id"].as_str().unwrap()), |b| b["state"] == "done")
            .await
            .unwrap();
        assert_eq!((&again["synced"], &again["skipped"]), (&json!(0), &json!(3)), "{again}");
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert_eq!(writes(&cw), 0, "{}: a repeated resync writes nothing", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_project_import_enrolls_people_counts_those_without_email_and_recurs_hourly() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let (app, conn) = (&cw.app, cw.connection_id.as_str());
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        // A Pitch project: three people with an email, one without.
        let project = cw.projects[1].clone();
        let seed = |name: &str, email: &str| {
            let id = cw.sim.app().add_person(name, email);
            cw.sim.app().add_candidacy(&id, &project, Some(&cw.statuses[1])).unwrap();
            id
        };
        let people: Vec<String> = (0..3).map(|i| seed(&format!("Person {i}"), &format!("p{i}@example.com"))).collect();
        seed("No Mail", "");
        cw.sim.core().clear_requests();

        let body =
            json!({"connection_id": conn, "target": {"project_id": project}, "sequence": "cfo", "recurring": true});
        let started = app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let id = started["id"].as_str().unwrap().to_owned();
        let path = format!("/v1/imports/{id}");
        let first = app.get_until(&path, |b| b["state"] == "scheduled").await.unwrap();
        assert_eq!(
            (&first["imported"], &first["skipped_no_email"], &first["runs"]),
            (&json!(3), &json!(1), &json!(1)),
            "{}: {first}",
            db.backend
        );
        let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
        assert_eq!((at(&first["next_run_at"]) - at(&first["last_run_at"])).num_minutes(), 60, "{first}");
        assert_eq!(writes(&cw), 0, "an import writes nothing to Clockwork");
        let listed = app.expect("GET", "/v1/imports", None, 200).await.unwrap();
        assert_eq!(listed[0]["id"], id.as_str(), "{listed}");
        let contact = format!("clockwork-{}", people[0]);
        let sync = sync_of(app, &contact).await;
        assert_eq!((&sync["state"], &sync["person_id"]), (&json!("synced"), &json!(people[0])), "{sync}");
        assert_eq!(sync["open_label"], "Open in Clockwork");

        // The hour passes: only the newcomer is imported.
        seed("Newcomer", "new@example.com");
        run_import_now(&db.store, &id).await.unwrap();
        let second = app.get_until(&path, |b| b["runs"] == 2).await.unwrap();
        assert_eq!((&second["imported"], &second["state"]), (&json!(4), &json!("scheduled")), "{second}");
        let contacts = app.expect("GET", &format!("{path}/contacts"), None, 200).await.unwrap();
        assert_eq!(contacts.as_array().unwrap().len(), 4, "{contacts}");

        // Removed: gone from the list, and its pending run does nothing.
        assert_eq!(app.send("DELETE", &path, None).await.unwrap().0, 204);
        assert_eq!(app.expect("GET", "/v1/imports", None, 200).await.unwrap(), json!([]));
        seed("Too Late", "late@example.com");
        run_import_now(&db.store, &id).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let after = app.expect("GET", &path, None, 200).await.unwrap();
        assert_eq!((&after["imported"], &after["state"]), (&json!(4), &json!("stopped")), "{after}");
    }
}

fn is_uuid(seg: &str) -> bool {
    seg.len() == 36 && seg.matches('-').count() == 4
}

/// `(method, path)` of every request the simulator logged, ids replaced by `{id}`.
fn shapes(cw: &Clockwork) -> Vec<String> {
    let path = |p: &str| p.split('/').map(|s| if is_uuid(s) { "{id}" } else { s }).collect::<Vec<_>>().join("/");
    cw.sim.core().requests().into_iter().map(|r| format!("{} {}", r.method, path(&r.path))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_costs_five_requests_to_add_a_contact_one_per_message_and_two_per_reply() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        let settings = json!({"default_target": {"project_id": cw.projects[0], "status_id": cw.statuses[0]},
            "stage_map": {"replied": cw.statuses[2]}});
        app.expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        crate::clockwork::contact(app, "ada", "ada@example.com", "Ada Lovelace").await;
        cw.sim.core().clear_requests();

        let mut costs = Vec::new();
        for (id, kind, data) in [
            ("1", "contact_added", json!({})),
            ("2", "message_sent", msg(1, "Hello Ada")),
            ("3", "reply_received", msg(1, "Tell me more")),
        ] {
            post(&cw, &db, json!([event(id, kind, "ada", "cfo", &data)])).await;
            costs.push((kind, shapes(&cw)));
            cw.sim.core().clear_requests();
        }
        let p = "/v3.0/acme";
        assert_eq!(
            costs[0].1,
            [
                format!("GET {p}/people_search"),
                format!("POST {p}/people"),
                format!("POST {p}/people/{{id}}/email_addresses"),
                format!("POST {p}/people/{{id}}/positions"),
                format!("POST {p}/projects/{{id}}/candidacies"),
            ],
            "added: look up, create, its email, its current role, its candidacy"
        );
        assert_eq!(costs[1].1, [format!("POST {p}/people/{{id}}/notes")], "message: one note");
        assert_eq!(
            costs[2].1,
            [format!("POST {p}/people/{{id}}/notes"), format!("PATCH {p}/candidacies/{{id}}")],
            "reply: its note and the status move"
        );
        let person = people_with_email(&cw.sim, "ada@example.com")[0].clone();
        let candidacy = cw.sim.state().candidacies.into_values().find(|c| c.person_id == person).unwrap();
        assert_eq!(candidacy.status_id.as_deref(), Some(cw.statuses[2].as_str()));
        println!("clockwork requests per contact: {:?}", costs.iter().map(|(k, r)| (k, r.len())).collect::<Vec<_>>());
    }
}
