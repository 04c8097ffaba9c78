//! What every figure stands on: a fresh database per figure, the real
//! `hiresync serve` as a child process on a loopback port, a workspace with
//! its owner's token, provider connections made through the API, and the
//! helpers that put contacts, post events and wait for the queue to drain.

use crate::config::Config;
use crate::sandbox::Api;
use anyhow::{Context, Result, bail};
use hiresync_sim::demo::DemoTenant;
use hiresync_sim::{Demo, DemoOptions};
use hiresync_store::Store;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::Connection;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The key that seals the bench's provider credentials; the databases are thrown away afterwards.
pub const BENCH_MASTER_KEY: &str = "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmU=";

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
}

/// One figure's database; a PostgreSQL one is dropped by [`Db::close`].
pub struct Db {
    /// Its URL, for child processes.
    pub url: String,
    admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
    /// A new, empty database on `backend`.
    pub async fn fresh(backend: &Backend) -> Result<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().context("making a directory for the bench database")?;
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                Ok(Self { url, admin: None, _dir: Some(dir) })
            }
            Backend::Postgres(admin_url) => {
                let name = format!("hiresync_bench_{}", rand::random::<u32>());
                let mut admin = sqlx::PgConnection::connect(admin_url).await.with_context(|| {
                    format!("PostgreSQL at {} is unreachable", hiresync_store::redact_url(admin_url))
                })?;
                sqlx::query(&format!("create database {name}")).execute(&mut admin).await?;
                admin.close().await?;
                let mut url = url::Url::parse(admin_url).context("--database-url")?;
                url.set_path(&name);
                Ok(Self { url: url.to_string(), admin: Some((admin_url.clone(), name)), _dir: None })
            }
        }
    }

    /// Opens (and migrates) the database with a pool of `connections`.
    pub async fn store(&self, connections: u32) -> Result<Store> {
        let store = Store::connect(&self.url, connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// A workspace and its owner, made as `hiresync workspace create` makes them.
    pub async fn workspace(&self) -> Result<Value> {
        let config = Config { database_url: self.url.clone(), ..Config::default() };
        crate::admin::create_workspace(&config, "Bench", "owner@bench.example").await
    }

    /// Drops a PostgreSQL database; a SQLite one goes with its directory.
    pub async fn close(self) {
        if let Some((admin_url, name)) = &self.admin
            && let Ok(mut c) = sqlx::PgConnection::connect(admin_url).await
        {
            let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&mut c).await;
            let _ = c.close().await;
        }
    }
}

/// `hiresync serve` running as a child process.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    child: Child,
    log: PathBuf,
}

impl Server {
    /// Starts this binary's `serve ARGS` on `db_url` with extra environment, and waits until it listens.
    pub async fn start(db_url: &str, args: &[&str], env: &[(&str, &str)]) -> Result<Self> {
        let exe = std::env::current_exe().context("finding the hiresync binary")?;
        let log = std::env::temp_dir().join(format!("hiresync-bench-{}.log", rand::random::<u32>()));
        let file = std::fs::File::create(&log)?;
        let mut cmd = Command::new(exe);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HIRESYNC_DATABASE_URL", db_url)
            .env("HIRESYNC_MASTER_KEY", BENCH_MASTER_KEY)
            .env("HIRESYNC_ALLOW_PRIVATE_URLS", "1")
            .env("HIRESYNC_LOG", "warn")
            .envs(env.iter().copied())
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(file))
            .kill_on_drop(true);
        let mut child = cmd.spawn().context("starting hiresync serve")?;
        let stdout = child.stdout.take().context("no stdout from hiresync serve")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix("hiresync listening on ") {
                    return Ok(url.trim().to_owned());
                }
            }
            bail!("hiresync serve exited before listening; its log: {}", log.display())
        })
        .await
        .with_context(|| format!("hiresync serve did not listen within 60 s; its log: {}", log.display()))??;
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { url, child, log })
    }

    /// Peak resident set size so far (`VmHWM`), in bytes.
    pub fn peak_rss(&self) -> Result<u64> {
        let pid = self.child.id().context("hiresync serve has exited")?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).context("reading /proc/PID/status")?;
        let kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .context("no VmHWM in /proc/PID/status")?;
        Ok(kib * 1024)
    }

    /// Stops the process and removes its log.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A database, a server on it and a workspace owner's view of the API.
pub struct World {
    /// The database.
    pub db: Db,
    /// A store on it, for reading queue counts.
    pub store: Store,
    /// The server.
    pub server: Server,
    /// The owner's API.
    pub api: Api,
}

impl World {
    /// A fresh database with a workspace, and `hiresync serve ARGS` on it.
    pub async fn start(backend: &Backend, args: &[&str], env: &[(&str, &str)]) -> Result<Self> {
        let db = Db::fresh(backend).await?;
        let ws = db.workspace().await?;
        let store = db.store(4).await?;
        let server = Server::start(&db.url, args, env).await?;
        let api = Api::new(&server.url, ws["token"].as_str().unwrap_or_default());
        Ok(Self { db, store, server, api })
    }

    /// Stops the server and drops the database.
    pub async fn stop(self) {
        self.server.stop().await;
        self.store.close().await;
        self.db.close().await;
    }

    /// Waits until no job is queued or running; fails after `limit`.
    pub async fn wait_idle(&self, limit: Duration) -> Result<QueueCounts> {
        wait_idle(&self.store, limit).await
    }
}

/// Jobs by state.
#[derive(Clone, Copy, Debug, Default)]
pub struct QueueCounts {
    /// Waiting to run.
    pub queued: i64,
    /// Completed.
    pub done: i64,
    /// Failed for good.
    pub dead: i64,
}

/// The queue's counts now.
pub async fn counts(store: &Store) -> Result<QueueCounts> {
    let c = store.job_counts().await?;
    let n = |s: &str| c.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    Ok(QueueCounts { queued: n("queued"), done: n("done"), dead: n("dead") })
}

/// Whether any job is queued or running. It reads one entry of the claim index, where a
/// count of the unfinished jobs walks all of them: polled every 50 ms during a 100,000-job
/// resync, that is a scan of up to 100,000 entries twenty times a second on the cores the
/// measured server runs on.
pub async fn busy(store: &Store) -> Result<bool> {
    Ok(store.busy().await?)
}

/// Polls until no job is queued or running, then returns the counts; fails after `limit`.
pub async fn wait_idle(store: &Store, limit: Duration) -> Result<QueueCounts> {
    let started = Instant::now();
    while busy(store).await? {
        if started.elapsed() >= limit {
            let c = counts(store).await?;
            bail!("the queue did not drain within {} s: {} jobs queued", limit.as_secs(), c.queued);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    counts(store).await
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

/// A rate limit no benchmark reaches, for figures that are not about quotas.
pub fn unthrottled() -> Value {
    json!({"requests": 1_000_000, "per_seconds": 1})
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
