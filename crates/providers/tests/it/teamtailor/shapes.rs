//! The simulator answers in the shapes Teamtailor recorded
//! (`tests/fixtures/teamtailor`): every member a recorded response has, the
//! simulator's has too.

use super::{KEY, setup};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Found through the package directory cargo gives the running test: a test binary reused
/// from another checkout (a shared target directory) still names that one in `env!`.
static FIXTURES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    format!("{root}/tests/fixtures/teamtailor")
});

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{}/{name}", *FIXTURES)).unwrap()).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn first(doc: &Value) -> &Value {
    if doc["data"].is_array() { &doc["data"][0] } else { &doc["data"] }
}

fn assert_covers(name: &str, recorded: &Value, served: &Value) {
    let missing = |a: &Value, b: &Value| keys(a).difference(&keys(b)).cloned().collect::<Vec<_>>();
    assert!(missing(recorded, served).is_empty(), "{name}: top level lacks {:?}", missing(recorded, served));
    let (r, s) = (first(recorded), first(served));
    assert_eq!(r["type"], s["type"], "{name}: type");
    assert!(s["id"].is_string(), "{name}: ids are strings");
    for part in ["attributes", "relationships"] {
        let lacking = missing(&r[part], &s[part]);
        assert!(lacking.is_empty(), "{name}: {part} lacks {lacking:?}");
    }
    for (rel, body) in r["relationships"].as_object().into_iter().flatten() {
        assert_eq!(keys(body), keys(&s["relationships"][rel]), "{name}: relationship {rel} without include");
    }
    if recorded.get("meta").is_some() {
        for k in ["record-count", "page-count"] {
            assert!(served["meta"][k].is_number(), "{name}: meta.{k}");
        }
        for k in ["first", "last"] {
            assert!(served["links"][k].as_str().unwrap().contains("page%5Bnumber%5D"), "{name}: links.{k}");
        }
    }
}

#[tokio::test]
async fn the_simulator_serves_every_recorded_resource_shape() {
    let s = setup().await;
    let app = s.sim.app();
    let user = app.add_user("Ortiz", "ortiz@example.com");
    let candidate = app.add_candidate("Gregoria", "Deckow", "applicant1@example.com");
    app.add_application(candidate, s.job.id).unwrap();
    app.add_custom_field("drivers-license", "Drivers license?", "CustomField::Checkbox", &[]);
    let url = app.add_custom_field("github-profile", "Github profile", "CustomField::Url", &[]);
    app.add_custom_field("favorite-programming-language", "Favorite", "CustomField::MultiSelect", &["Rust"]);
    app.set_custom_field_value(candidate, url.id, &json!("https://github.com/bzf")).unwrap();
    s.sim.with_state(|st| {
        let id = st.next_id();
        st.uploads.insert(
            id,
            hiresync_sim::teamtailor::model::Upload {
                id,
                candidate_id: candidate,
                url: "https://bucket.example.com/resume.pdf".into(),
                file_name: "resume.pdf".into(),
                internal: false,
                ..Default::default()
            },
        );
    });
    let http = reqwest::Client::new();
    let pairs = [
        ("candidate.json", format!("/v1/candidates/{candidate}")),
        ("candidates.json", "/v1/candidates".to_owned()),
        ("job.json", format!("/v1/jobs/{}", s.job.id)),
        ("jobs.json", "/v1/jobs".to_owned()),
        ("stages.json", "/v1/stages".to_owned()),
        ("job_applications.json", "/v1/job-applications".to_owned()),
        ("custom-fields.json", "/v1/custom-fields".to_owned()),
        ("custom-field-values.json", "/v1/custom-field-values".to_owned()),
        ("upload.json", "/v1/uploads".to_owned()),
        ("user.json", format!("/v1/users/{user}")),
        ("users.json", "/v1/users".to_owned()),
    ];
    for (name, path) in pairs {
        let response = http
            .get(format!("{}{path}", s.sim.base_url()))
            .header("authorization", format!("Token token={KEY}"))
            .header("x-api-version", "20240404")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(response.headers()["x-api-version"], "20240404");
        assert_eq!(response.headers()["content-type"], "application/vnd.api+json");
        let served: Value = response.json().await.unwrap();
        assert_covers(name, &fixture(name), &served);
    }
}

#[tokio::test]
async fn the_simulator_enforces_teamtailors_protocol_rules() {
    let s = setup().await;
    let http = reqwest::Client::new();
    let base = s.sim.base_url();
    let get = |path: &str, version: Option<&str>| {
        let mut r = http.get(format!("{base}{path}")).header("authorization", format!("Token token={KEY}"));
        if let Some(v) = version {
            r = r.header("x-api-version", v);
        }
        r.send()
    };
    let missing = get("/v1/candidates", None).await.unwrap();
    assert_eq!(missing.status(), 406);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["errors"][0]["title"], "Invalid/Missing API Version");
    assert_eq!(body["errors"][0]["status"], 406);
    let big = get("/v1/candidates?page%5Bsize%5D=31", Some("20240404")).await.unwrap();
    assert_eq!(big.status(), 400);
    let bad_include = get("/v1/candidates?include=secrets", Some("20240404")).await.unwrap();
    assert_eq!(bad_include.status(), 400);
    let unknown = get("/v1/candidates/999999", Some("20240404")).await.unwrap();
    assert_eq!(unknown.status(), 404);
    let form = http
        .post(format!("{base}/v1/candidates"))
        .header("authorization", format!("Token token={KEY}"))
        .header("x-api-version", "20240404")
        .header("content-type", "application/json")
        .body(r#"{"data":{"type":"candidates","attributes":{"email":"x@example.com"}}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415);
    let headers = get("/v1/jobs", Some("20240404")).await.unwrap();
    assert_eq!(headers.headers()["x-rate-limit-limit"], "50");
    assert!(headers.headers().contains_key("x-rate-limit-remaining"));
    let reset: u64 = headers.headers()["x-rate-limit-reset"].to_str().unwrap().parse().unwrap();
    assert!(reset <= 10, "reset counts seconds left in the window");
}

#[tokio::test]
async fn include_fills_relationship_data_and_included() {
    let s = setup().await;
    let candidate = s.sim.app().add_candidate("A", "B", "ab@example.com");
    s.sim.app().add_application(candidate, s.job.id).unwrap();
    let body: Value = reqwest::Client::new()
        .get(format!("{}/v1/candidates/{candidate}/job-applications?include=job,stage", s.sim.base_url()))
        .header("authorization", format!("Token token={KEY}"))
        .header("x-api-version", "20161108")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rel = &body["data"][0]["relationships"];
    assert_eq!(rel["stage"]["data"], json!({"id": s.job.stage_ids[0].to_string(), "type": "stages"}));
    assert_eq!(rel["job"]["data"]["id"], json!(s.job.id.to_string()));
    assert!(rel["candidate"].get("data").is_none(), "not included, so links only");
    let included: Vec<_> = body["included"].as_array().unwrap().iter().map(|r| r["type"].clone()).collect();
    assert_eq!(included, [json!("jobs"), json!("stages")]);
}
