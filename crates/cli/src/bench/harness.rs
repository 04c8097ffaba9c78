//! What every figure stands on: a fresh database per figure and the real
//! `hiresync serve` as a child process, started by the same testkit harness
//! the end-to-end tests use; provider connections made through the API, and
//! the helpers that put contacts, post events and wait for the queue to drain.

use crate::sandbox::Api;
use anyhow::{Context, Result};
use hiresync_sim::demo::DemoTenant;
use hiresync_sim::{Demo, DemoOptions};
use hiresync_store::{APPLICATION_NAME, Raw, Store};
use hiresync_testkit::{Harness, JobCounts, Polled, Started, TestDb, TestServer, eventually};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

/// Which database a figure runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server this URL names.
    Postgres(String),
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// A new, migrated database; a PostgreSQL one is dropped with it.
    pub async fn fresh(&self) -> Result<TestDb> {
        let admin_url = match self {
            Backend::Sqlite => None,
            Backend::Postgres(url) => Some(url.as_str()),
        };
        TestDb::untimed(admin_url).await.context("making the figure's database")
    }
}

/// This binary, which the figures start as `hiresync serve` and `hiresync workspace create`.
pub fn exe() -> Result<std::path::PathBuf> {
    std::env::current_exe().context("finding the hiresync binary")
}

/// A database, a server on it and a workspace owner's view of the API.
pub struct World {
    /// The database, with a store for reading queue counts.
    pub db: TestDb,
    /// The server.
    pub server: TestServer,
    /// `hiresync worker` processes beside the server, on the same database.
    pub workers: Vec<TestServer>,
    /// The owner's API.
    pub api: Api,
}

impl World {
    /// A fresh database with a workspace, and `hiresync serve ARGS` on it with `env`.
    pub async fn start(backend: &Backend, args: &[&str], env: &[(&str, &str)]) -> Result<Self> {
        Self::cluster(backend, args, env, 0).await
    }

    /// [`World::start`], and `workers` `hiresync worker` processes with the same `env`, each
    /// listening for new jobs before this returns (PostgreSQL only: SQLite has one process).
    pub async fn cluster(backend: &Backend, args: &[&str], env: &[(&str, &str)], workers: usize) -> Result<Self> {
        let db = backend.fresh().await?;
        // Warnings only: the server's own logging would be measured with it.
        let harness = Harness::new(exe()?, &db).env(&[("HIRESYNC_LOG", "warn")]).env(env).serve_args(args);
        let Started { server, app, .. } = harness.start().await?;
        let api = Api::new(&app.url, &app.token);
        let mut world = Self { db, server, workers: Vec::new(), api };
        for _ in 0..workers {
            world.workers.push(harness.worker().await?);
        }
        if workers > 0 {
            listening(&world.db.store, workers).await?;
        }
        Ok(world)
    }

    /// Stops the server and the workers, and drops the database.
    pub async fn stop(self) {
        self.server.stop().await;
        for worker in self.workers {
            worker.stop().await;
        }
        self.db.store.close().await;
    }

    /// Waits until no job is queued or running; fails after `limit`.
    pub async fn wait_idle(&self, limit: Duration) -> Result<JobCounts> {
        hiresync_testkit::wait_idle(&self.db.store, limit).await
    }
}

/// Waits until `n` processes on `store`'s PostgreSQL database listen for new jobs: started
/// workers are then ready, and a job enqueued wakes each of them at once.
pub async fn listening(store: &Store, n: usize) -> Result<()> {
    eventually("workers listening for new jobs", Duration::from_secs(60), || async {
        let mut db = store.db().await?;
        let Raw::Postgres(c) = db.raw() else { anyhow::bail!("only PostgreSQL has several worker processes") };
        let listening: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity where datname = current_database() and application_name = $1
               and query ilike 'listen%'",
        )
        .bind(APPLICATION_NAME)
        .fetch_one(c)
        .await?;
        Ok(if usize::try_from(listening).unwrap_or_default() >= n {
            Polled::Ready(())
        } else {
            Polled::Waiting(format!("{listening} of {n} listening"))
        })
    })
    .await
}

/// Peak resident set size so far (`VmHWM`) of a running process, in bytes.
pub fn peak_rss(server: &TestServer) -> Result<u64> {
    let pid = server.pid().context("hiresync serve has exited")?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).context("reading /proc/PID/status")?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .context("no VmHWM in /proc/PID/status")?;
    Ok(kib * 1024)
}

/// Connects `provider`'s demo tenant for the owner with this rate limit, targets
/// the named job or project (moving repliers to its second stage), and creates
/// the sequence `seq` whose contacts sync there. Returns the connection id.
pub async fn connect(api: &Api, demo: &Demo, provider: &str, target: &str, rate_limit: &Value) -> Result<String> {
    let tenant: &DemoTenant = demo.tenant(provider).with_context(|| format!("no {provider} simulator"))?;
    let mut body = json!({"provider": provider, "base_url": tenant.base_url, "credentials": tenant.credentials,
        "rate_limit": rate_limit});
    if let Some(auth) = &tenant.auth_base_url {
        body["auth_base_url"] = json!(auth);
    }
    let conn = api.send(Method::POST, "/v1/connections", Some(&body)).await?;
    let id = conn["id"].as_str().context("POST /v1/connections gave no id")?.to_owned();
    let targets = api.send(Method::GET, &format!("/v1/connections/{id}/targets"), None).await?;
    let (target, reply_stage) = crate::morning::target_and_reply_stage(&targets, target)?;
    let settings = json!({
        "default_target": target,
        "dedup_warning": true,
        "activity_tracking": true,
        "stage_map": reply_stage.map(|s| json!({"replied": s})).unwrap_or_else(|| json!({})),
    });
    api.send(Method::PUT, &format!("/v1/connections/{id}/settings"), Some(&settings)).await?;
    api.send(Method::PUT, "/v1/sequences/seq", Some(&json!({"name": "Bench outreach"}))).await?;
    Ok(id)
}

