//! What an operator reads (issue 27): JSON log lines that name the job,
//! connection and workspace they are about, and provider, job and queue
//! metrics, after a contact syncs to the Greenhouse simulator.

use crate::support::*;
use hiresync_testkit::{databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_name_the_job_and_metrics_count_provider_requests() {
    for db in databases().await.unwrap() {
        let env = [("HIRESYNC_LOG_FORMAT", "json"), ("HIRESYNC_LOG", "info,sqlx=warn,hiresync_providers=debug")];
        let s = harness(&db).env(&env).greenhouse(&json!({})).await.unwrap();
        let body = json!({"emails": ["ada@example.com"], "first_name": "Ada", "last_name": "Lovelace"});
        s.app.expect("PUT", "/v1/contacts/ada", Some(&body), 201).await.unwrap();
        // Connecting made provider requests of its own, outside any job.
        let before = std::fs::read_to_string(&s.server.log).unwrap().len();
        let event = json!([{"id": "a1", "type": "contact_added", "contact": "ada", "sequence": "seq-1",
            "occurred_at": "2026-12-07T09:00:00Z", "data": {}}]);
        s.app.expect("POST", "/v1/events", Some(&event), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();

        let log = std::fs::read_to_string(&s.server.log).unwrap();
        let lines: Vec<Value> = log[before..]
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
            .collect();
        assert!(!log.contains('\u{1b}'), "no colour codes in a log file");
        for line in log[..before].lines().filter(|l| !l.trim().is_empty()) {
            serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        }
        let provider_lines: Vec<&Value> =
            lines.iter().filter(|l| l["fields"]["message"] == "Provider request finished.").collect();
        assert!(!provider_lines.is_empty(), "{log}");
        for line in provider_lines {
            let job = line["spans"].as_array().and_then(|s| s.iter().find(|s| s["name"] == "job"));
            let job = job.unwrap_or_else(|| panic!("a provider request inside a job names it: {line}"));
            assert!(job["job_id"].as_i64().is_some(), "{line}");
            assert_eq!(job["workspace_id"], s.workspace_id.as_str(), "{line}");
            assert_eq!(job["connection_id"], s.connection_id.as_str(), "{line}");
        }

        let (status, metrics) = s.app.raw("GET", "/metrics", None, None).await.unwrap();
        assert_eq!(status, 200);
        let metrics = metrics.as_str().unwrap().to_owned();
        let value = |prefix: &str| -> f64 {
            metrics
                .lines()
                .filter(|l| l.starts_with(prefix))
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum()
        };
        assert!(
            value("hiresync_provider_requests_total{provider=\"greenhouse\",operation=") >= 2.0,
            "a lookup and a create at least: {metrics}"
        );
        assert!(value("hiresync_provider_request_duration_seconds_count{provider=\"greenhouse\"") >= 2.0, "{metrics}");
        assert!(value("hiresync_job_duration_seconds_count{kind=") >= 1.0, "{metrics}");
        assert!(metrics.contains("hiresync_job_oldest_due_age_seconds 0"), "nothing waits once idle: {metrics}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_process_serves_its_own_health_and_metrics() {
    for db in databases().await.unwrap() {
        let s = harness(&db).serve_args(&["--no-worker"]).greenhouse(&json!({})).await.unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let worker = harness(&db).env(&[("HIRESYNC_METRICS_LISTEN", addr.as_str())]).worker().await.unwrap();
        let body = json!({"emails": ["ada@example.com"], "first_name": "Ada", "last_name": "Lovelace"});
        s.app.expect("PUT", "/v1/contacts/ada", Some(&body), 201).await.unwrap();
        let event = json!([{"id": "a1", "type": "contact_added", "contact": "ada", "sequence": "seq-1",
            "occurred_at": "2026-12-07T09:00:00Z", "data": {}}]);
        s.app.expect("POST", "/v1/events", Some(&event), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();

        let ops = hiresync_testkit::TestApp::new(&format!("http://{addr}"), "");
        let health = ops.get_until("/healthz", |v| v["status"] == "ok").await.unwrap();
        assert_eq!(health["status"], "ok");
        let (status, metrics) = ops.raw("GET", "/metrics", None, None).await.unwrap();
        assert_eq!(status, 200);
        let metrics = metrics.as_str().unwrap();
        assert!(
            metrics.contains("hiresync_provider_requests_total{provider=\"greenhouse\",operation="),
            "the worker made the sync's requests: {metrics}"
        );
        assert_eq!(ops.raw("GET", "/v1/connections", None, None).await.unwrap().0, 404, "no API on a worker");
        drop(worker);
    }
}
