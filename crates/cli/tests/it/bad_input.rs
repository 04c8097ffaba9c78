//! Bad input gets the documented 4xx as problem+json, naming the field at
//! fault, and stores nothing.

use crate::support::*;
use hiresync_testkit::{TestApp, databases};
use serde_json::{Value, json};

fn event(i: usize, kind: &str) -> Value {
    json!({"id": format!("e{i}"), "type": kind, "occurred_at": "2026-11-22T10:00:00Z", "contact": "c0",
        "sequence": "seq-1"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_documented_errors_and_store_nothing() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        put_contacts(app, 1).await.unwrap();

        let (status, body) = app.raw("POST", "/v1/events", Some("[{\"id\": ".into()), Some(&app.token)).await.unwrap();
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["type"], "https://hiresync.dev/problems/malformed-json");
        assert_eq!(body["status"], 400);

        let batch = json!([event(0, "contact_added"), event(1, "contact_teleported")]);
        let (status, body) = app.send("POST", "/v1/events", Some(&batch)).await.unwrap();
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "[1].type", "{body}");

        let big: Vec<Value> = (0..1001).map(|i| event(i, "message_sent")).collect();
        let (status, body) = app.send("POST", "/v1/events", Some(&Value::from(big))).await.unwrap();
        assert_eq!(status, 422, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("1000"), "{body}");

        let unknown_contact = json!([event(0, "contact_added"), {"id": "x", "type": "contact_added",
            "occurred_at": "2026-11-22T10:00:00Z", "contact": "nobody", "sequence": "seq-1"}]);
        let (status, body) = app.send("POST", "/v1/events", Some(&unknown_contact)).await.unwrap();
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "[1].contact", "{body}");

        for token in [None, Some("hs_not_a_real_token")] {
            let (status, body) = app.raw("POST", "/v1/events", Some(batch.to_string()), token).await.unwrap();
            assert_eq!(status, 401, "{body}");
            assert_eq!(body["type"], "https://hiresync.dev/problems/unauthorized");
        }

        // Another workspace sees none of this one's objects.
        let other = hiresync_testkit::create_workspace(BIN, &db.url, "Other", "owner@other.io").await.unwrap();
        let intruder = TestApp::new(&app.url, other["token"].as_str().unwrap());
        let conn = format!("/v1/connections/{}", s.connection_id);
        for (method, path) in [("GET", conn.as_str()), ("DELETE", conn.as_str()), ("GET", "/v1/contacts/c0/sync")] {
            let (status, body) = intruder.send(method, path, None).await.unwrap();
            assert_eq!(status, 404, "{method} {path}: {body}");
            assert!(!body.to_string().contains(&s.connection_id), "no data of the other workspace");
        }
        let (status, body) = intruder
            .send(
                "PUT",
                "/v1/sequences/s9",
                Some(&json!({"target":
            {"connection_id": s.connection_id, "job_id": 1, "stage_id": 2}})),
            )
            .await
            .unwrap();
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["errors"][0]["field"], "target.connection_id");
        let (status, _) = intruder.send("POST", "/v1/events", Some(&json!([event(0, "contact_added")]))).await.unwrap();
        assert_eq!(status, 422, "the other workspace has no contact c0");

        // A query string of the wrong type is a problem+json naming the parameter, like a bad body.
        let (status, body) = app.send("GET", "/v1/imports/imp_x/contacts?limit=many", None).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("limit")), "{body}");

        let mut c = db.store.db().await.unwrap();
        let (events,): (i64,) =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as("select count(*) from events").fetch_one(c).await)
                .unwrap();
        let (jobs,): (i64,) =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as("select count(*) from jobs").fetch_one(c).await)
                .unwrap();
        assert_eq!((events, jobs), (0, 0), "{}: nothing stored", db.backend);
        app.expect("GET", &conn, None, 200).await.unwrap();
    }
}
