//! Clockwork Recruiting through the same engine as Greenhouse (issue 5, seeds
//! 000-002), driven over HTTP as the outreach app would, asserting on the
//! Clockwork simulator's state.

use crate::support::*;
use hiresync_sim::clockwork::ClockworkSim;
use hiresync_testkit::sims::clockwork_connection as connection;
use hiresync_testkit::{TestApp, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) fn people_with_email(sim: &ClockworkSim, email: &str) -> Vec<String> {
    sim.state().emails.values().filter(|e| e.address.eq_ignore_ascii_case(email)).map(|e| e.person_id.clone()).collect()
}

pub(crate) fn event(id: &str, kind: &str, contact: &str, sequence: &str, data: &Value) -> Value {
    json!({"id": id, "type": kind, "occurred_at": "2026-11-23T09:00:00Z", "contact": contact, "sequence": sequence,
        "data": data})
}

pub(crate) async fn contact(app: &TestApp, id: &str, email: &str, name: &str) {
    let (first, last) = name.split_once(' ').unwrap();
    let body = json!({"emails": [email], "first_name": first, "last_name": last, "title": "CFO", "company": "Acme"});
    app.expect("PUT", &format!("/v1/contacts/{id}"), Some(&body), 201).await.unwrap();
}

pub(crate) async fn sync_of(app: &TestApp, contact: &str) -> Value {
    app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await.unwrap()[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_connects_live_and_offers_only_open_projects() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let (status, body) =
            cw.app.send("POST", "/v1/connections", Some(&connection(&cw.sim, "cw-key", "wrong"))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("credentials")), "{body}");

        let targets =
            cw.app.expect("GET", &format!("/v1/connections/{}/targets", cw.connection_id), None, 200).await.unwrap();
        let names: Vec<&str> = targets.as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
        assert!(names.contains(&"CFO, Analytical Engines") && names.contains(&"VP Finance, Difference Inc."));
        assert!(names.contains(&"Board Advisor"), "On Hold projects can be synced to: {names:?}");
        assert!(!names.contains(&"Treasurer (filled)"), "closed projects are not offered: {names:?}");
        assert_eq!(targets[0]["stages"].as_array().unwrap().len(), cw.statuses.len());

        // The firm's email-to-note BCC address is kept on the settings and handed back.
        let settings = format!("/v1/connections/{}/settings", cw.connection_id);
        let bcc = "firm-4711@pendulum.clockworkrecruiting.com";
        let saved = cw.app.expect("PUT", &settings, Some(&json!({"bcc_address": bcc})), 200).await.unwrap();
        assert_eq!(saved["bcc_address"], bcc);
        assert_eq!(cw.app.expect("GET", &settings, None, 200).await.unwrap()["bcc_address"], bcc);

        let path = format!("/v1/connections/{}", cw.connection_id);
        cw.app.expect("DELETE", &path, None, 204).await.unwrap();
        assert_eq!(cw.app.send("GET", &path, None).await.unwrap().0, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_people_land_in_their_project_linked_not_duplicated_with_notes_and_status() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        let [cfo, vp, _, _] = cw.projects.clone();
        // A status is named as users see it; the firm's statuses are one id per name, so it is stored as that id.
        let settings = json!({
            "default_target": {"project_id": cfo, "status_id": cw.statuses[0]},
            "dedup_warning": true,
            "stage_map": {"replied": "pursuing"},
        });
        let saved = app
            .expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        assert_eq!(saved["stage_map"]["replied"], cw.statuses[2].as_str(), "{saved}");
        let unknown = json!({"stage_map": {"replied": "Hired!"}});
        let path = format!("/v1/connections/{}/settings", cw.connection_id);
        let refused = app.expect("PUT", &path, Some(&unknown), 422).await.unwrap();
        assert_eq!(refused["errors"][0]["field"], "stage_map.replied", "{refused}");
        let kept = app.expect("GET", &path, None, 200).await.unwrap();
        assert_eq!(kept["stage_map"]["replied"], cw.statuses[2].as_str(), "a refused save changes nothing");
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        let custom = json!({"name": "VP search", "target": {"connection_id": cw.connection_id, "project_id": vp}});
        let seq = app.expect("PUT", "/v1/sequences/vp", Some(&custom), 201).await.unwrap();
        assert_eq!(seq["indicators"], json!(["custom_sync"]));
        let quiet = json!({"name": "Quiet", "sync_disabled": true});
        let off = app.expect("PUT", "/v1/sequences/off", Some(&quiet), 201).await.unwrap();
        assert_eq!(off["indicators"], json!(["sync_disabled"]));

        let charles = cw.sim.app().add_person("Charles Babbage", "charles@example.com");
        contact(app, "ada", "ada@example.com", "Ada Lovelace").await;
        contact(app, "charles", "charles@example.com", "Charles Babbage").await;
        contact(app, "charles-other", "babbage@engines.example", "Charles Babbage").await;
        contact(app, "mary", "mary@example.com", "Mary Somerville").await;
        contact(app, "alan", "alan@example.com", "Alan Turing").await;
        let events = json!([
            event("1", "contact_added", "ada", "cfo", &json!({})),
            event("2", "contact_added", "charles", "cfo", &json!({})),
            event("3", "contact_added", "charles-other", "cfo", &json!({})),
            event("4", "contact_added", "mary", "vp", &json!({})),
            event("5", "contact_added", "alan", "off", &json!({})),
            event("6", "message_sent", "ada", "cfo", &json!({"subject": "CFO role", "body": "Hello Ada", "step": 1})),
            event("7", "reply_received", "ada", "cfo", &json!({"subject": "Re: CFO role", "body": "Tell me more"})),
            event("8", "reply_received", "ada", "cfo", &json!({"subject": "Re: CFO role", "body": "Also..."})),
            event("9", "task_completed", "ada", "cfo", &json!({"title": "Call Ada", "notes": "Went well"})),
        ]);
        app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();

        let state = cw.sim.state();
        let ada = people_with_email(&cw.sim, "ada@example.com");
        assert_eq!(ada.len(), 1, "Ada is created once");
        let ada_sync = sync_of(app, "ada").await;
        assert_eq!((ada_sync["state"].as_str(), ada_sync["person_id"].as_str()), (Some("synced"), Some(&*ada[0])));
        assert!(ada_sync["person_url"].as_str().unwrap().contains(&ada[0]), "{ada_sync}");
        let candidacy = |person: &str| state.candidacies.values().find(|c| c.person_id == person).cloned();
        let ada_in = candidacy(&ada[0]).expect("Ada is on the CFO project");
        assert_eq!(ada_in.project_id, cfo);
        assert_eq!(ada_in.status_id.as_deref(), Some(&*cw.statuses[2]), "a reply moves her to the mapped status");
        let notes: Vec<&str> =
            state.notes.values().filter(|n| n.person_id == ada[0]).map(|n| n.content.as_str()).collect();
        assert_eq!(notes.len(), 3, "sent message, the first reply only, completed task: {notes:?}");
        assert!(notes.iter().any(|n| n.contains("Tell me more")) && !notes.iter().any(|n| n.contains("Also...")));

        assert_eq!(
            people_with_email(&cw.sim, "charles@example.com"),
            std::slice::from_ref(&charles),
            "linked, not duplicated"
        );
        assert_eq!(sync_of(app, "charles").await["errors"], json!(["Exists in Clockwork"]));
        let other = people_with_email(&cw.sim, "babbage@engines.example");
        assert!(other.len() == 1 && other[0] != charles, "a second email makes a second person");
        assert_eq!(sync_of(app, "charles-other").await["errors"], json!([]));

        let mary = people_with_email(&cw.sim, "mary@example.com");
        assert_eq!(candidacy(&mary[0]).unwrap().project_id, vp, "the sequence's own project wins");
        assert!(people_with_email(&cw.sim, "alan@example.com").is_empty(), "Sync Disabled keeps Alan out");
        assert_eq!(sync_of(app, "alan").await["state"], "skipped");

        // The sequence's project is decided when Mary was synced; changing it later moves nobody.
        let moved = json!({"name": "VP search", "target": {"connection_id": cw.connection_id, "project_id": cfo}});
        app.expect("PUT", "/v1/sequences/vp", Some(&moved), 200).await.unwrap();
        let later =
            json!([event("10", "message_sent", "mary", "vp", &json!({"subject": "Hi", "body": "Hi", "step": 1}))]);
        app.expect("POST", "/v1/events", Some(&later), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        let state = cw.sim.state();
        let marys: Vec<_> = state.candidacies.values().filter(|c| c.person_id == mary[0]).collect();
        assert_eq!(marys.len(), 1);
        assert_eq!(marys[0].project_id, vp);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_settings_clone_only_to_teammates_on_clockwork() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let owner = &cw.app;
        let user = |email: &str, role: &str, group: &str| json!({"email": email, "role": role, "groups": [group]});
        let casey = owner.expect("POST", "/v1/users", Some(&user("casey@search.io", "member", "emea")), 201).await;
        let casey = TestApp::new(&owner.url, casey.unwrap()["token"].as_str().unwrap());
        let dana = owner.expect("POST", "/v1/users", Some(&user("dana@search.io", "member", "us")), 201).await;
        let dana_id = dana.as_ref().unwrap()["id"].as_str().unwrap().to_owned();
        let dana = TestApp::new(&owner.url, dana.unwrap()["token"].as_str().unwrap());
        let idle = owner.expect("POST", "/v1/users", Some(&user("ed@search.io", "member", "emea")), 201).await;
        let _ed = idle.unwrap();
        cw.sim.app().add_credentials("casey-key", "casey-secret", "firm-key");
        cw.sim.app().add_credentials("dana-key", "dana-secret", "firm-key");
        let casey_body = connection(&cw.sim, "casey-key", "casey-secret");
        let casey_conn = casey.expect("POST", "/v1/connections", Some(&casey_body), 201).await.unwrap();
        let casey_conn = casey_conn["id"].as_str().unwrap().to_owned();
        dana.expect("POST", "/v1/connections", Some(&connection(&cw.sim, "dana-key", "dana-secret")), 201)
            .await
            .unwrap();

        let mine = json!({"trigger": "on_reply", "dedup_warning": true, "block_off_limits": true,
            "bcc_address": "firm@pendulum.example", "notes_for": ["reply_received"]});
        owner.expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&mine), 200).await.unwrap();
        let clone = format!("/v1/connections/{}/clone-settings", cw.connection_id);
        let (status, _) =
            casey.send("POST", &format!("/v1/connections/{casey_conn}/clone-settings"), None).await.unwrap();
        assert_eq!(status, 403, "members may not clone");

        let out = owner.expect("POST", &clone, Some(&json!({"group": "us"})), 200).await.unwrap();
        assert_eq!(out["updated"], json!([dana_id]), "only the us group's Clockwork user");
        let casey_settings = format!("/v1/connections/{casey_conn}/settings");
        assert_eq!(casey.expect("GET", &casey_settings, None, 200).await.unwrap()["trigger"], "on_add");
        let out = owner.expect("POST", &clone, None, 200).await.unwrap();
        assert_eq!(out["updated"].as_array().unwrap().len(), 2, "Casey and Dana, not Ed who has no Clockwork: {out}");
        let cloned = casey.expect("GET", &casey_settings, None, 200).await.unwrap();
        assert_eq!(
            (cloned["trigger"].as_str(), cloned["bcc_address"].as_str()),
            (Some("on_reply"), Some("firm@pendulum.example"))
        );
    }
}