/// The demo simulators with an allowance no benchmark reaches, for figures that are not about quotas.
/// Disabling a simulator's limits is not enough: it still announces `Remaining: 0` once a
/// window's count passes the limit, and the client rightly waits for the reset.
pub async fn unlimited_demo() -> Result<Demo> {
    let demo = Demo::start(DemoOptions { rate_limits: false, ..DemoOptions::default() }).await?;
    for core in [demo.greenhouse.core(), demo.clockwork.core(), demo.teamtailor.core(), demo.oneflow.core()] {
        let mut limits = core.rate_limits();
        for rule in &mut limits.rules {
            rule.limit = 1_000_000_000;
        }
        core.set_rate_limits(limits);
    }
    Ok(demo)
}

/// The demo job or project each provider's contacts are placed on.
pub fn demo_target(provider: &str) -> &'static str {
    match provider {
        "greenhouse" => "Senior Rust Engineer",
        "clockwork" => "CFO, Analytical Engines",
        _ => "Backend Developer",
    }
}

/// Contact `{prefix}{i}`'s external id.
pub fn contact_id(prefix: &str, i: usize) -> String {
    format!("{prefix}{i}")
}

/// Puts contacts `prefix0..prefixN` with one email each, `parallel` requests at a time.
pub async fn put_contacts(api: &Api, prefix: &str, n: usize, parallel: usize) -> Result<()> {
    let mut next = 0;
    let mut set = tokio::task::JoinSet::new();
    while next < n || !set.is_empty() {
        while next < n && set.len() < parallel.max(1) {
            let (api, id) = (api.clone(), contact_id(prefix, next));
            let body = json!({"emails": [format!("{id}@bench.example")], "first_name": "Bench",
                "last_name": format!("Person {next}"), "company": "Bench Inc.", "title": "Engineer"});
            set.spawn(async move { api.send(Method::PUT, &format!("/v1/contacts/{id}"), Some(&body)).await });
            next += 1;
        }
        if let Some(done) = set.join_next().await {
            done.context("a contact upload task")??;
        }
    }
    Ok(())
}

/// One outreach event on sequence `seq`.
pub fn event(id: &str, kind: &str, contact: &str, data: &Value) -> Value {
    json!({"id": id, "type": kind, "occurred_at": chrono::Utc::now().to_rfc3339(), "contact": contact,
        "sequence": "seq", "data": data})
}

/// A sent message or a reply whose body carries `marker`, so its note can be found in a request log.
pub fn message(marker: &str) -> Value {
    json!({"subject": "Quick question", "body": format!("Hello, let us talk. [{marker}]"), "step": 1,
        "to": "someone@bench.example", "from": "owner@bench.example"})
}

/// Posts events in batches of `batch`; returns how many were accepted.
pub async fn post_events(api: &Api, events: &[Value], batch: usize) -> Result<u64> {
    let mut accepted = 0;
    for chunk in events.chunks(batch.max(1)) {
        let out = api.send(Method::POST, "/v1/events", Some(&Value::from(chunk.to_vec()))).await?;
        accepted += out["accepted"].as_u64().unwrap_or_default();
    }
    Ok(accepted)
}

/// Enrolls contacts `prefix0..prefixN` in the bench sequence with the connection's trigger off, so
/// nothing syncs yet; the bulk sync is then one `POST /v1/resyncs` (see [`start_resync`]).
pub async fn enroll_unsynced(api: &Api, connection: &str, prefix: &str, n: usize) -> Result<()> {
    let path = format!("/v1/connections/{connection}/settings");
    let mut settings = api.send(Method::GET, &path, None).await?;
    settings["trigger"] = json!("off");
    api.send(Method::PUT, &path, Some(&settings)).await?;
    let accepted = post_events(api, &contacts_added(prefix, n), 1000).await?;
    anyhow::ensure!(accepted == n as u64, "{accepted} of {n} events accepted");
    Ok(())
}

/// Resyncs the bench sequence's never-synced contacts to `connection` (SPEC R1): the bulk sync.
pub async fn start_resync(api: &Api, connection: &str) -> Result<String> {
    let body = json!({"connection_id": connection, "sequence": "seq"});
    let resync = api.send(Method::POST, "/v1/resyncs", Some(&body)).await?;
    Ok(resync["id"].as_str().context("POST /v1/resyncs gave no id")?.to_owned())
}

/// `contact_added` for contacts `prefix0..prefixN`, in key order.
pub fn contacts_added(prefix: &str, n: usize) -> Vec<Value> {
    (0..n).map(|i| event(&format!("{prefix}add-{i}"), "contact_added", &contact_id(prefix, i), &json!({}))).collect()
}

/// Percentile `p` (0-100) of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round();
    sorted[(rank as usize).min(sorted.len() - 1)]
}
