//! Figure 10, fairness: one workspace's freshness (figure 5's measure) alone,
//! then again while another workspace on the same server floods it: a resync
//! of a sequence of 50,000 never-synced contacts to a Greenhouse tenant that
//! answers slowly and keeps its documented rate limit. The flood's jobs queue
//! in their own lane and hold a few worker slots at most, so the quiet
//! workspace's notes should arrive about as fast as alone (goal: p99 within
//! 2x of alone).

use super::freshness;
use super::harness::{self, Backend, World, exe};
use super::report::FairnessFigure;
use crate::sandbox::Api;
use anyhow::{Context, Result};
use hiresync_sim::faults::FaultRates;
use hiresync_sim::{Demo, DemoOptions};
use hiresync_testkit::{Polled, create_workspace, eventually};
use serde_json::json;
use std::time::Duration;

/// Milliseconds the flooding workspace's Greenhouse takes to answer each request.
pub const FLOOD_LATENCY_MS: u64 = 200;

/// Measures the quiet workspace alone and under a flood of `flood` contacts.
pub async fn run(backend: &Backend, contacts: usize, events: usize, flood: usize) -> Result<FairnessFigure> {
    let quiet = harness::unlimited_demo().await?;
    let slow = Demo::start(DemoOptions::default()).await?;
    slow.greenhouse.core().set_fault_rates(FaultRates { latency_ms: FLOOD_LATENCY_MS, ..FaultRates::default() });
    let world = World::start(backend, &[], &[]).await?;
    let result = measure(&world, &quiet, &slow, contacts, events, flood).await;
    world.stop().await;
    result
}

async fn measure(
    world: &World,
    quiet: &Demo,
    slow: &Demo,
    contacts: usize,
    events: usize,
    flood: usize,
) -> Result<FairnessFigure> {
    freshness::prepare(world, quiet, contacts).await?;
    let alone = freshness::sample(world, quiet, contacts, 0..events).await?;

    let made = create_workspace(exe()?, &world.db.url, "Flood", "owner@flood.example").await?;
    let token = made["token"].as_str().context("workspace create gave no token")?;
    let flooder = Api::new(world.api.base(), token);
    // The provider's own published limit, as a real account has: no allowance set here.
    let conn = harness::connect(&flooder, slow, "greenhouse", harness::demo_target("greenhouse"), &json!(null)).await?;
    harness::put_contacts(&flooder, "f", flood, 16).await?;
    harness::enroll_unsynced(&flooder, &conn, "f", flood).await?;
    let resync = harness::start_resync(&flooder, &conn).await?;
    // Measured once the flood is under way: its sequence listed and its first contacts syncing.
    eventually("the flood's resync under way", Duration::from_secs(600), || async {
        let r = flooder.send(reqwest::Method::GET, &format!("/v1/resyncs/{resync}"), None).await?;
        let listed = r["total"].as_u64().unwrap_or_default();
        Ok(if listed >= flood as u64 && r["synced"].as_u64().unwrap_or_default() > 0 {
            Polled::Ready(())
        } else {
            Polled::Waiting(r.to_string())
        })
    })
    .await?;
    let flooded = freshness::sample(world, quiet, contacts, events..2 * events).await?;
    Ok(FairnessFigure {
        flood_contacts: flood,
        flood_latency_ms: FLOOD_LATENCY_MS,
        events,
        alone_p99_ms: alone.p99_ms,
        flooded_p50_ms: flooded.p50_ms,
        flooded_p99_ms: flooded.p99_ms,
        ratio: if alone.p99_ms > 0.0 { flooded.p99_ms / alone.p99_ms } else { 0.0 },
    })
}
