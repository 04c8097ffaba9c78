//! Resyncs by filter (issue 29 item 7; SPEC R1, M2): the workspace's contacts
//! never synced, those whose sync failed, and the people synced before a date
//! (brought up to a field map changed since), driven over HTTP against the
//! Teamtailor simulator; a bad filter is a 422 naming it.

use crate::support::*;
use crate::teamtailor::event;
use hiresync_testkit::{TestApp, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

async fn resync(app: &TestApp, db: &TestDb, body: Value) -> Value {
    let id = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap()["id"].as_str().unwrap().to_owned();
    wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
    app.expect("GET", &format!("/v1/resyncs/{id}"), None, 200).await.unwrap()
}

async fn state_of(app: &TestApp, contact: &str) -> String {
    let sync = app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await.unwrap();
    sync[0]["state"].as_str().unwrap_or("none").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resync_takes_the_never_synced_the_failed_or_the_people_synced_before_a_date() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let conn = tt.connection_id.clone();
        let nickname = tt.sim.app().add_custom_field("nickname", "Nickname", "CustomField::Text", &[]);
        let company = tt.sim.app().add_custom_field("current-company", "Company", "CustomField::Text", &[]);
        let path = format!("/v1/connections/{conn}/settings");
        let map = |extra: Value| {
            let mut field_map = vec![json!({"source": "variables.nickname", "targets": ["nickname"]})];
            if !extra.is_null() {
                field_map.push(extra);
            }
            json!({"default_target": {"job_id": tt.job.id}, "field_map": field_map})
        };
        let mut off = map(Value::Null);
        off["trigger"] = json!("off");
        app.expect("PUT", &path, Some(&off), 200).await.unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        for (id, nick) in [("ann", "A"), ("bob", "B"), ("cat", "C"), ("dan", "D")] {
            let body = json!({"emails": [format!("{id}@example.com")], "first_name": id, "last_name": "Test",
                "company": format!("{id} Inc."), "variables": {"nickname": nick}});
            app.expect("PUT", &format!("/v1/contacts/{id}"), Some(&body), 201).await.unwrap();
        }
        // Ann and Bob joined while syncing was off; Dan is synced; Cat failed (her field was gone).
        let added = |n: &str, c: &str| event(n, "contact_added", c, &json!({}));
        app.expect("POST", "/v1/events", Some(&json!([added("1", "ann"), added("2", "bob")])), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        app.expect("PUT", &path, Some(&map(Value::Null)), 200).await.unwrap();
        app.expect("POST", "/v1/events", Some(&json!([added("3", "dan")])), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        let gone = tt.sim.with_state(|s| s.custom_fields.remove(&nickname.id).unwrap());
        app.expect("POST", "/v1/events", Some(&json!([added("4", "cat")])), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        assert_eq!(state_of(app, "cat").await, "failed");
        tt.sim.with_state(|s| s.custom_fields.insert(gone.id, gone));
        let candidates = |tt: &hiresync_testkit::Teamtailor| tt.sim.state().candidates.len();
        assert_eq!(candidates(&tt), 2, "Dan, and Cat made before her custom field failed");

        // Bad filters are refused, naming what is wrong.
        for (bad, field) in [
            (json!({"state": "sometimes"}), "filter.state"),
            (json!({"synced_before": "yesterday"}), "filter.synced_before"),
            (json!({}), "filter"),
            (json!({"state": "failed", "synced_before": "2026-01-01T00:00:00Z"}), "filter"),
            (json!({"stat": "failed"}), "filter"),
        ] {
            let (status, body) =
                app.send("POST", "/v1/resyncs", Some(&json!({"connection_id": conn, "filter": bad}))).await.unwrap();
            let named = body["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
            assert!(status == 422 && named.starts_with(field), "{bad}: {status} {body}");
        }
        let both = json!({"connection_id": conn, "contacts": ["ann"], "filter": {"state": "failed"}});
        let (status, body) = app.send("POST", "/v1/resyncs", Some(&both)).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("filter")), "{body}");

        let failed = resync(app, &db, json!({"connection_id": conn, "filter": {"state": "failed"}})).await;
        assert_eq!((failed["total"].as_i64(), failed["synced"].as_i64()), (Some(1), Some(1)), "{failed}");
        assert_eq!(state_of(app, "cat").await, "synced");
        let never = resync(app, &db, json!({"connection_id": conn, "filter": {"state": "never_synced"}})).await;
        assert_eq!((never["total"].as_i64(), never["synced"].as_i64()), (Some(2), Some(2)), "Ann and Bob: {never}");
        assert_eq!(candidates(&tt), 4);

        // The field map gains the company; people synced before now get it on request.
        let cut = chrono::Utc::now().to_rfc3339();
        app.expect("PUT", &path, Some(&map(json!({"source": "company", "targets": ["current-company"]}))), 200)
            .await
            .unwrap();
        let companies = |tt: &hiresync_testkit::Teamtailor| {
            let s = tt.sim.state();
            s.custom_field_values.values().filter(|v| v.custom_field_id == company.id).count()
        };
        assert_eq!(companies(&tt), 0, "a changed mapping does not reach people synced before it");
        let before = resync(app, &db, json!({"connection_id": conn, "filter": {"synced_before": cut}})).await;
        assert_eq!((before["total"].as_i64(), before["synced"].as_i64()), (Some(4), Some(4)), "{before}");
        assert_eq!(companies(&tt), 4);
        let none =
            resync(app, &db, json!({"connection_id": conn, "filter": {"synced_before": "2020-01-01T00:00:00Z"}})).await;
        assert_eq!(none["total"], 0, "{none}");
    }
}
