//! Shared set-up: a workspace, a server, a Greenhouse simulator connected
//! through the API, and helpers to post events and wait for the queue.

use anyhow::{Result, ensure};
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_store::Store;
use hiresync_testkit::{TestApp, TestDb, TestServer, create_workspace};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_hiresync");

/// Everything one end-to-end test drives.
pub struct Setup {
    pub server: TestServer,
    pub app: TestApp,
    pub sim: GreenhouseSim,
    pub connection_id: String,
    pub workspace_id: String,
}

/// A Greenhouse tenant with no rate limit of its own (the client still keeps Greenhouse's).
pub async fn greenhouse() -> Result<GreenhouseSim> {
    let mut config = hiresync_sim::greenhouse::config();
    config.rate_limits.enabled = false;
    let sim = GreenhouseSim::start_with(config, "127.0.0.1:0".parse()?).await?;
    sim.app().add_client("client-1", "secret-1");
    Ok(sim)
}

/// A workspace, `hiresync serve` on port 0 and a Greenhouse connection made through the API.
pub async fn setup(db: &TestDb, env: &[(&str, &str)], settings: &Value) -> Result<Setup> {
    setup_via(db, &db.url, env, settings).await
}

/// As [`setup`], the server reaching the database through `server_db_url` (a proxy, say).
pub async fn setup_via(db: &TestDb, server_db_url: &str, env: &[(&str, &str)], settings: &Value) -> Result<Setup> {
    setup_with(db, server_db_url, env, settings, &json!({})).await
}

/// As [`setup_via`], with `connection` merged into the body that creates the connection
/// (a `rate_limit` above Greenhouse's own, say).
pub async fn setup_with(
    db: &TestDb,
    server_db_url: &str,
    env: &[(&str, &str)],
    settings: &Value,
    connection: &Value,
) -> Result<Setup> {
    let ws = create_workspace(BIN, &db.url, "Acme", "owner@acme.io").await?;
    let server = TestServer::serve(BIN, server_db_url, env).await?;
    let app = TestApp::new(server.url.as_deref().unwrap_or_default(), ws["token"].as_str().unwrap_or_default());
    let sim = greenhouse().await?;
    let user = sim.app().add_user("Robin", "Recruiter", "robin@acme.io");
    let job = sim.app().add_job("Rust Engineer", &["Review", "Screen"]);
    let mut body = json!({"provider": "greenhouse", "base_url": sim.base_url(), "auth_base_url": sim.auth_base_url(),
        "credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": user}});
    for (k, v) in connection.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    let conn = app.expect("POST", "/v1/connections", Some(&body), 201).await?;
    let connection_id = conn["id"].as_str().unwrap_or_default().to_owned();
    let mut s = settings.clone();
    s["default_target"] = json!({"job_id": job.id, "stage_id": job.stage_ids[0]});
    app.expect("PUT", &format!("/v1/connections/{connection_id}/settings"), Some(&s), 200).await?;
    app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Rust outreach"})), 201).await?;
    Ok(Setup { server, app, sim, connection_id, workspace_id: ws["workspace_id"].as_str().unwrap_or_default().into() })
}

/// Contacts `c0..cN` with one email each.
pub async fn put_contacts(app: &TestApp, n: usize) -> Result<()> {
    for i in 0..n {
        let body =
            json!({"emails": [format!("person{i}@example.com")], "first_name": format!("P{i}"), "last_name": "Test"});
        app.expect("PUT", &format!("/v1/contacts/c{i}"), Some(&body), 201).await?;
    }
    Ok(())
}

/// For each contact, `contact_added` then `per_contact - 1` messages, interleaved across contacts.
pub fn events(contacts: usize, per_contact: usize) -> Vec<Value> {
    let mut v = Vec::with_capacity(contacts * per_contact);
    for k in 0..per_contact {
        for i in 0..contacts {
            let kind = if k == 0 { "contact_added" } else { "message_sent" };
            v.push(json!({"id": format!("e{i}-{k}"), "type": kind, "contact": format!("c{i}"), "sequence": "seq-1",
                "occurred_at": format!("2026-11-22T{:02}:{:02}:{:02}Z", k / 3600, (k / 60) % 60, k % 60),
                "data": {"subject": "Hello", "body": format!("message {k}"), "step": k}}));
        }
    }
    v
}

