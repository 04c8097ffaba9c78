//! `hiresync bench`: runs the real server (as a child process), worker and
//! provider simulators on this machine and measures what the product exists
//! for: quota use, requests per contact, queue throughput, ingest, freshness,
//! memory, and a peer queue side by side. Prints a table, or one JSON object
//! with `--json`, so runs can be compared. Each figure runs on a fresh SQLite
//! database, and on a fresh PostgreSQL database too when the database URL is
//! `postgres://...`. On PostgreSQL two more figures run the quota and the
//! engine with separate `hiresync worker` processes sharing the database.

mod engine;
mod fairness;
mod freshness;
mod harness;
mod ingest;
mod memory;
mod peer;
mod quota;
mod report;
mod requests;

use anyhow::{Context, Result, bail};
use harness::Backend;
use report::{BackendFigures, Machine, PeerRatio, Report, Settings};

/// The figures, by the names `--only` takes.
const FIGURES: [&str; 10] = [
    "quota",
    "requests",
    "engine",
    "ingest",
    "freshness",
    "fairness",
    "memory",
    "peer",
    "cluster-quota",
    "cluster-engine",
];

/// Counts of `hiresync worker` processes the cluster figures run with.
const CLUSTER_WORKERS: [usize; 3] = [1, 2, 4];

/// Flags of `hiresync bench`.
#[derive(clap::Args, Clone, Debug)]
pub struct BenchArgs {
    /// Small counts (seconds, not minutes): for CI, to keep the command working.
    #[arg(long)]
    pub quick: bool,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Speed-up of the rate-limit clock in the quota figure (default: so its minimum is about 40 s).
    #[arg(long)]
    pub time_scale: Option<f64>,
    /// Contacts in each quota run (default 5000; 200 with --quick).
    #[arg(long)]
    pub contacts: Option<usize>,
    /// Contact counts of the memory runs (default 10000,100000; 300,1000 with --quick).
    #[arg(long, value_delimiter = ',')]
    pub memory_contacts: Option<Vec<usize>>,
    /// Run only these figures: quota, requests, engine, ingest, freshness, fairness, memory,
    /// peer, cluster-quota, cluster-engine (the last two on PostgreSQL only).
    #[arg(long, value_delimiter = ',')]
    pub only: Option<Vec<String>>,
}

struct Plan {
    quota_contacts: usize,
    time_scale: f64,
    flow_contacts: usize,
    engine_jobs: usize,
    concurrencies: [usize; 2],
    ingest_contacts: usize,
    ingest_events: usize,
    fresh_contacts: usize,
    fresh_events: usize,
    flood_contacts: usize,
    memory_contacts: Vec<usize>,
}

impl Plan {
    fn new(args: &BenchArgs) -> Result<Self> {
        let quick = args.quick;
        let quota_contacts = args.contacts.unwrap_or(if quick { 200 } else { 5000 }).max(1);
        let time_scale = args.time_scale.unwrap_or_else(|| quota::auto_scale(quota_contacts));
        if !(time_scale.is_finite() && (1.0..=10_000.0).contains(&time_scale)) {
            bail!("--time-scale must be between 1 and 10000, got {time_scale}");
        }
        let memory_contacts =
            args.memory_contacts.clone().unwrap_or_else(|| if quick { vec![300, 1000] } else { vec![10_000, 100_000] });
        if memory_contacts.is_empty() || memory_contacts.contains(&0) {
            bail!("--memory-contacts must list contact counts above 0");
        }
        Ok(Self {
            quota_contacts,
            time_scale,
            flow_contacts: if quick { 10 } else { 200 },
            engine_jobs: if quick { 1000 } else { 20_000 },
            concurrencies: [4, 32],
            ingest_contacts: if quick { 100 } else { 1000 },
            ingest_events: if quick { 5000 } else { 50_000 },
            fresh_contacts: if quick { 20 } else { 100 },
            fresh_events: if quick { 200 } else { 2000 },
            flood_contacts: if quick { 2000 } else { 50_000 },
            memory_contacts,
        })
    }
}

