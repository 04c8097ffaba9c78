//! Figure 1, quota: a bulk sync of N contacts against a provider that allows
//! 50 requests per 10 s (Greenhouse limited so, and Teamtailor's own limit),
//! read from the simulator's request log: the share of the allowance used,
//! 429s received after the first window, and the wall time against the quota
//! minimum (requests needed over the allowed rate).
//!
//! `--time-scale k` runs the simulator's rate-limit clock k times faster
//! (windows of 10/k s, `Retry-After` and reset headers in units of 1/k s) and
//! gives the connection the same allowance on the same clock
//! (`rate_limit: {"requests": 50, "per_seconds": 10/k}`), so the run fits in
//! about a minute. The bulk sync is a `POST /v1/resyncs` of a sequence whose
//! contacts were enrolled with the connection's trigger off (SPEC R1).
//!
//! The cluster figure runs the same Greenhouse sync with one `hiresync serve
//! --no-worker` and 1, 2 or 4 `hiresync worker` processes on one PostgreSQL
//! database: the processes share the credential's budget through it, and
//! together must use the allowance as one process does.

use super::harness::{self, Backend, World};
use super::report::{ClusterQuotaFigure, QuotaFigure};
use anyhow::Result;
use hiresync_sim::{Demo, DemoOptions, LoggedRequest, RateLimitRule, SimCore, TimeScale};
use serde_json::json;
use std::time::{Duration, Instant};

/// Requests allowed per window.
const LIMIT: u32 = 50;
/// The window, in the provider's seconds.
const WINDOW_SECS: u64 = 10;
/// Requests a resynced contact needs (Greenhouse 2, Teamtailor 3: lookup, create and place), to pick a time scale.
const EXPECTED_PER_CONTACT: f64 = 2.5;
/// How long the automatic time scale aims for the quota minimum to last.
const TARGET_SECS: f64 = 40.0;

/// The time scale that makes a sync of `contacts` last about [`TARGET_SECS`] at the quota minimum.
pub fn auto_scale(contacts: usize) -> f64 {
    let minimum = contacts as f64 * EXPECTED_PER_CONTACT / (f64::from(LIMIT) / WINDOW_SECS as f64);
    (minimum / TARGET_SECS).max(1.0).round()
}

/// Runs the bulk sync against Greenhouse and against Teamtailor, one after the other.
pub async fn run(backend: &Backend, contacts: usize, scale: f64) -> Result<Vec<QuotaFigure>> {
    let mut out = Vec::new();
    for provider in ["greenhouse", "teamtailor"] {
        let demo = Demo::start(DemoOptions::default()).await?;
        let world = World::start(backend, &[], &[]).await?;
        let figure = measure(&world, &demo, provider, contacts, scale).await;
        world.stop().await;
        out.push(figure?);
    }
    Ok(out)
}

/// Database connections per process in the cluster figure: five processes (and the bench's
/// own pool) stay well within PostgreSQL's default 100 clients, beside other users of it.
pub const CLUSTER_MAX_CONNECTIONS: &str = "8";

/// Runs the Greenhouse bulk sync once per worker count, each with one API process and that many
/// `hiresync worker` processes on a fresh PostgreSQL database.
pub async fn run_cluster(
    backend: &Backend,
    contacts: usize,
    scale: f64,
    workers: &[usize],
) -> Result<Vec<ClusterQuotaFigure>> {
    let mut out = Vec::new();
    for &n in workers {
        let demo = Demo::start(DemoOptions::default()).await?;
        let env = [("HIRESYNC_MAX_CONNECTIONS", CLUSTER_MAX_CONNECTIONS)];
        let world = World::cluster(backend, &["--no-worker"], &env, n).await?;
        let figure = measure(&world, &demo, "greenhouse", contacts, scale).await;
        world.stop().await;
        out.push(ClusterQuotaFigure { workers: n, quota: figure? });
    }
    Ok(out)
}

