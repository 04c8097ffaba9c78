//! Figure 2, requests per contact for the standard flow: a contact is added
//! to a sequence (found by email or created, then placed on the target), a
//! message is sent (a note), and they reply (a note and a move to the reply
//! stage). Counted from each simulator's request log, beside the documented
//! minimum.
//!
//! The documented minimum, from shared/providers/*.md, for one contact whose
//! target is a job / project and whose reply moves them one stage on:
//!
//! Greenhouse Harvest v3 (greenhouse.md §7): added = `GET /v3/candidates?email=`
//! (the dedup lookup, §7.6) + `POST /v3/candidates` with one nested
//! `application: {job_id}` (§7.7: v3 creates at most one application with the
//! candidate, landing on the job's first stage) = 2; sent = `POST /v3/notes`
//! with `note_type: EMAIL` (§7.9; idempotent through our own ledger, which §7.9
//! offers instead of a read-back) = 1; reply = `POST /v3/notes` + `POST
//! /v3/applications/{id}/move` with the `from_stage_id` we stored when placing
//! (§7.8) = 2. Tokens are cached (one per hour, §7.1), so 0 per contact. Total 5.
//!
//! Teamtailor (teamtailor.md §2.2): added = `GET /v1/candidates?filter[email]=`
//! (needed to warn "Exists in Teamtailor") + `POST /v1/candidates` + `POST
//! /v1/job-applications` = 3; sent = `POST /v1/notes` = 1; reply = `POST
//! /v1/notes` + `PATCH /v1/job-applications/{id}` (stage relationship) = 2.
//! The note author's user id is looked up once per connection. Total 6.
//!
//! Clockwork v3 (clockwork.md §3.2, crates/providers/src/clockwork/ASSUMPTIONS.md):
//! added = `GET /people_search?q=<email>` + `POST /people` + `POST
//! /people/{id}/email_addresses` (the create body carries no email) + `POST
//! /people/{id}/positions` (the bench contacts carry a title and company, which
//! Greenhouse takes inside its create and Teamtailor has no place for) + `POST
//! /projects/{id}/candidacies` = 5; sent = `POST /people/{id}/notes` = 1;
//! reply = `POST /people/{id}/notes` + `PATCH /candidacies/{id}` = 2. Total 8.

use super::harness::{self, Backend, World};
use super::report::RequestsFigure;
use anyhow::{Context, Result, ensure};
use hiresync_sim::{Demo, SimCore};
use hiresync_testkit::sims::unthrottled;
use reqwest::Method;
use std::time::Duration;

/// The documented minimum per contact for added, sent and reply (see the module docs).
pub fn minimum(provider: &str) -> [f64; 3] {
    match provider {
        "greenhouse" => [2.0, 1.0, 2.0],
        "teamtailor" => [3.0, 1.0, 2.0],
        _ => [5.0, 1.0, 2.0],
    }
}

const PROVIDERS: [&str; 3] = ["greenhouse", "clockwork", "teamtailor"];

/// Runs the flow for `contacts` contacts synced to all three providers at once.
pub async fn run(backend: &Backend, contacts: usize) -> Result<Vec<RequestsFigure>> {
    let demo = harness::unlimited_demo().await?;
    let world = World::start(backend, &[], &[]).await?;
    let result = measure(&world, &demo, contacts).await;
    world.stop().await;
    result
}

fn core<'a>(demo: &'a Demo, provider: &str) -> &'a SimCore {
    match provider {
        "greenhouse" => demo.greenhouse.core(),
        "clockwork" => demo.clockwork.core(),
        _ => demo.teamtailor.core(),
    }
}

async fn measure(world: &World, demo: &Demo, contacts: usize) -> Result<Vec<RequestsFigure>> {
    for p in PROVIDERS {
        harness::connect(&world.api, demo, p, harness::demo_target(p), &unthrottled()).await?;
    }
    harness::put_contacts(&world.api, "f", contacts, 8).await?;
    for p in PROVIDERS {
        core(demo, p).clear_requests();
    }
    let mut phases = [[0u64; 3]; 3];
    for (phase, kind) in ["contact_added", "message_sent", "reply_received"].into_iter().enumerate() {
        let events: Vec<_> = (0..contacts)
            .map(|i| {
                let id = harness::contact_id("f", i);
                let data = if phase == 0 { serde_json::json!({}) } else { harness::message(&format!("{id}-{phase}")) };
                harness::event(&format!("{id}-{kind}"), kind, &id, &data)
            })
            .collect();
        harness::post_events(&world.api, &events, 1000).await?;
        let c = world.wait_idle(Duration::from_secs(600)).await?;
        ensure!(c.dead == 0, "{} sync jobs died in the {kind} phase", c.dead);
        for (i, p) in PROVIDERS.into_iter().enumerate() {
            phases[i][phase] = core(demo, p).requests().len() as u64;
            core(demo, p).clear_requests();
        }
    }
    // The flow must have worked for the count to mean anything.
    let sync = world.api.send(Method::GET, &format!("/v1/contacts/{}/sync", harness::contact_id("f", 0)), None).await?;
    let synced = sync.as_array().context("contact sync states")?.iter().filter(|s| s["state"] == "synced").count();
    ensure!(synced == PROVIDERS.len(), "a contact is not synced to every provider: {sync}");
    Ok(PROVIDERS
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let per = |n: u64| n as f64 / contacts as f64;
            let [added, message_sent, reply] = phases[i].map(per);
            let minimum: f64 = minimum(p).iter().sum();
            let per_contact = added + message_sent + reply;
            RequestsFigure {
                provider: p.to_owned(),
                contacts,
                added,
                message_sent,
                reply,
                per_contact,
                minimum,
                ratio: per_contact / minimum,
            }
        })
        .collect())
}
