//! Figure 4, ingest: durable events per second through `POST /v1/events` in
//! batches of 1000, with the worker not running (`serve --no-worker`), so the
//! figure is what the API stores: each event, its decision per connection and
//! the job that carries it out, answered only after the commit.

use super::harness::{self, Backend, World};
use super::report::IngestFigure;
use anyhow::{Context, Result, ensure};
use hiresync_sim::Demo;
use std::time::Instant;

/// Events per request.
pub const BATCH: usize = 1000;
/// Clients posting at once, as several outreach-app workers would.
pub const CLIENTS: usize = 4;

/// Posts `events` events for `contacts` contacts (one `contact_added` each, then sent messages).
pub async fn run(backend: &Backend, contacts: usize, events: usize) -> Result<IngestFigure> {
    let demo = harness::unlimited_demo().await?;
    let world = World::start(backend, &["--no-worker"], &[]).await?;
    let result = measure(&world, &demo, contacts, events).await;
    world.stop().await;
    result
}

async fn measure(world: &World, demo: &Demo, contacts: usize, events: usize) -> Result<IngestFigure> {
    let provider = "greenhouse";
    harness::connect(&world.api, demo, provider, harness::demo_target(provider), &harness::unthrottled()).await?;
    harness::put_contacts(&world.api, "i", contacts, 8).await?;
    let all: Vec<_> = (0..events)
        .map(|n| {
            let contact = harness::contact_id("i", n % contacts);
            if n < contacts {
                harness::event(&format!("i-{n}"), "contact_added", &contact, &serde_json::json!({}))
            } else {
                harness::event(&format!("i-{n}"), "message_sent", &contact, &harness::message(&format!("i-{n}")))
            }
        })
        .collect();
    let batches: Vec<Vec<_>> = all.chunks(BATCH).map(<[_]>::to_vec).collect();
    let started = Instant::now();
    // Contacts are added before anything is said to them.
    let first = batches.len().min(contacts.div_ceil(BATCH));
    let mut accepted = 0;
    for b in &batches[..first] {
        accepted += harness::post_events(&world.api, b, BATCH).await?;
    }
    let mut set = tokio::task::JoinSet::new();
    for lane in 0..CLIENTS {
        let mine: Vec<Vec<_>> = batches[first..].iter().skip(lane).step_by(CLIENTS).cloned().collect();
        let api = world.api.clone();
        set.spawn(async move {
            let mut n = 0;
            for b in &mine {
                n += harness::post_events(&api, b, BATCH).await?;
            }
            anyhow::Ok(n)
        });
    }
    while let Some(n) = set.join_next().await {
        accepted += n.context("an ingest client")??;
    }
    let secs = started.elapsed().as_secs_f64();
    ensure!(accepted == events as u64, "{accepted} of {events} events accepted");
    let counts = harness::counts(&world.store).await?;
    ensure!(counts.queued > 0, "ingest enqueued no jobs");
    Ok(IngestFigure {
        events: accepted,
        batch: BATCH,
        clients: CLIENTS,
        seconds: secs,
        events_per_sec: accepted as f64 / secs,
    })
}
