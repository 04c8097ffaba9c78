//! Path, query and body rejections are problem+json naming the field at fault,
//! never axum's plain-text answers.

use crate::support::Api;
use hiresync_testkit::databases;

#[tokio::test]
async fn a_path_parameter_of_the_wrong_type_is_a_422_naming_it() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let answer = api.send("POST", "/v1/jobs/abc/retry", None).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("id")), "{}: {}", db.backend, answer.body);
        assert_eq!(answer.body["errors"][0]["message"], "must be an integer");

        let answer = api.send("GET", "/v1/connections/%FF", None).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("id")), "{}: {}", db.backend, answer.body);

        let answer = api.send("POST", "/v1/jobs/12/retry", None).await.unwrap();
        assert_eq!(answer.status, 404, "a well-formed id reaches the handler: {}", answer.body);
    }
}

#[tokio::test]
async fn a_query_parameter_of_the_wrong_type_is_a_422_naming_it() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let answer = api.send("GET", "/v1/imports/imp_x/contacts?limit=many", None).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("limit")), "{}: {}", db.backend, answer.body);
        let answer = api.send("GET", "/v1/imports/imp_x/contacts?limit=5", None).await.unwrap();
        assert_eq!(answer.status, 404, "{}", answer.body);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_400_and_one_of_the_wrong_shape_a_422_naming_the_field() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let answer = api.send("POST", "/v1/users", Some("{\"email\": ")).await.unwrap();
        assert_eq!(answer.problem(), (400, None), "{}: {}", db.backend, answer.body);
        assert_eq!(answer.body["type"], "https://hiresync.dev/problems/malformed-json");

        for (body, field, message) in [
            (r#"{"email": 5}"#, "email", "invalid type: integer `5`, expected a string"),
            (r#"{"role": "member"}"#, "email", "required"),
            (r#"{"email": "mia@acme.io", "role": "boss"}"#, "role", ""),
            (r#"{"email": "mia@acme.io", "groups": "berlin"}"#, "groups", ""),
            (r#""mia@acme.io""#, "", "invalid type: string \"mia@acme.io\", expected a user object"),
        ] {
            let answer = api.send("POST", "/v1/users", Some(body)).await.unwrap();
            assert_eq!(answer.problem(), (422, Some(field)), "{body}: {}", answer.body);
            assert!(answer.body["errors"][0]["message"].as_str().unwrap().starts_with(message), "{}", answer.body);
        }

        let nested = r#"{"provider": "teamtailor", "credentials": {"api_key": "k"},
            "rate_limit": {"requests": "many", "per_seconds": 10}}"#;
        let answer = api.send("POST", "/v1/connections", Some(nested)).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("rate_limit.requests")), "{}", answer.body);
        let answer = api.send("POST", "/v1/connections", Some(r#"{"provider": "lever", "credentials": {}}"#)).await;
        assert_eq!(answer.unwrap().problem(), (422, Some("provider")));
    }
}

#[tokio::test]
async fn a_nested_field_is_named_by_its_path_and_core_checks_follow_the_types() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        for (body, field) in [
            (r#"{"employment": [{"company": "Acme"}, {"company": 5}]}"#, "employment[1].company"),
            (r#"{"social": {"linkedin": 7}}"#, "social.linkedin"),
            (r#"{"sync_override": "maybe"}"#, "sync_override"),
            (r#"{"emails": ["ada@example.com", "nope"]}"#, "emails[1]"),
        ] {
            let answer = api.send("PUT", "/v1/contacts/c1", Some(body)).await.unwrap();
            assert_eq!(answer.problem(), (422, Some(field)), "{}: {body}: {}", db.backend, answer.body);
        }
        let answer = api.send("PUT", "/v1/contacts/c1", Some(r#"{"emails": ["Ada@Example.com "]}"#)).await.unwrap();
        assert_eq!((answer.status.as_u16(), &answer.body["emails"]), (201, &serde_json::json!(["ada@example.com"])));

        let event = r#"{"id": "e1", "type": "contact_added", "occurred_at": "2026-11-02T09:00:00Z", "contact": "c1"}"#;
        let batch = format!(r#"[{event}, {{"id": "e2", "type": "contact_teleported"}}]"#);
        let answer = api.send("POST", "/v1/events", Some(&batch)).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("[1].type")), "{}", answer.body);
        let batch = format!(r#"[{event}, {{"id": "e2", "type": "message_sent", "data": {{"step": "two"}}}}]"#);
        let answer = api.send("POST", "/v1/events", Some(&batch)).await.unwrap();
        let fields: Vec<_> = answer.body["errors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect();
        assert_eq!(fields, ["[1].occurred_at", "[1].contact", "[1].data.step"], "{}", answer.body);
    }
}

#[tokio::test]
async fn oversized_bodies_and_batches_are_refused_before_they_cost_memory() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        // Everything but the events batch takes a small body.
        let padded = format!(r#"{{"email": "mia@acme.io", "role": "member", "pad": "{}"}}"#, "x".repeat(300 * 1024));
        let answer = api.send("POST", "/v1/users", Some(&padded)).await.unwrap();
        assert_eq!(answer.problem(), (413, None), "{}: {}", db.backend, answer.body);
        assert_eq!(answer.body["type"], "https://hiresync.dev/problems/payload-too-large");
        let answer = api.send("POST", "/v1/webhooks/oneflow/conn_x", Some(&padded)).await.unwrap();
        assert_eq!(answer.problem(), (413, None), "{}: a webhook too: {}", db.backend, answer.body);

        // A batch is counted while it is read: the 1001st item ends it, whatever follows.
        let zeros = format!("[{}0]", "0,".repeat(2_000_000));
        assert!(zeros.len() < hiresync_api::limits::EVENTS_BODY);
        let answer = api.send("POST", "/v1/events", Some(&zeros)).await.unwrap();
        assert_eq!(answer.status, 422, "{}", answer.body);
        let event = |i: usize| format!(r#"{{"id": "e{i}", "type": "message_sent", "contact": "c{i}"}}"#);
        let batch = format!("[{}]", (0..1001).map(event).collect::<Vec<_>>().join(","));
        let answer = api.send("POST", "/v1/events", Some(&batch)).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("")), "{}", answer.body);
        assert!(answer.body["errors"][0]["message"].as_str().unwrap().contains("at most 1000"), "{}", answer.body);
        let too_big = format!("[{}]", "x".repeat(hiresync_api::limits::EVENTS_BODY));
        assert_eq!(api.send("POST", "/v1/events", Some(&too_big)).await.unwrap().problem(), (413, None));
    }
}

#[tokio::test]
async fn made_up_methods_do_not_grow_the_metrics() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        for method in ["BREW", "WHEN", "FLOOD"] {
            api.send(method, "/healthz", None).await.unwrap();
        }
        let metrics = api.send("GET", "/metrics", None).await.unwrap();
        let text = metrics.body.as_str().unwrap_or_default();
        assert!(text.contains(r#"method="other""#), "{text}");
        assert!(!text.contains("BREW") && !text.contains("FLOOD"), "{text}");
    }
}
