//! The figures as one JSON object (`--json`) or a table, and where each
//! stands against its goal.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Everything one `hiresync bench` run measured.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// The machine it ran on.
    pub machine: Machine,
    /// How it was run.
    pub settings: Settings,
    /// Figures per database backend (`sqlite`, `postgres`).
    pub backends: BTreeMap<String, BackendFigures>,
    /// Figure 7: the apalis peer on SQLite, at the engine figure's concurrencies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub peer: Vec<EngineFigure>,
    /// Each goal, the value it is judged on and whether it is met.
    pub goals: Vec<Goal>,
}

/// CPU and memory, from /proc.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Machine {
    /// `model name` from /proc/cpuinfo.
    pub cpu: String,
    /// Logical cores.
    pub cores: usize,
    /// Total memory in MiB.
    pub memory_mib: u64,
}

/// The run's parameters, so two reports can be told apart.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Settings {
    /// `--quick`: small counts, for CI.
    pub quick: bool,
    /// The rate-limit clock's speed-up in the quota figure.
    pub time_scale: f64,
    /// Contacts in each quota run.
    pub quota_contacts: usize,
    /// Contacts in the requests-per-contact run.
    pub flow_contacts: usize,
    /// No-op jobs per engine run.
    pub engine_jobs: usize,
    /// Events in the ingest run.
    pub ingest_events: usize,
    /// Events in the freshness run.
    pub freshness_events: usize,
    /// Contacts in the fairness figure's flood.
    pub flood_contacts: usize,
    /// Contact counts of the memory runs.
    pub memory_contacts: Vec<usize>,
    /// What produced the bulk sync work in the quota and memory figures.
    pub bulk_workload: String,
    /// Counts of `hiresync worker` processes in the cluster figures (PostgreSQL only).
    pub cluster_workers: Vec<usize>,
}

/// The figures measured on one backend.
#[derive(Clone, Debug, Default, Serialize)]
pub struct BackendFigures {
    /// Figure 1, per provider.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quota: Vec<QuotaFigure>,
    /// Figure 2, per provider.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<RequestsFigure>,
    /// Figure 3, per concurrency.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub engine: Vec<EngineFigure>,
    /// Figure 4.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest: Option<IngestFigure>,
    /// Figure 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freshness: Option<FreshnessFigure>,
    /// Figure 6, per contact count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub memory: Vec<MemoryFigure>,
    /// Figure 7: this backend's engine figure over the apalis peer's, per concurrency.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub peer_ratio: Vec<PeerRatio>,
    /// Figure 8: figure 1's Greenhouse sync with separate worker processes, per process count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_quota: Vec<ClusterQuotaFigure>,
    /// Figure 9: figure 3's no-op jobs with separate worker processes, per process count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_engine: Vec<ClusterEngineFigure>,
    /// Figure 10: one workspace's freshness while another floods the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fairness: Option<FairnessFigure>,
}

impl BackendFigures {
    /// Whether nothing was measured on this backend (the figures asked for run on another).
    pub fn is_empty(&self) -> bool {
        let Self {
            quota,
            requests,
            engine,
            ingest,
            freshness,
            memory,
            peer_ratio,
            cluster_quota,
            cluster_engine,
            fairness,
        } = self;
        quota.is_empty()
            && requests.is_empty()
            && engine.is_empty()
            && ingest.is_none()
            && freshness.is_none()
            && memory.is_empty()
            && peer_ratio.is_empty()
            && cluster_quota.is_empty()
            && cluster_engine.is_empty()
            && fairness.is_none()
    }
}

/// Figure 1 for one provider.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QuotaFigure {
    /// `greenhouse` or `teamtailor`.
    pub provider: String,
    /// Contacts synced.
    pub contacts: usize,
    /// Requests the provider allows per window.
    pub limit: u32,
    /// The provider's window in its own seconds.
    pub window_secs: u64,
    /// The window in real seconds under the time scale.
    pub scaled_window_secs: f64,
    /// API requests that were served (429s excluded): the requests the sync needed.
    pub requests: u64,
    /// 429s received in all.
    pub throttled: u64,
    /// 429s received after the first window.
    pub throttled_after_first_window: u64,
    /// Windows the requests spread over.
    pub windows: u64,
    /// Served requests over the allowance of those windows.
    pub allowance_used: f64,
    /// From the first event posted to the queue drained, in real seconds.
    pub wall_secs: f64,
    /// Requests needed over the allowed rate, in real seconds.
    pub minimum_secs: f64,
    /// `wall_secs / minimum_secs`.
    pub wall_ratio: f64,
    /// Mean time from one of the provider's windows ending to the next one's first request, in real ms.
    pub window_gap_ms: f64,
    /// Mean time from a window's first request to its last, in real ms.
    pub window_spend_ms: f64,
    /// Jobs that failed for good.
    pub dead_jobs: i64,
}

