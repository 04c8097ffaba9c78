//! The bulk-work commands (issue 27) driven as an operator's script would:
//! `hiresync resync`, `status`, `jobs` and `jobs retry` against a running
//! server, judged by their output, their exit codes and the Greenhouse
//! simulator's records.

use crate::support::*;
use hiresync_sim::{Fault, ScriptedFault};
use hiresync_testkit::{databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn hiresync(args: &[&str]) -> Ran {
    let out = tokio::process::Command::new(BIN).args(args).env_remove("HIRESYNC_TOKEN").output().await.unwrap();
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json_of(ran: &Ran) -> Value {
    serde_json::from_str(&ran.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", ran.stdout, ran.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resync_status_and_jobs_from_the_command_line() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        let (url, token, conn) = (s.app.url.as_str(), s.app.token.as_str(), s.connection_id.as_str());
        put_contacts(&s.app, 4).await.unwrap();
        let added: Vec<Value> = (0..3)
            .map(|i| {
                json!({"id": format!("a{i}"), "type": "contact_added", "contact": format!("c{i}"),
                "sequence": "seq-1", "occurred_at": "2026-12-07T09:00:00Z", "data": {}})
            })
            .collect();
        s.app.expect("POST", "/v1/events", Some(&Value::from(added)), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let remote = ["--url", url, "--token", token];

        // A sequence's never-synced contacts, followed to the end with a line per change.
        let mut args = vec!["resync"];
        args.extend(remote);
        args.extend(["--connection", conn, "--sequence", "seq-1"]);
        let ran = hiresync(&args).await;
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
        assert!(ran.stdout.contains("finished: 3 synced, 0 skipped, 0 failed"), "{}", ran.stdout);
        assert!(!ran.stdout.contains('\u{1b}'), "no bar or colour when not on a terminal");
        assert_eq!(s.sim.state().candidates.len(), 3);

        let mut args = vec!["status", "c0", "--json"];
        args.extend(remote);
        let ran = hiresync(&args).await;
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert_eq!(json_of(&ran)[0]["state"], "synced");

        // A contact whose sync dies: exit 3, listed as dead, retried, then synced.
        s.sim.core().inject(ScriptedFault {
            fault: Fault::Status { status: 422 },
            count: 1,
            path_prefix: Some("/v3/candidates".into()),
            method: Some("POST".into()),
        });
        let mut args = vec!["resync", "--json"];
        args.extend(remote);
        args.extend(["--connection", conn, "--contacts", "c3"]);
        let ran = hiresync(&args).await;
        assert_eq!(ran.code, 3, "partly failed: {}{}", ran.stdout, ran.stderr);
        assert_eq!(json_of(&ran)["failed"], 1);
        let mut args = vec!["jobs", "--state", "dead", "--json"];
        args.extend(remote);
        let dead = json_of(&hiresync(&args).await);
        assert_eq!(dead.as_array().map(Vec::len), Some(1), "{dead}");
        assert_eq!(dead[0]["contact"], "c3");
        let mut args = vec!["jobs"];
        args.extend(remote);
        args.extend(["retry", "--all-dead"]);
        let ran = hiresync(&args).await;
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
        assert!(ran.stdout.contains("queued"), "{}", ran.stdout);
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let mut args = vec!["status", "c3"];
        args.extend(remote);
        let ran = hiresync(&args).await;
        assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
        assert!(ran.stdout.contains(": synced"), "{}", ran.stdout);

        // What the server refuses, and a server that is not there, say so in the exit code.
        let mut args = vec!["resync"];
        args.extend(remote);
        args.extend(["--connection", conn, "--sequence", "no-such-sequence"]);
        let ran = hiresync(&args).await;
        assert_eq!(ran.code, 4, "{}", ran.stderr);
        assert!(ran.stderr.contains("sequence"), "names the field: {}", ran.stderr);
        let ran = hiresync(&["jobs", "--url", "http://127.0.0.1:9", "--token", token]).await;
        assert_eq!(ran.code, 5, "{}", ran.stderr);
        let ran = hiresync(&["jobs", "--url", url, "--token", "hs_wrong"]).await;
        assert_eq!(ran.code, 4, "{}", ran.stderr);
    }
}