/// Runs the figures and prints the report.
pub async fn bench(args: BenchArgs, database_url: &str) -> Result<()> {
    let only: Vec<String> = args.only.clone().unwrap_or_else(|| FIGURES.map(String::from).to_vec());
    if let Some(bad) = only.iter().find(|f| !FIGURES.contains(&f.as_str())) {
        bail!("--only: unknown figure `{bad}`; choose from {}", FIGURES.join(", "));
    }
    let wants = |f: &str| only.iter().any(|o| o == f);
    let plan = Plan::new(&args)?;
    let mut backends = vec![Backend::Sqlite];
    if database_url.starts_with("postgres") {
        backends.push(Backend::Postgres(database_url.to_owned()));
    } else if let Some(cluster) = args.only.iter().flatten().find(|f| f.starts_with("cluster-")) {
        bail!(
            "--only {cluster}: several processes share only a PostgreSQL database; pass --database-url postgres://..."
        );
    }
    let mut report = Report {
        machine: machine(),
        settings: Settings {
            quick: args.quick,
            time_scale: plan.time_scale,
            quota_contacts: plan.quota_contacts,
            flow_contacts: plan.flow_contacts,
            engine_jobs: plan.engine_jobs,
            ingest_events: plan.ingest_events,
            freshness_events: plan.fresh_events,
            flood_contacts: plan.flood_contacts,
            memory_contacts: plan.memory_contacts.clone(),
            bulk_workload: "POST /v1/resyncs of a sequence enrolled with the connection's trigger off".into(),
            cluster_workers: if backends.len() > 1 { CLUSTER_WORKERS.to_vec() } else { Vec::new() },
        },
        ..Report::default()
    };
    let progress = |what: &str, backend: &Backend| {
        if !args.json {
            eprintln!("bench: {what} on {}...", backend.name());
        }
    };
    if wants("peer") {
        progress("apalis peer", &Backend::Sqlite);
        report.peer = peer::run(plan.engine_jobs, &plan.concurrencies).await.context("figure 7, the apalis peer")?;
    }
    for backend in &backends {
        let mut f = BackendFigures::default();
        if wants("requests") {
            progress("requests per contact", backend);
            f.requests = requests::run(backend, plan.flow_contacts).await.context("figure 2, requests per contact")?;
        }
        if wants("engine") {
            progress("engine", backend);
            f.engine = engine::run(backend, plan.engine_jobs, &plan.concurrencies).await.context("figure 3, engine")?;
            f.peer_ratio = f
                .engine
                .iter()
                .filter_map(|e| {
                    let p = report.peer.iter().find(|p| p.concurrency == e.concurrency)?;
                    Some(PeerRatio { concurrency: e.concurrency, ratio: e.jobs_per_sec / p.jobs_per_sec })
                })
                .collect();
        }
        if wants("ingest") {
            progress("ingest", backend);
            f.ingest =
                Some(ingest::run(backend, plan.ingest_contacts, plan.ingest_events).await.context("figure 4, ingest")?);
        }
        if wants("freshness") {
            progress("freshness", backend);
            f.freshness = Some(
                freshness::run(backend, plan.fresh_contacts, plan.fresh_events).await.context("figure 5, freshness")?,
            );
        }
        if wants("fairness") {
            progress("fairness", backend);
            f.fairness = Some(
                fairness::run(backend, plan.fresh_contacts, plan.fresh_events, plan.flood_contacts)
                    .await
                    .context("figure 10, fairness")?,
            );
        }
        if wants("quota") {
            progress("quota", backend);
            f.quota = quota::run(backend, plan.quota_contacts, plan.time_scale).await.context("figure 1, quota")?;
        }
        if wants("memory") {
            progress("memory", backend);
            f.memory = memory::run(backend, &plan.memory_contacts).await.context("figure 6, memory")?;
        }
        // Several processes share one database only on PostgreSQL.
        if matches!(backend, Backend::Postgres(_)) {
            if wants("cluster-quota") {
                progress("cluster quota", backend);
                f.cluster_quota = quota::run_cluster(backend, plan.quota_contacts, plan.time_scale, &CLUSTER_WORKERS)
                    .await
                    .context("figure 8, cluster quota")?;
            }
            if wants("cluster-engine") {
                progress("cluster engine", backend);
                f.cluster_engine = engine::run_cluster(backend, plan.engine_jobs, &CLUSTER_WORKERS)
                    .await
                    .context("figure 9, cluster engine")?;
            }
        }
        if !f.is_empty() {
            report.backends.insert(backend.name().to_owned(), f);
        }
    }
    report.judge();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table());
    }
    Ok(())
}

/// The CPU model and core count from /proc/cpuinfo, and memory from /proc/meminfo.
fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = cpuinfo.lines().filter(|l| l.starts_with("processor")).count().max(1);
    let memory_mib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024);
    Machine { cpu, cores, memory_mib }
}