/// Figure 8 with one count of worker processes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ClusterQuotaFigure {
    /// `hiresync worker` processes, beside one `hiresync serve --no-worker`.
    pub workers: usize,
    /// The sync, read off the provider's request log as figure 1 is.
    #[serde(flatten)]
    pub quota: QuotaFigure,
}

/// Figure 9 with one count of worker processes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ClusterEngineFigure {
    /// `hiresync worker` processes.
    pub workers: usize,
    /// Jobs each process runs at once.
    pub concurrency: usize,
    /// Jobs completed.
    pub jobs: u64,
    /// Seconds from the jobs' commit to the last completion.
    pub seconds: f64,
    /// Jobs per second, all processes together.
    pub jobs_per_sec: f64,
}

/// Figure 2 for one provider.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RequestsFigure {
    /// Provider.
    pub provider: String,
    /// Contacts that went through the flow.
    pub contacts: usize,
    /// Requests per contact for `contact_added`.
    pub added: f64,
    /// Requests per contact for `message_sent`.
    pub message_sent: f64,
    /// Requests per contact for `reply_received`.
    pub reply: f64,
    /// All three.
    pub per_contact: f64,
    /// The documented minimum for the same flow.
    pub minimum: f64,
    /// `per_contact / minimum`.
    pub ratio: f64,
}

/// Figure 3 (and 7) at one concurrency.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EngineFigure {
    /// Jobs run at once.
    pub concurrency: usize,
    /// Jobs completed.
    pub jobs: u64,
    /// Seconds from start to the last completion.
    pub seconds: f64,
    /// Jobs per second.
    pub jobs_per_sec: f64,
}

/// Figure 7 on one backend at one concurrency.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PeerRatio {
    /// Jobs run at once.
    pub concurrency: usize,
    /// Our jobs/s over apalis's.
    pub ratio: f64,
}

/// Figure 4.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IngestFigure {
    /// Events accepted.
    pub events: u64,
    /// Events per request.
    pub batch: usize,
    /// Clients posting at once.
    pub clients: usize,
    /// Seconds from the first post to the last 202.
    pub seconds: f64,
    /// Durable events per second.
    pub events_per_sec: f64,
}

/// Figure 5.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FreshnessFigure {
    /// Events measured.
    pub events: usize,
    /// Events posted per second.
    pub rate: f64,
    /// Median milliseconds from 202 to the provider's first write.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

/// Figure 10: figure 5's measure for a quiet workspace, alone and while another workspace on
/// the same server resyncs a large sequence to a slow, rate-limited provider.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FairnessFigure {
    /// Contacts in the flooding workspace's resync.
    pub flood_contacts: usize,
    /// The flooding workspace's provider's added latency per request.
    pub flood_latency_ms: u64,
    /// Events measured in each run.
    pub events: usize,
    /// The quiet workspace's p99 alone.
    pub alone_p99_ms: f64,
    /// Its median during the flood.
    pub flooded_p50_ms: f64,
    /// Its p99 during the flood.
    pub flooded_p99_ms: f64,
    /// Flooded p99 over alone p99.
    pub ratio: f64,
}

/// Figure 6 at one size.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MemoryFigure {
    /// Contacts synced.
    pub contacts: usize,
    /// Peak resident set of the `hiresync serve` process (VmHWM), MiB.
    pub peak_rss_mib: f64,
    /// Seconds the bulk sync took (contacts put, events posted, queue drained).
    pub seconds: f64,
}

/// One goal on one backend.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Goal {
    /// `sqlite`, `postgres` or `any`.
    pub backend: String,
    /// Which figure.
    pub figure: String,
    /// The goal as written.
    pub goal: String,
    /// Where we stand.
    pub value: String,
    /// Whether the goal is met.
    pub met: bool,
    /// Why not, when not.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub why: String,
}

