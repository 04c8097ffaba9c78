//! The master key: required on PostgreSQL, a private key file on SQLite, and rotated
//! with `HIRESYNC_MASTER_KEYS_OLD` and `hiresync rekey` while connections keep working.

use crate::support::*;
use hiresync_engine::Vault;
use hiresync_store::{Backend, connections};
use hiresync_testkit::{TEST_MASTER_KEY, TestApp, TestDb, TestServer, databases};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// 32 bytes of 2, the key rotated to (the testkit's own key, 32 bytes of 7, is the one rotated from).
const KEY_B: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

/// Runs `hiresync ARGS` to its end with only the database and `env` set (no master key unless given).
async fn hiresync(db_url: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HIRESYNC_DATABASE_URL", db_url)
        .env("HIRESYNC_LOG", "warn")
        .envs(env.iter().copied())
        .args(args)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    // A process that wrongly starts serving would never end: the timeout turns that into a failure.
    tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("hiresync {} did not exit", args.join(" ")))
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn key_id(key: &str) -> String {
    Vault::from_base64(&SecretString::from(key.to_owned())).unwrap().key_id().to_owned()
}

fn key_file_of(sqlite_url: &str) -> PathBuf {
    Path::new(sqlite_url.trim_start_matches("sqlite://")).with_file_name("hiresync.key")
}

#[tokio::test]
async fn postgres_needs_the_master_key_and_sqlite_makes_a_private_key_file() {
    for db in databases().await.unwrap() {
        match db.store.backend() {
            Backend::Postgres => {
                for args in [&["serve", "--listen", "127.0.0.1:0"][..], &["worker"], &["rekey"]] {
                    let out = hiresync(&db.url, &[], args).await;
                    let err = stderr(&out);
                    assert!(!out.status.success(), "{args:?} started without a key: {err}");
                    assert!(err.contains("HIRESYNC_MASTER_KEY is required with PostgreSQL"), "{args:?}: {err}");
                    assert!(err.contains("openssl rand -base64 32"), "{args:?}: {err}");
                }
            }
            Backend::Sqlite => {
                let out = hiresync(&db.url, &[], &["rekey"]).await;
                assert!(out.status.success(), "{}", stderr(&out));
                let key_file = key_file_of(&db.url);
                assert!(key_file.exists(), "no key file at {}", key_file.display());
            }
        }
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_key_file_others_can_read_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hiresync.db").display());
    let key_file = key_file_of(&url);
    std::fs::write(&key_file, KEY_B).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = hiresync(&url, &[], &["serve", "--listen", "127.0.0.1:0"]).await;
    let err = stderr(&out);
    assert!(!out.status.success(), "served with a world-readable key file: {err}");
    assert!(err.contains(&key_file.display().to_string()) && err.contains("chmod 600"), "{err}");
}

/// `GET /v1/connections/{id}/targets` through a new server holding `env`'s keys: the status, and the server.
async fn targets_with(db: &TestDb, token: &str, conn: &str, env: &[(&str, &str)]) -> (u16, TestServer) {
    let server = harness(db).env(env).serve().await.unwrap();
    let app = TestApp::new(server.url.as_deref().unwrap_or_default(), token);
    let (status, body) = app.send("GET", &format!("/v1/connections/{conn}/targets"), None).await.unwrap();
    if status == 200 {
        assert_eq!(body[0]["name"], "Rust Engineer", "{body}");
    }
    (status.as_u16(), server)
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_keeps_connections_working_through_rekey() {
    for db in databases().await.unwrap() {
        // Made under the testkit's key, A.
        let mut s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (token, conn) = (s.app.token.clone(), s.connection_id.clone());
        s.app.expect("GET", &format!("/v1/connections/{conn}/targets"), None, 200).await.unwrap();
        // A webhook endpoint's signing secret is sealed under A too.
        let hook = json!({"url": "http://127.0.0.1:9/hooks", "events": ["contact.synced"]});
        let endpoint = s.app.expect("POST", "/v1/webhook-endpoints", Some(&hook), 201).await.unwrap();
        let endpoint = endpoint["id"].as_str().unwrap().to_owned();
        assert!(s.server.terminate().await.unwrap());
        let only_b = [("HIRESYNC_MASTER_KEY", KEY_B)];
        let b_and_old_a = [("HIRESYNC_MASTER_KEY", KEY_B), ("HIRESYNC_MASTER_KEYS_OLD", TEST_MASTER_KEY)];

        // Key B alone cannot open what A sealed, and says which key it lacks.
        let (status, mut server) = targets_with(&db, &token, &conn, &only_b).await;
        assert_eq!(status, 500, "{}", db.backend);
        assert!(server.terminate().await.unwrap());
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert!(log.contains(&format!("sealed with key {}", key_id(TEST_MASTER_KEY))), "{log}");
        let out = hiresync(&db.url, &only_b, &["rekey"]).await;
        assert!(!out.status.success(), "{}: rekey without the old key succeeded", db.backend);
        let failed = report(&out);
        assert_eq!(failed["failed"][0]["connection_id"], conn.as_str(), "{failed}");
        assert!(failed["failed"][0]["error"].as_str().unwrap().contains("HIRESYNC_MASTER_KEYS_OLD"), "{failed}");
        assert_eq!(failed["webhook_endpoints"]["failed"][0]["endpoint_id"], endpoint.as_str(), "{failed}");

        // With A as an old key it opens, and rekey reseals it under B while that server runs.
        let (status, mut server) = targets_with(&db, &token, &conn, &b_and_old_a).await;
        assert_eq!(status, 200, "{}", db.backend);
        let out = hiresync(&db.url, &b_and_old_a, &["rekey"]).await;
        assert!(out.status.success(), "{}", stderr(&out));
        let resealed = json!({"resealed": 1, "already_current": 0, "failed": [],
            "webhook_endpoints": {"resealed": 1, "failed": []}});
        assert_eq!(report(&out), resealed, "{}", db.backend);
        let again = hiresync(&db.url, &b_and_old_a, &["rekey"]).await;
        let current = json!({"resealed": 0, "already_current": 1, "failed": [],
            "webhook_endpoints": {"resealed": 0, "failed": []}});
        assert_eq!(report(&again), current, "{}", db.backend);
        assert!(server.terminate().await.unwrap());
        let stored = connections::find(&mut db.store.db().await.unwrap(), &conn).await.unwrap();
        assert_eq!(stored.key_id, key_id(KEY_B), "{}", db.backend);

        // A can now be forgotten.
        let (status, mut server) = targets_with(&db, &token, &conn, &only_b).await;
        assert_eq!(status, 200, "{}", db.backend);
        assert!(server.terminate().await.unwrap());
    }
}