/// Posts events in batches; returns the accepted total.
pub async fn post_all(app: &TestApp, events: &[Value], batch: usize) -> Result<u64> {
    let mut accepted = 0;
    for chunk in events.chunks(batch) {
        let out = app.expect("POST", "/v1/events", Some(&Value::from(chunk.to_vec())), 202).await?;
        accepted += out["accepted"].as_u64().unwrap_or_default();
    }
    Ok(accepted)
}

/// Job counts by state.
pub async fn counts(store: &Store) -> Result<(i64, i64, i64, i64)> {
    let c = store.job_counts().await?;
    let n = |s: &str| c.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    Ok((n("queued"), n("running"), n("done"), n("dead")))
}

/// Polls until no job is queued or running, or fails after `limit`.
pub async fn wait_idle(store: &Store, limit: Duration) -> Result<()> {
    let start = Instant::now();
    loop {
        let (queued, running, _, _) = counts(store).await?;
        if queued == 0 && running == 0 {
            return Ok(());
        }
        ensure!(start.elapsed() < limit, "queue not drained after {limit:?}: {queued} queued, {running} running");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every event's decision carried out exactly once, and within each contact in the order the
/// events were posted: one outcome line each, from jobs run one after another, and none left.
pub async fn assert_exactly_once_in_order(store: &Store, workspace: &str, contacts: usize, per: usize) -> Result<()> {
    let mut c = store.db().await?;
    for i in 0..contacts {
        let log = hiresync_store::sync_log::for_contact(&mut c, workspace, &format!("c{i}")).await?;
        // Provider call lines ("POST /v3/candidates") sit beside each job's own outcome line.
        let outcomes = log.iter().filter(|e| !e.operation.contains('/'));
        let done: Vec<i64> = outcomes.filter(|e| e.outcome == "ok").filter_map(|e| e.job_id).collect();
        ensure!(done.len() == per, "c{i}: {} outcomes for {per} events", done.len());
        ensure!(done.windows(2).all(|w| w[0] <= w[1]), "c{i}: jobs ran out of order: {done:?}");
    }
    let sql = "select count(*) from decisions d where d.action <> 'skip' and d.id > coalesce((select k.carried_through
           from carry_marks k where k.connection_id = d.connection_id and k.contact_id = d.contact_id), 0)";
    let (left,): (i64,) = hiresync_store::with_raw!(&mut c, |c| sqlx::query_as(sql).fetch_one(c).await)?;
    ensure!(left == 0, "{left} decisions not carried out");
    Ok(())
}

/// Polls `GET path` until `done` holds for its body, or fails after two minutes.
pub async fn poll_until(app: &TestApp, path: &str, done: impl Fn(&Value) -> bool) -> Result<Value> {
    let start = Instant::now();
    loop {
        let body = app.expect("GET", path, None, 200).await?;
        if done(&body) {
            return Ok(body);
        }
        ensure!(start.elapsed() < Duration::from_secs(120), "{path} never got there: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Brings a recurring import's scheduled run forward to now (the hour has passed).
pub async fn run_import_now(store: &Store, import: &str) -> Result<()> {
    let mut c = store.db().await?;
    let n = hiresync_store::queue::bring_forward(&mut c, &hiresync_engine::import::ordering_key(import)).await?;
    ensure!(n == 1, "expected one scheduled run, found {n}");
    Ok(())
}

/// Merges `patch` into a connection's resolved settings and saves them.
pub async fn patch_settings(app: &TestApp, conn: &str, patch: &Value) -> Result<Value> {
    let path = format!("/v1/connections/{conn}/settings");
    let mut s = app.expect("GET", &path, None, 200).await?;
    for (k, v) in patch.as_object().into_iter().flatten() {
        s[k] = v.clone();
    }
    app.expect("PUT", &path, Some(&s), 200).await
}

/// The Greenhouse candidate a contact is linked to on the connection.
pub async fn person_of(app: &TestApp, contact: &str) -> Result<i64> {
    let sync = app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await?;
    let id = sync[0]["person_id"].as_str().unwrap_or_default().parse()?;
    Ok(id)
}

/// Note bodies written on a candidate, oldest first.
pub fn notes_of(sim: &GreenhouseSim, candidate: i64) -> Vec<String> {
    sim.state().notes.values().filter(|n| n.candidate_id == Some(candidate)).map(|n| n.body.clone()).collect()
}