impl Report {
    /// Judges every figure present against its goal.
    pub fn judge(&mut self) {
        let mut goals = Vec::new();
        for (backend, f) in &self.backends {
            for q in &f.quota {
                let met = q.allowance_used >= 0.97 && q.throttled_after_first_window == 0 && q.wall_ratio <= 1.05;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: format!("quota {}", q.provider),
                    goal: "allowance used >= 97%, no 429s after the first window, wall <= 1.05x minimum".into(),
                    value: format!(
                        "{:.1}% used, {} late 429s, {:.2}x",
                        q.allowance_used * 100.0,
                        q.throttled_after_first_window,
                        q.wall_ratio
                    ),
                    met,
                    why: if met { String::new() } else { why_quota(q) },
                });
            }
            for r in &f.requests {
                let met = r.ratio <= 1.1;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: format!("requests/contact {}", r.provider),
                    goal: "<= 1.1x the documented minimum".into(),
                    value: format!("{:.2} vs {:.0} ({:.2}x)", r.per_contact, r.minimum, r.ratio),
                    met,
                    why: if met { String::new() } else { why_requests(&r.provider) },
                });
            }
            if let Some(best) = f.engine.iter().map(|e| e.jobs_per_sec).reduce(f64::max) {
                let target = if backend == "postgres" { 10_000.0 } else { 20_000.0 };
                let met = best >= target;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "engine".into(),
                    goal: format!(">= {target:.0} no-op jobs/s (best of the concurrencies)"),
                    value: format!("{best:.0} jobs/s"),
                    met,
                    why: if met { String::new() } else { WHY_ENGINE.into() },
                });
            }
            if let Some(i) = &f.ingest {
                let met = i.events_per_sec >= 50_000.0;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "ingest".into(),
                    goal: ">= 50000 durable events/s".into(),
                    value: format!("{:.0} events/s", i.events_per_sec),
                    met,
                    why: if met { String::new() } else { WHY_INGEST.into() },
                });
            }
            if let Some(fr) = &f.freshness {
                let met = fr.p99_ms <= 100.0;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "freshness".into(),
                    goal: "p99 <= 100 ms".into(),
                    value: format!("p99 {:.1} ms", fr.p99_ms),
                    met,
                    why: if met { String::new() } else { WHY_FRESHNESS.into() },
                });
            }
            if let (Some(small), Some(large)) = (f.memory.first(), f.memory.last()) {
                let peak = f.memory.iter().map(|m| m.peak_rss_mib).fold(0.0, f64::max);
                let growth = large.peak_rss_mib / small.peak_rss_mib.max(1.0);
                let met = peak <= 100.0 && growth <= 1.25;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "memory".into(),
                    goal: "peak RSS <= 100 MiB and flat in N (<= 1.25x from smallest to largest N)".into(),
                    value: format!(
                        "{peak:.1} MiB, {growth:.2}x from {} to {} contacts",
                        small.contacts, large.contacts
                    ),
                    met,
                    why: if met { String::new() } else { WHY_MEMORY.into() },
                });
            }
            for c in &f.cluster_quota {
                let q = &c.quota;
                let met = q.allowance_used >= 0.97 && q.throttled_after_first_window == 0 && q.wall_ratio <= 1.05;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: format!("cluster quota, {} workers", c.workers),
                    goal: "allowance used >= 97%, no 429s after the first window, wall <= 1.05x minimum".into(),
                    value: format!(
                        "{:.1}% used, {} late 429s, {:.2}x",
                        q.allowance_used * 100.0,
                        q.throttled_after_first_window,
                        q.wall_ratio
                    ),
                    met,
                    why: if met { String::new() } else { why_quota(q) },
                });
            }
            if let Some(worst) = f.cluster_engine.iter().min_by(|a, b| a.jobs_per_sec.total_cmp(&b.jobs_per_sec)) {
                // Adding worker processes must not take the queue below one process's goal.
                let met = worst.jobs_per_sec >= 10_000.0;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "cluster engine".into(),
                    goal: ">= 10000 no-op jobs/s with every count of worker processes".into(),
                    value: format!("{:.0} jobs/s at worst ({} workers)", worst.jobs_per_sec, worst.workers),
                    met,
                    why: if met { String::new() } else { WHY_CLUSTER_ENGINE.into() },
                });
            }
            if let Some(fa) = &f.fairness {
                let met = fa.ratio <= 2.0;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "fairness".into(),
                    goal: "a quiet workspace's p99 during another's flood <= 2x its p99 alone".into(),
                    value: format!("{:.1} ms vs {:.1} ms ({:.2}x)", fa.flooded_p99_ms, fa.alone_p99_ms, fa.ratio),
                    met,
                    why: if met { String::new() } else { WHY_FAIRNESS.into() },
                });
            }
            if let Some(worst) = f.peer_ratio.iter().map(|p| p.ratio).reduce(f64::min) {
                let met = worst >= 20.0;
                goals.push(Goal {
                    backend: backend.clone(),
                    figure: "vs apalis".into(),
                    goal: ">= 20x apalis (SQLite) at every concurrency".into(),
                    value: format!("{worst:.1}x at worst"),
                    met,
                    why: if met { String::new() } else { WHY_PEER.into() },
                });
            }
        }
        self.goals = goals;
    }

    /// The table a person reads.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let m = &self.machine;
        let _ = writeln!(s, "hiresync bench on {} ({} cores, {} MiB)", m.cpu, m.cores, m.memory_mib);
        let st = &self.settings;
        let _ = writeln!(
            s,
            "quick: {}; time scale: {}x; bulk sync workload: {}\n",
            st.quick, st.time_scale, st.bulk_workload
        );
        for (backend, f) in &self.backends {
            let _ = writeln!(s, "== {backend} ==");
            for q in &f.quota {
                let _ = writeln!(
                    s,
                    "1 quota {:<11} {} contacts at {}/{} s ({:.3} s scaled): {} requests, {:.1}% of allowance, \
                     {} 429s ({} after the first window), wall {:.1} s vs minimum {:.1} s = {:.2}x; \
                     windows opened {:.1} ms late, spent in {:.1} ms",
                    q.provider,
                    q.contacts,
                    q.limit,
                    q.window_secs,
                    q.scaled_window_secs,
                    q.requests,
                    q.allowance_used * 100.0,
                    q.throttled,
                    q.throttled_after_first_window,
                    q.wall_secs,
                    q.minimum_secs,
                    q.wall_ratio,
                    q.window_gap_ms,
                    q.window_spend_ms
                );
            }
            for r in &f.requests {
                let _ = writeln!(
                    s,
                    "2 requests/contact {:<11} {:.2} (added {:.2}, sent {:.2}, reply {:.2}) vs minimum {:.0} = {:.2}x",
                    r.provider, r.per_contact, r.added, r.message_sent, r.reply, r.minimum, r.ratio
                );
            }
            for e in &f.engine {
                let _ = writeln!(
                    s,
                    "3 engine   {:>2} workers: {:>8.0} no-op jobs/s ({} jobs in {:.2} s)",
                    e.concurrency, e.jobs_per_sec, e.jobs, e.seconds
                );
            }
            if let Some(i) = &f.ingest {
                let _ = writeln!(
                    s,
                    "4 ingest   {:>8.0} events/s ({} events, batches of {}, {} clients, {:.2} s)",
                    i.events_per_sec, i.events, i.batch, i.clients, i.seconds
                );
            }
            if let Some(fr) = &f.freshness {
                let _ = writeln!(
                    s,
                    "5 freshness p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} events at {}/s)",
                    fr.p50_ms, fr.p95_ms, fr.p99_ms, fr.max_ms, fr.events, fr.rate
                );
            }
            for mem in &f.memory {
                let _ = writeln!(
                    s,
                    "6 memory   {:>7} contacts: peak RSS {:.1} MiB ({:.1} s)",
                    mem.contacts, mem.peak_rss_mib, mem.seconds
                );
            }
            for p in &f.peer_ratio {
                let _ = writeln!(s, "7 vs apalis {:>2} workers: {:.1}x", p.concurrency, p.ratio);
            }
            for c in &f.cluster_quota {
                let q = &c.quota;
                let _ = writeln!(
                    s,
                    "8 cluster quota {} x worker: {} {} contacts: {} requests, {:.1}% of allowance, {} 429s \
                     ({} after the first window), wall {:.1} s vs minimum {:.1} s = {:.2}x; windows opened \
                     {:.1} ms late, spent in {:.1} ms",
                    c.workers,
                    q.provider,
                    q.contacts,
                    q.requests,
                    q.allowance_used * 100.0,
                    q.throttled,
                    q.throttled_after_first_window,
                    q.wall_secs,
                    q.minimum_secs,
                    q.wall_ratio,
                    q.window_gap_ms,
                    q.window_spend_ms
                );
            }
            for e in &f.cluster_engine {
                let _ = writeln!(
                    s,
                    "9 cluster engine {} x worker ({} jobs at once each): {:>8.0} no-op jobs/s ({} jobs in {:.2} s)",
                    e.workers, e.concurrency, e.jobs_per_sec, e.jobs, e.seconds
                );
            }
            if let Some(fa) = &f.fairness {
                let _ = writeln!(
                    s,
                    "10 fairness p99 {:.1} ms alone, {:.1} ms (p50 {:.1} ms) while another workspace resyncs {} \
                     contacts to a provider answering in {} ms = {:.2}x ({} events each)",
                    fa.alone_p99_ms,
                    fa.flooded_p99_ms,
                    fa.flooded_p50_ms,
                    fa.flood_contacts,
                    fa.flood_latency_ms,
                    fa.ratio,
                    fa.events
                );
            }
            let _ = writeln!(s);
        }
        for p in &self.peer {
            let _ = writeln!(
                s,
                "7 apalis (sqlite) {:>2} workers: {:>8.0} no-op jobs/s ({} jobs in {:.2} s)",
                p.concurrency, p.jobs_per_sec, p.jobs, p.seconds
            );
        }
        if !self.goals.is_empty() {
            let _ = writeln!(s, "\nGoals:");
            for g in &self.goals {
                let mark = if g.met { "met" } else { "NOT MET" };
                let _ = writeln!(s, "  [{mark}] {} {}: {} (goal: {})", g.backend, g.figure, g.value, g.goal);
                if !g.why.is_empty() {
                    let _ = writeln!(s, "      why: {}", g.why);
                }
            }
        }
        s
    }
}

