//! Figure 4, ingest: durable events per second through `POST /v1/events` in
//! batches of 1000, with the worker not running (`serve --no-worker`), so the
//! figure is what the API stores: each event, its decision per connection and,
//! for a contact with no job waiting, the job that carries its decisions out,
//! answered only after the commit.

use super::harness::{self, Backend, World};
use super::report::IngestFigure;
use crate::sandbox::Api;
use anyhow::{Context, Result, ensure};
use hiresync_sim::Demo;
use hiresync_testkit::sims::unthrottled;
use reqwest::Method;
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
    harness::connect(&world.api, demo, provider, harness::demo_target(provider), &unthrottled()).await?;
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
    // Serialized before the clock starts: the figure is the server's, not the client's JSON writer.
    let batches: Vec<Vec<u8>> = all.chunks(BATCH).map(serde_json::to_vec).collect::<Result<_, _>>()?;
    let started = Instant::now();
    // Contacts are added before anything is said to them.
    let first = batches.len().min(contacts.div_ceil(BATCH));
    let mut accepted = 0;
    let mut lanes: Vec<Vec<Vec<u8>>> = vec![Vec::new(); CLIENTS];
    for (i, b) in batches.into_iter().enumerate() {
        if i < first {
            accepted += post_batch(&world.api, b).await?;
        } else {
            lanes[i % CLIENTS].push(b);
        }
    }
    let mut set = tokio::task::JoinSet::new();
    for mine in lanes {
        let api = world.api.clone();
        set.spawn(async move {
            let mut n = 0;
            for b in mine {
                n += post_batch(&api, b).await?;
            }
            anyhow::Ok(n)
        });
    }
    while let Some(n) = set.join_next().await {
        accepted += n.context("an ingest client")??;
    }
    let secs = started.elapsed().as_secs_f64();
    ensure!(accepted == events as u64, "{accepted} of {events} events accepted");
    let counts = hiresync_testkit::counts(&world.db.store).await?;
    ensure!(counts.queued > 0, "ingest enqueued no jobs");
    Ok(IngestFigure {
        events: accepted,
        batch: BATCH,
        clients: CLIENTS,
        seconds: secs,
        events_per_sec: accepted as f64 / secs,
    })
}

/// Posts one serialized batch; returns how many of its events were new.
async fn post_batch(api: &Api, body: Vec<u8>) -> Result<u64> {
    let out = api.send_json(Method::POST, "/v1/events", Some(body)).await?;
    Ok(out["accepted"].as_u64().unwrap_or_default())
}
