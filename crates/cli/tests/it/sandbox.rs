//! The README's run command: `hiresync sandbox` plays the scripted morning and
//! people appear in the simulated ATSs, linked where they already existed.
//! `hiresync sim` prints reachable simulators with working credentials.

use crate::support::BIN;
use hiresync_testkit::{TestApp, TestServer};
use serde_json::{Value, json};

async fn sim_state(control_url: &str) -> Value {
    reqwest::get(format!("{control_url}/state")).await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_plays_the_morning_into_the_simulated_ats() {
    let args = ["sandbox", "--listen", "127.0.0.1:0", "--no-rate-limits"];
    let (_server, line) =
        TestServer::spawn_until(BIN, "sqlite://unused.db", &[], &args, "hiresync sandbox: ", 240).await.unwrap();
    let summary: Value = serde_json::from_str(&line).unwrap();
    let robin = TestApp::new(summary["url"].as_str().unwrap(), summary["token"].as_str().unwrap());
    let link = summary["console_link"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/console/link/hs_", robin.url)), "a sign-in link to the console: {link}");

    // The duplicate is linked and flagged, never created twice.
    let ada = robin.expect("GET", "/v1/contacts/ada-lovelace/sync", None, 200).await.unwrap();
    assert_eq!(ada[0]["state"], "synced", "{ada}");
    assert_eq!(ada[0]["errors"], json!(["Exists in Greenhouse"]));
    let gh = sim_state(summary["simulators"]["greenhouse"]["control_url"].as_str().unwrap()).await;
    let with_email = |email: &str| {
        gh["candidates"]
            .as_object()
            .unwrap()
            .values()
            .filter(|c| c["email_addresses"].as_array().unwrap().iter().any(|e| e["value"] == email))
            .count()
    };
    assert_eq!(with_email("ada@example.com"), 1);
    assert_eq!(with_email("margaret@example.com"), 1);
    assert_eq!(gh["candidates"].as_object().unwrap().len(), 4, "three new people and Ada");
    let notes = gh["notes"].as_object().unwrap().len();
    assert!(notes >= 6, "four sent messages and two first replies are written as activity, got {notes}");

    // Each teammate's people went to their own ATS.
    let cw = sim_state(summary["simulators"]["clockwork"]["control_url"].as_str().unwrap()).await;
    assert!(cw.to_string().contains("mary@example.com"), "Mary is in Clockwork");
    let tt = sim_state(summary["simulators"]["teamtailor"]["control_url"].as_str().unwrap()).await;
    assert!(tt.to_string().contains("alan@example.com"), "Alan is in Teamtailor");
    assert!(!gh.to_string().contains("alan@example.com"), "Tove's people stay out of Robin's Greenhouse");

    // Tove's offer to Alan went out through Oneflow prefilled with the salary from Teamtailor.
    let of = sim_state(summary["simulators"]["oneflow"]["control_url"].as_str().unwrap()).await;
    let contracts = of["contracts"].as_object().unwrap();
    assert_eq!(contracts.len(), 1, "{of}");
    assert!(of.to_string().contains("72000"), "the salary is prefilled: {of}");

    let dead = robin.expect("GET", "/v1/jobs?state=dead", None, 200).await.unwrap();
    assert_eq!(dead, json!([]), "the morning leaves no failed work");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_prints_simulators_that_accept_their_credentials() {
    let (_sim, line) =
        TestServer::spawn_until(BIN, "sqlite://unused.db", &[], &["sim"], "hiresync sim: ", 60).await.unwrap();
    let printed: Value = serde_json::from_str(&line).unwrap();
    let tt = &printed["simulators"]["teamtailor"];
    let http = reqwest::Client::new();
    let with_key = http
        .get(format!("{}/v1/jobs", tt["base_url"].as_str().unwrap()))
        .header("Authorization", format!("Token token={}", tt["credentials"]["api_key"].as_str().unwrap()))
        .header("X-Api-Version", "20240404")
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), 200);
    let body: Value = with_key.json().await.unwrap();
    assert_eq!(body["data"][0]["attributes"]["title"], "Backend Developer");
    let without = http
        .get(format!("{}/v1/jobs", tt["base_url"].as_str().unwrap()))
        .header("X-Api-Version", "20240404")
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), 401);
    for provider in ["greenhouse", "clockwork", "oneflow"] {
        let control = printed["simulators"][provider]["control_url"].as_str().unwrap();
        assert_eq!(reqwest::get(format!("{control}/requests")).await.unwrap().status(), 200, "{provider}");
    }
}
