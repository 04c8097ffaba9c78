//! Provider fields (issue 29 item 1; SPEC M2, M3, S3): `GET .../fields` for
//! each ATS with the connection's settings applied, a contact's
//! `field_values` checked against the displayed fields' types and options,
//! and displayed fields written when a person is synced, asserting on the
//! simulators' records.

use crate::clockwork::{event, people_with_email};
use crate::support::*;
use hiresync_testkit::{TestApp, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

async fn post(app: &TestApp, db: &TestDb, events: Value) {
    app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
    wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
}

fn field<'a>(fields: &'a Value, key: &str) -> &'a Value {
    fields.as_array().unwrap().iter().find(|f| f["key"] == key).unwrap_or_else(|| panic!("no {key} in {fields}"))
}

fn labels(f: &Value) -> Vec<&str> {
    f["options"].as_array().unwrap().iter().map(|o| o["label"].as_str().unwrap()).collect()
}

/// A 422 naming `field`, whose message contains `says`.
async fn refused(app: &TestApp, path: &str, body: &Value, field: &str, says: &str) {
    let (status, out) = app.send("PUT", path, Some(body)).await.unwrap();
    assert_eq!((status.as_u16(), out["errors"][0]["field"].as_str()), (422, Some(field)), "{out}");
    assert!(out["errors"][0]["message"].as_str().unwrap().contains(says), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_custom_fields_are_listed_checked_and_written_as_the_settings_say() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        let (level, level_options) = cw.sim.app().add_custom_field("Level", "single_select", &["Junior", "Senior"]);
        let (langs, langs_options) = cw.sim.app().add_custom_field("Languages", "multi_select", &["Rust", "Go", "C"]);
        let (note, _) = cw.sim.app().add_custom_field("Sourcing note", "text", &[]);
        let (level_key, langs_key, note_key) =
            (format!("custom_fields.{level}"), format!("custom_fields.{langs}"), format!("custom_fields.{note}"));
        let settings = json!({
            "default_target": {"project_id": cw.projects[0]},
            "displayed_fields": [level_key, langs_key, "nickName"],
            "mandatory_fields": [level_key],
            "protected_fields": ["nickName"],
            "filterable_fields": ["nickName"],
        });
        app.expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&settings), 200)
            .await
            .unwrap();

        let fields =
            app.expect("GET", &format!("/v1/connections/{}/fields", cw.connection_id), None, 200).await.unwrap();
        let f = field(&fields, &level_key);
        assert_eq!(
            (f["label"].as_str(), f["type"].as_str(), f["custom"].as_bool()),
            (Some("Level"), Some("select"), Some(true))
        );
        assert_eq!(labels(f), ["Junior", "Senior"]);
        assert_eq!(f["options"][1]["id"], json!(level_options[1]));
        assert_eq!((f["displayed"].as_bool(), f["mandatory"].as_bool()), (Some(true), Some(true)));
        assert_eq!(field(&fields, &langs_key)["type"], "multi_select");
        let n = field(&fields, &note_key);
        assert_eq!((n["type"].as_str(), n["displayed"].as_bool()), (Some("string"), Some(false)));
        let nick = field(&fields, "nickName");
        assert_eq!(nick["custom"], false);
        assert_eq!((nick["protected"].as_bool(), nick["filterable"].as_bool()), (Some(true), Some(true)));
        assert_eq!(field(&fields, "noRelocation")["type"], "boolean");
        assert_eq!(field(&fields, "email_addresses.work")["type"], "list");
        assert_eq!(field(&fields, "companyName")["object"], "company");

        // Values are checked against the field's options; a field nobody displays is refused.
        let ada = |values: Value| {
            json!({"emails": ["ada@engines.example"], "first_name": "Ada", "last_name": "Lovelace",
                "location": "London, Greater London, UK",
                "social": {"linkedin": "https://www.linkedin.com/in/ada", "github": "https://github.com/ada",
                    "twitter": "https://twitter.com/ada"},
                "field_values": values})
        };
        let path = "/v1/contacts/ada";
        let level_path = format!("field_values.{level_key}");
        refused(app, path, &ada(json!({(level_key.clone()): "Lead"})), &level_path, "Junior, Senior").await;
        refused(app, path, &ada(json!({(langs_key.clone()): "Rust"})), &format!("field_values.{langs_key}"), "list")
            .await;
        refused(app, path, &ada(json!({(note_key.clone()): "x"})), &format!("field_values.{note_key}"), "displayed")
            .await;
        let values = json!({(level_key.clone()): "senior", (langs_key.clone()): ["rust", langs_options[1]]});
        let stored = app.expect("PUT", path, Some(&ada(values)), 201).await.unwrap();
        assert_eq!(stored["field_values"][&level_key], "Senior", "stored as the option's label: {stored}");

        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        post(app, &db, json!([event("1", "contact_added", "ada", "cfo", &json!({}))])).await;
        let state = cw.sim.state();
        let [id] = people_with_email(&cw.sim, "ada@engines.example").try_into().unwrap();
        let value = |field: &str| state.custom_field_values.get(&format!("{id}/{field}")).map(|v| v.value.clone());
        assert_eq!(value(&level), Some(json!(level_options[1])), "a select is written as its option's id");
        assert_eq!(value(&langs), Some(json!([langs_options[0], langs_options[1]])));
        // Issue 29 item 7: the location and every social network reach Clockwork.
        let address: Vec<_> = state.addresses.values().filter(|a| a.person_id == id).collect();
        assert_eq!(address.len(), 1, "{address:?}");
        assert_eq!(
            (address[0].city.as_str(), address[0].state.as_deref(), address[0].country.as_deref()),
            ("London", Some("Greater London"), Some("UK"))
        );
        let mut sites: Vec<(&str, Option<&str>)> = state
            .web_sites
            .values()
            .filter(|w| w.person_id == id)
            .map(|w| (w.url.as_str(), w.location.as_deref()))
            .collect();
        sites.sort();
        assert_eq!(sites, [("https://github.com/ada", Some("github")), ("https://twitter.com/ada", Some("twitter"))]);
        assert_eq!(state.linkedin_urls.values().filter(|l| l.person_id == id).count(), 1);

        // A changed setting applies to people synced after it: Grace was stored while Languages
        // was displayed, and is synced once it no longer is.
        let grace = json!({"emails": ["grace@navy.example"], "first_name": "Grace", "last_name": "Hopper",
            "field_values": {(level_key.clone()): "Junior", (langs_key.clone()): ["C"]}});
        app.expect("PUT", "/v1/contacts/grace", Some(&grace), 201).await.unwrap();
        let narrower = json!({"default_target": {"project_id": cw.projects[0]}, "displayed_fields": [level_key]});
        app.expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&narrower), 200)
            .await
            .unwrap();
        post(app, &db, json!([event("2", "contact_added", "grace", "cfo", &json!({}))])).await;
        let state = cw.sim.state();
        let [grace_id] = people_with_email(&cw.sim, "grace@navy.example").try_into().unwrap();
        let of = |field: &str| state.custom_field_values.get(&format!("{grace_id}/{field}")).map(|v| v.value.clone());
        assert_eq!(of(&level), Some(json!(level_options[0])));
        assert_eq!(of(&langs), None, "no longer displayed when she was synced");

        // A hand edit's displayed-field values are checked as a contact's are.
        let edit = |value: &str| {
            event(
                "e1",
                "contact_updated",
                "grace",
                "cfo",
                &json!({"changed": {(format!("field_values.{level_key}")): value}}),
            )
        };
        let (status, body) = app.send("POST", "/v1/events", Some(&json!([edit("Lead")]))).await.unwrap();
        let field = format!("[0].data.changed.field_values.{level_key}");
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some(field.as_str())), "{body}");
        app.expect("POST", "/v1/events", Some(&json!([edit("senior")])), 202).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_and_greenhouse_fields_follow_each_providers_types() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let level = tt.sim.app().add_custom_field("level", "Level", "CustomField::Select", &["Junior", "Senior"]);
        tt.sim.app().add_custom_field("salary", "Salary", "CustomField::Number", &[]);
        tt.sim.app().add_custom_field("start-date", "Start date", "CustomField::Date", &[]);
        tt.sim.app().add_custom_field("remote", "Remote?", "CustomField::Checkbox", &[]);
        let settings = json!({"displayed_fields": ["level", "salary", "start-date", "remote", "pitch"],
            "default_target": {"job_id": tt.job.id}});
        app.expect("PUT", &format!("/v1/connections/{}/settings", tt.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        let fields =
            app.expect("GET", &format!("/v1/connections/{}/fields", tt.connection_id), None, 200).await.unwrap();
        let types: Vec<(&str, &str)> = ["level", "salary", "start-date", "remote", "pitch", "unsubscribed"]
            .iter()
            .map(|k| (*k, field(&fields, k)["type"].as_str().unwrap()))
            .collect();
        assert_eq!(
            types,
            [
                ("level", "select"),
                ("salary", "number"),
                ("start-date", "date"),
                ("remote", "boolean"),
                ("pitch", "string"),
                ("unsubscribed", "boolean")
            ]
        );
        assert_eq!(labels(field(&fields, "level")), ["Junior", "Senior"]);
        assert_eq!(field(&fields, "pitch")["custom"], false);

        let body = |values: Value| json!({"emails": ["linus@example.com"], "first_name": "Linus", "last_name": "T", "field_values": values});
        let path = "/v1/contacts/linus";
        refused(app, path, &body(json!({"salary": "lots"})), "field_values.salary", "not a number").await;
        refused(app, path, &body(json!({"start-date": "soon"})), "field_values.start-date", "date").await;
        refused(app, path, &body(json!({"remote": "maybe"})), "field_values.remote", "true or false").await;
        let good = json!({"salary": "85000", "start-date": "2027-01-04", "level": "Senior", "remote": true,
            "pitch": "Kernel hacker"});
        app.expect("PUT", path, Some(&body(good)), 201).await.unwrap();
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        post(app, &db, json!([event("1", "contact_added", "linus", "seq-1", &json!({}))])).await;
        let state = tt.sim.state();
        let linus = state.candidates.values().find(|c| c.email.as_deref() == Some("linus@example.com")).unwrap();
        assert_eq!(linus.pitch.as_deref(), Some("Kernel hacker"));
        let values: Vec<Value> = state
            .custom_field_values
            .values()
            .filter(|v| v.candidate_id == linus.id)
            .map(|v| v.value.clone())
            .collect();
        assert!(values.contains(&json!(85000)), "{values:?}");
        assert!(values.contains(&json!("2027-01-04")), "{values:?}");
        assert!(values.contains(&json!(level.option_ids[1].to_string())), "{values:?}");
        assert!(values.contains(&json!(true)), "{values:?}");

        // Greenhouse: its own type names, and the same check.
        let gh = harness(&db).greenhouse(&json!({})).await.unwrap();
        gh.sim.app().add_custom_field("seniority", "Seniority", "single_select", &["Junior", "Senior"]);
        gh.sim.app().add_custom_field("notice", "Notice (weeks)", "number", &[]);
        let settings = json!({"displayed_fields": ["seniority", "notice"], "filterable_fields": ["seniority"]});
        patch_settings(&gh.app, &gh.connection_id, &settings).await.unwrap();
        let fields =
            gh.app.expect("GET", &format!("/v1/connections/{}/fields", gh.connection_id), None, 200).await.unwrap();
        let s = field(&fields, "seniority");
        assert_eq!((s["type"].as_str(), s["filterable"].as_bool()), (Some("select"), Some(true)));
        assert_eq!(labels(s), ["Junior", "Senior"]);
        assert_eq!(field(&fields, "notice")["type"], "number");
        assert_eq!(field(&fields, "can_email")["type"], "boolean");
        let ok = json!({"emails": ["g@example.com"], "field_values": {"seniority": "junior", "notice": 4}});
        gh.app.expect("PUT", "/v1/contacts/g", Some(&ok), 201).await.unwrap();
        let bad = json!({"emails": ["g@example.com"], "field_values": {"seniority": "Principal"}});
        refused(&gh.app, "/v1/contacts/g", &bad, "field_values.seniority", "Junior, Senior").await;

        // The same rules as targets: another user's personal connection is not there for a member.
        let body = json!({"email": "m@acme.io", "role": "member"});
        let member = gh.app.expect("POST", "/v1/users", Some(&body), 201).await.unwrap();
        let member = TestApp::new(&gh.app.url, member["token"].as_str().unwrap());
        for what in ["targets", "fields"] {
            let (status, _) =
                member.send("GET", &format!("/v1/connections/{}/{what}", gh.connection_id), None).await.unwrap();
            assert_eq!(status.as_u16(), 404, "{what}");
        }
    }
}
