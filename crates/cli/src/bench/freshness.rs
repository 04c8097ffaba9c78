//! Figure 5, freshness: from an event's 202 to the provider's first write for
//! it, at a steady 100 events per second. Each event is a sent message to an
//! already synced contact whose body carries a marker; its first write is the
//! first non-GET request in the Greenhouse simulator's log that carries the
//! marker (the note), timed by the simulator's own clock on the same machine.

use super::harness::{self, Backend, World};
use super::report::FreshnessFigure;
use anyhow::{Context, Result, ensure};
use hiresync_sim::Demo;
use hiresync_testkit::sims::unthrottled;
use hiresync_testkit::{Polled, eventually};
use reqwest::Method;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Events per second.
pub const RATE: f64 = 100.0;

/// Posts `events` events over `contacts` synced contacts at [`RATE`] per second.
pub async fn run(backend: &Backend, contacts: usize, events: usize) -> Result<FreshnessFigure> {
    let demo = harness::unlimited_demo().await?;
    let world = World::start(backend, &[], &[]).await?;
    let result = measure(&world, &demo, contacts, events).await;
    world.stop().await;
    result
}

async fn measure(world: &World, demo: &Demo, contacts: usize, events: usize) -> Result<FreshnessFigure> {
    prepare(world, demo, contacts).await?;
    let figure = sample(world, demo, contacts, 0..events).await?;
    let c = world.wait_idle(Duration::from_secs(600)).await?;
    ensure!(c.dead == 0, "{} jobs died", c.dead);
    Ok(figure)
}

/// Connects the owner's workspace to Greenhouse and syncs `contacts` contacts, so each later
/// event is one note.
pub async fn prepare(world: &World, demo: &Demo, contacts: usize) -> Result<()> {
    let provider = "greenhouse";
    harness::connect(&world.api, demo, provider, harness::demo_target(provider), &unthrottled()).await?;
    harness::put_contacts(&world.api, "s", contacts, 8).await?;
    harness::post_events(&world.api, &harness::contacts_added("s", contacts), 1000).await?;
    world.wait_idle(Duration::from_secs(600)).await?;
    Ok(())
}

/// Posts events numbered `numbers` (unique per workspace) at [`RATE`] per second over the
/// owner's synced contacts, and times each from its 202 to its note's first write. Waits for
/// these events' notes only, so other work may still be queued when it returns.
pub async fn sample(
    world: &World,
    demo: &Demo,
    contacts: usize,
    numbers: std::ops::Range<usize>,
) -> Result<FreshnessFigure> {
    demo.greenhouse.core().clear_requests();
    let events = numbers.len();
    let started = Instant::now();
    let every = Duration::from_secs_f64(1.0 / RATE);
    let mut set = tokio::task::JoinSet::new();
    for (i, n) in numbers.clone().enumerate() {
        tokio::time::sleep_until((started + every * i as u32).into()).await;
        let api = world.api.clone();
        let contact = harness::contact_id("s", n % contacts);
        let event = harness::event(&format!("fr-{n}"), "message_sent", &contact, &harness::message(&format!("fr-{n}")));
        set.spawn(async move {
            api.send(Method::POST, "/v1/events", Some(&serde_json::json!([event]))).await?;
            anyhow::Ok((n, hiresync_sim::log::now_us()))
        });
    }
    let mut accepted = HashMap::new();
    while let Some(r) = set.join_next().await {
        let (n, at) = r.context("a freshness client")??;
        accepted.insert(n, at);
    }
    let first_write = eventually("every event's note", Duration::from_secs(600), || async {
        let mut first_write: HashMap<usize, u64> = HashMap::new();
        for r in demo.greenhouse.core().requests().into_iter().filter(|r| r.method != "GET") {
            if let Some(n) = marker(&r.body).filter(|n| numbers.contains(n)) {
                let at = first_write.entry(n).or_insert(r.at_us);
                *at = (*at).min(r.at_us);
            }
        }
        Ok(if first_write.len() == events {
            Polled::Ready(first_write)
        } else {
            Polled::Waiting(format!("{} of {events} notes written", first_write.len()))
        })
    })
    .await?;
    let mut ms: Vec<f64> = accepted
        .iter()
        .filter_map(|(n, acc)| first_write.get(n).map(|w| w.saturating_sub(*acc) as f64 / 1000.0))
        .collect();
    ensure!(ms.len() == events, "{} of {events} events reached Greenhouse", ms.len());
    ms.sort_by(f64::total_cmp);
    Ok(FreshnessFigure {
        events,
        rate: RATE,
        p50_ms: harness::percentile(&ms, 50.0),
        p95_ms: harness::percentile(&ms, 95.0),
        p99_ms: harness::percentile(&ms, 99.0),
        max_ms: ms.last().copied().unwrap_or_default(),
    })
}

/// The event number in a `[fr-N]` marker.
fn marker(body: &str) -> Option<usize> {
    let start = body.find("[fr-")? + 4;
    let len = body[start..].find(']')?;
    body[start..start + len].parse().ok()
}