fn why_quota(q: &QuotaFigure) -> String {
    let mut parts = Vec::new();
    if q.throttled_after_first_window > 0 {
        parts.push(
            "a request sent as a window closed reached the provider in the next one, or another client spent \
             the allowance, so a 429 came back and was retried",
        );
    }
    if q.allowance_used < 0.97 || q.wall_ratio > 1.05 {
        parts.push(
            "a window cannot be known to have ended until a round trip after it began, so each opens about a \
             round trip late (see 'opened ... late'); on short scaled windows that round trip weighs more, and \
             at small N the setup and the last partial window weigh more",
        );
    }
    parts.join("; ")
}

fn why_requests(provider: &str) -> String {
    match provider {
        "greenhouse" => "a placement whose stage is not stored (placed before stages were kept, or found already \
                         there) has its current stage read before a move, and a move refused because someone moved \
                         the application since is read and tried again"
            .into(),
        "clockwork" => "a refused candidacy or a note without a ledger entry is read back before writing again".into(),
        _ => "a job application whose stage is not stored is read before a move: moving it into the stage it \
              already has would fire that stage's triggers (emails, smart moves) a second time"
            .into(),
    }
}

const WHY_ENGINE: &str = "each trip to the queue (record the finished jobs, claim the next) is one transaction, and \
                          a worker keeps up to 500 claimed jobs waiting so its slots run through a trip; what is left \
                          is the database's cost per job: on SQLite every statement is a hand-off to sqlx's database \
                          thread, on PostgreSQL every commit waits for the WAL to reach the disk";
const WHY_INGEST: &str = "each event costs its event row and a decision row per connection (and a job row where its \
                          contact has none waiting); batches naming the same contacts take turns, because each locks \
                          its contacts before it reads their state so that concurrent replies cannot each count as \
                          the first, and this figure's clients name the same contacts in every batch; batches that \
                          wait meanwhile are stored together, so one turn's reads and commit serve several";
const WHY_FRESHNESS: &str = "a job waits for a worker slot and reads its connection, contact, event and settings \
                             before the provider call";
const WHY_FAIRNESS: &str = "the flood's jobs share the machine's cores and the database with the quiet \
                            workspace's: its listing and its claims cost the same CPU";
const WHY_MEMORY: &str = "the server's memory grows with the work in flight";
const WHY_CLUSTER_ENGINE: &str = "the cores: sampled during the drain on two cores, PostgreSQL's backends used about \
                                  two thirds of the CPU left to the bench and the worker processes one third, with \
                                  no core idle. A process makes one trip to the queue at a time (record the finished \
                                  jobs, claim the next, commit), so a second process overlaps its trips and commits \
                                  with the first's; beyond that the processes only take turns on the same cores";
const WHY_PEER: &str = "both queues pay SQLite's per-transaction cost";
