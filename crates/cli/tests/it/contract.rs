//! The API contract beyond events: users and roles, connections and their
//! settings, and the operations endpoints.

use crate::support::*;
use hiresync_testkit::{TestApp, databases, wait_idle};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_add_users_and_roles_limit_what_members_do() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let owner = &s.app;
        let member = owner
            .expect(
                "POST",
                "/v1/users",
                Some(&json!({"email": "Mia@Acme.io", "role": "member", "groups": ["emea"]})),
                201,
            )
            .await
            .unwrap();
        assert_eq!((member["email"].as_str(), member["role"].as_str()), (Some("mia@acme.io"), Some("member")));
        let mia = TestApp::new(&owner.url, member["token"].as_str().unwrap());
        let (status, body) = mia.send("POST", "/v1/users", Some(&json!({"email": "x@acme.io"}))).await.unwrap();
        assert_eq!(status, 403, "{body}");
        let (status, _) = owner.send("POST", "/v1/users", Some(&json!({"email": "mia@acme.io"}))).await.unwrap();
        assert_eq!(status, 409);
        let (status, body) =
            owner.send("POST", "/v1/users", Some(&json!({"email": "y@acme.io", "role": "boss"}))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("role")));

        // The owner's own connection is invisible to a member; a workspace one is shared.
        let path = format!("/v1/connections/{}", s.connection_id);
        assert_eq!(mia.send("GET", &path, None).await.unwrap().0, 404);
        assert_eq!(mia.expect("GET", "/v1/connections", None, 200).await.unwrap(), json!([]));
        let user = s.sim.state().users.keys().next().copied().unwrap();
        let shared = owner
            .expect(
                "POST",
                "/v1/connections",
                Some(&json!({"provider": "greenhouse", "scope": "workspace", "base_url": s.sim.base_url(),
                    "auth_base_url": s.sim.auth_base_url(),
                    "credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": user}})),
                201,
            )
            .await
            .unwrap();
        assert_eq!(shared["scope"], "workspace");
        let listed = mia.expect("GET", "/v1/connections", None, 200).await.unwrap();
        assert_eq!(listed[0]["id"], shared["id"]);
        assert!(!listed.to_string().contains("secret-1"), "credentials are never returned");
        let put = format!("/v1/connections/{}/settings", shared["id"].as_str().unwrap());
        assert_eq!(mia.send("PUT", &put, Some(&json!({"trigger": "off"}))).await.unwrap().0, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_check_credentials_and_settings_name_the_field_at_fault() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        let bad = json!({"provider": "greenhouse", "base_url": s.sim.base_url(), "auth_base_url": s.sim.auth_base_url(),
            "credentials": {"client_id": "client-1", "client_secret": "wrong", "user_id": 1}});
        let (status, body) = app.send("POST", "/v1/connections", Some(&bad)).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("credentials")), "{body}");
        let (status, body) =
            app.send("POST", "/v1/connections", Some(&json!({"provider": "lever", "credentials": {}}))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("provider")), "{body}");
        assert_eq!(app.expect("GET", "/v1/connections", None, 200).await.unwrap().as_array().unwrap().len(), 1);
        let mut limited = bad.clone();
        limited["credentials"]["client_secret"] = json!("secret-1");
        limited["credentials"]["user_id"] = json!(s.sim.app().add_user("Lim", "Ited", "lim@acme.io"));
        limited["rate_limit"] = json!({"requests": 0, "per_seconds": 10});
        let (status, body) = app.send("POST", "/v1/connections", Some(&limited)).await.unwrap();
        assert_eq!(
            (status.as_u16(), body["errors"][0]["field"].as_str()),
            (422, Some("rate_limit.requests")),
            "{body}"
        );
        limited["rate_limit"] = json!({"requests": 500, "per_seconds": 10});
        let made = app.expect("POST", "/v1/connections", Some(&limited), 201).await.unwrap();
        let shown = app.expect("GET", &format!("/v1/connections/{}", made["id"].as_str().unwrap()), None, 200).await;
        assert_eq!(shown.unwrap()["rate_limit"], json!({"requests": 500, "per_seconds": 10}));
        app.expect("DELETE", &format!("/v1/connections/{}", made["id"].as_str().unwrap()), None, 204).await.unwrap();

        let settings = format!("/v1/connections/{}/settings", s.connection_id);
        let (status, body) = app.send("PUT", &settings, Some(&json!({"trigger": "sometimes"}))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("trigger")), "{body}");
        let (status, body) =
            app.send("PUT", &settings, Some(&json!({"default_target": {"project_id": 1}}))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("default_target")), "{body}");
        let saved = app.expect("PUT", &settings, Some(&json!({"trigger": "on_reply"})), 200).await.unwrap();
        assert_eq!((saved["trigger"].as_str(), saved["activity_tracking"].as_bool()), (Some("on_reply"), Some(true)));
        assert_eq!(app.expect("GET", &settings, None, 200).await.unwrap(), saved);

        let targets =
            app.expect("GET", &format!("/v1/connections/{}/targets", s.connection_id), None, 200).await.unwrap();
        assert_eq!(targets[0]["name"], "Rust Engineer", "{targets}");
        assert_eq!(targets[0]["stages"].as_array().unwrap().len(), 2);

        let path = format!("/v1/connections/{}", s.connection_id);
        assert_eq!(app.send("DELETE", &path, None).await.unwrap().0, 204);
        assert_eq!(app.send("GET", &path, None).await.unwrap().0, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_endpoints_answer_and_describe_the_api() {
    let db = hiresync_testkit::TestDb::sqlite().await.unwrap();
    let s = harness(&db).greenhouse(&json!({})).await.unwrap();
    let anon = |path: &'static str| {
        let app = s.app.clone();
        async move { app.raw("GET", path, None, None).await.unwrap() }
    };
    assert_eq!(anon("/healthz").await.0, 200);
    assert_eq!(anon("/readyz").await.0, 200);
    let (status, metrics) = anon("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.as_str().unwrap().contains("hiresync_http_requests_total{"), "{metrics}");
    let (status, doc) = anon("/openapi.json").await;
    assert_eq!(status, 200);
    for path in [
        "/v1/events",
        "/v1/users",
        "/v1/connections",
        "/v1/connections/{id}",
        "/v1/connections/{id}/settings",
        "/v1/connections/{id}/targets",
        "/v1/connections/{id}/clone-settings",
        "/v1/sequences/{external_id}",
        "/v1/contacts/{external_id}",
        "/v1/contacts/{external_id}/sync",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from /openapi.json");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_failures_are_retried_or_dead_lettered_and_can_be_retried_by_hand() {
    for db in databases().await.unwrap() {
        let s = harness(&db).env(&[("HIRESYNC_POLL_MS", "50")]).greenhouse(&json!({"notes_for": []})).await.unwrap();
        let app = &s.app;
        put_contacts(app, 2).await.unwrap();
        // Transient: 503s and a 429 are waited out and the person still arrives once.
        s.sim.core().fail_next(2, 503);
        s.sim.core().rate_limit_next(1, 1);
        post_all(app, &events(1, 1), 10).await.unwrap();
        wait_idle(&db.store, std::time::Duration::from_secs(120)).await.unwrap();
        let sync = app.expect("GET", "/v1/contacts/c0/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "synced", "{sync}");
        // The contact's log shows each provider call, the refused ones with the provider's answer.
        let log = app.expect("GET", "/v1/contacts/c0/log", None, 200).await.unwrap();
        let refused = |code: &str| {
            log.as_array()
                .unwrap()
                .iter()
                .filter(|e| e["outcome"] == "failed" && e["detail"].as_str().unwrap().contains(code))
                .count()
        };
        assert_eq!((refused(": 503,"), refused(": 429,")), (2, 1), "{log}");
        assert!(
            log.as_array().unwrap().iter().any(|e| e["operation"] == "POST /v3/candidates" && e["outcome"] == "ok")
        );

        // Permanent: the provider's own refusal dead-letters the job and shows on the contact.
        s.sim.core().fail_next(1, 422);
        let second = serde_json::json!([{"id": "late", "type": "contact_added", "contact": "c1", "sequence": "seq-1",
            "occurred_at": "2026-11-22T10:00:00Z"}]);
        app.expect("POST", "/v1/events", Some(&second), 202).await.unwrap();
        wait_idle(&db.store, std::time::Duration::from_secs(120)).await.unwrap();
        let sync = app.expect("GET", "/v1/contacts/c1/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "failed", "{sync}");
        assert!(sync[0]["reason"].as_str().unwrap().contains("422"), "{sync}");
        let dead = app.expect("GET", "/v1/jobs?state=dead", None, 200).await.unwrap();
        assert_eq!(dead.as_array().unwrap().len(), 1, "{dead}");
        let id = dead[0]["id"].as_i64().unwrap();
        app.expect("POST", &format!("/v1/jobs/{id}/retry"), None, 202).await.unwrap();
        wait_idle(&db.store, std::time::Duration::from_secs(120)).await.unwrap();
        let sync = app.expect("GET", "/v1/contacts/c1/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "synced", "{sync}");
        assert_eq!(s.sim.state().candidates.len(), 2);
        assert_eq!(app.send("POST", &format!("/v1/jobs/{id}/retry"), None).await.unwrap().0, 404, "no longer dead");
    }
}