async fn measure(world: &World, demo: &Demo, provider: &str, contacts: usize, scale: f64) -> Result<QuotaFigure> {
    let (core, prefix): (&SimCore, &str) = match provider {
        "greenhouse" => (demo.greenhouse.core(), "/v"),
        _ => (demo.teamtailor.core(), "/v1"),
    };
    let mut limits = core.rate_limits();
    limits.enabled = true;
    for rule in limits.rules.iter_mut().filter(|r| r.path_prefix.starts_with(prefix)) {
        *rule = RateLimitRule { path_prefix: rule.path_prefix.clone(), limit: LIMIT, window_secs: WINDOW_SECS };
    }
    core.set_rate_limits(limits);
    let clock = TimeScale::new(scale);
    core.set_time_scale(clock);
    let window = clock.window(WINDOW_SECS);
    let rate_limit = json!({"requests": LIMIT, "per_seconds": window.as_secs_f64()});
    let connection = harness::connect(&world.api, demo, provider, harness::demo_target(provider), &rate_limit).await?;
    harness::put_contacts(&world.api, "q", contacts, 8).await?;
    harness::enroll_unsynced(&world.api, &connection, "q", contacts).await?;
    // Connecting and reading targets spent allowance; the measured sync starts on a fresh window.
    tokio::time::sleep(window).await;
    core.clear_requests();
    let started = Instant::now();
    harness::start_resync(&world.api, &connection).await?;
    let limit = Duration::from_secs_f64(contacts as f64 * 20.0 / (f64::from(LIMIT) / window.as_secs_f64()) + 120.0);
    let counts = world.wait_idle(limit).await?;
    let wall = started.elapsed().as_secs_f64();
    let log: Vec<LoggedRequest> = core.requests().into_iter().filter(|r| r.path.starts_with(prefix)).collect();
    Ok(figure(provider, contacts, &log, window, wall, counts.dead))
}

/// Reads a quota figure off the request log of one rate-limit bucket.
fn figure(
    provider: &str,
    contacts: usize,
    log: &[LoggedRequest],
    window: Duration,
    wall: f64,
    dead: i64,
) -> QuotaFigure {
    let w = window.as_secs_f64();
    let first = log.iter().map(|r| r.at_us).min().unwrap_or(0);
    let last = log.iter().map(|r| r.at_us).max().unwrap_or(first);
    let refused = |r: &&LoggedRequest| r.status == 429;
    let requests = log.iter().filter(|r| r.status != 429 && r.status != 0).count() as u64;
    let throttled = log.iter().filter(refused).count() as u64;
    let late = log.iter().filter(refused).filter(|r| (r.at_us - first) as f64 / 1e6 >= w).count() as u64;
    let span = (last - first) as f64 / 1e6;
    // The allowance that elapsed while the sync ran, in whole windows: a window begun is a window spent.
    let windows = ((span / w).ceil() as u64).max(1);
    let minimum = requests as f64 / (f64::from(LIMIT) / w);
    let (window_gap_ms, window_spend_ms) = provider_windows(log, w);
    QuotaFigure {
        provider: provider.to_owned(),
        contacts,
        limit: LIMIT,
        window_secs: WINDOW_SECS,
        scaled_window_secs: w,
        requests,
        throttled,
        throttled_after_first_window: late,
        windows,
        allowance_used: requests as f64 / (windows as f64 * f64::from(LIMIT)),
        wall_secs: wall,
        minimum_secs: minimum,
        wall_ratio: if minimum > 0.0 { wall / minimum } else { 0.0 },
        window_gap_ms,
        window_spend_ms,
        dead_jobs: dead,
    }
}

/// Replays the simulator's windows over the log (a window opens at the first
/// request after the last one expired) and returns, in ms, how late windows
/// opened on average after the previous one ended, and how long each took to
/// receive its last request.
fn provider_windows(log: &[LoggedRequest], window_secs: f64) -> (f64, f64) {
    let window_us = window_secs * 1e6;
    let mut times: Vec<u64> = log.iter().map(|r| r.at_us).collect();
    times.sort_unstable();
    let (mut gaps, mut spends) = (Vec::new(), Vec::new());
    let mut opened: Option<(u64, u64)> = None;
    for at in times {
        match opened {
            Some((start, _)) if ((at - start) as f64) < window_us => opened = Some((start, at)),
            _ => {
                if let Some((start, last)) = opened {
                    gaps.push((at - start) as f64 - window_us);
                    spends.push((last - start) as f64);
                }
                opened = Some((at, at));
            }
        }
    }
    if let Some((start, last)) = opened {
        spends.push((last - start) as f64);
    }
    let mean_ms = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 / 1e3 };
    (mean_ms(&gaps), mean_ms(&spends))
}
