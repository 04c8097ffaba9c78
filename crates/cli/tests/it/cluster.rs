//! A cluster on PostgreSQL: one `hiresync serve --no-worker` and three
//! `hiresync worker` processes against a Greenhouse that enforces its
//! documented limits. Together they keep to one allowance, are woken by the
//! database rather than by polling, and lose nothing when one is killed.

use crate::support::*;
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_sim::{LoggedRequest, TimeScale};
use hiresync_store::Backend;
use hiresync_testkit::{Polled, counts, databases, eventually, wait_idle};
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

/// Greenhouse's clock runs this much faster: its 30 s windows last one second.
const SCALE: f64 = 30.0;

/// A worker polls so rarely that only the database's notifications can start its jobs in time.
const WORKER_ENV: [(&str, &str); 3] =
    [("HIRESYNC_WORKER_CONCURRENCY", "8"), ("HIRESYNC_LEASE_SECS", "2"), ("HIRESYNC_POLL_MS", "600000")];

/// Greenhouse enforcing its documented limits on a clock `SCALE` times faster, with a recruiter and a job.
async fn limited_greenhouse() -> anyhow::Result<(GreenhouseSim, i64, (i64, i64))> {
    let sim = GreenhouseSim::start_with(hiresync_sim::greenhouse::config(), "127.0.0.1:0".parse()?).await?;
    let mut limits = sim.core().rate_limits();
    limits.enabled = true;
    sim.core().set_rate_limits(limits);
    sim.core().set_time_scale(TimeScale::new(SCALE));
    sim.app().add_client("client-1", "secret-1");
    let user = sim.app().add_user("Robin", "Recruiter", "robin@acme.io");
    let job = sim.app().add_job("Rust Engineer", &["Review", "Screen"]);
    Ok((sim, user, (job.id, job.stage_ids[0])))
}

/// Requests Greenhouse refused with 429 one window or more after the first request.
fn refused_after_first_window(log: &[LoggedRequest], window: Duration) -> usize {
    let first = log.iter().map(|r| r.at_us).min().unwrap_or(0);
    let window_us = window.as_micros() as u64;
    log.iter().filter(|r| r.status == 429 && r.at_us - first >= window_us).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_and_three_workers_share_one_allowance_and_survive_a_kill() {
    for db in databases().await.unwrap().into_iter().filter(|d| d.store.backend() == Backend::Postgres) {
        let (contacts, per) = (300, 2);
        // Four processes beside the other tests: a small pool each keeps PostgreSQL within its 100 clients.
        let cluster = harness(&db).serve_args(&["--no-worker"]).env(&[("HIRESYNC_MAX_CONNECTIONS", "4")]);
        let started = cluster.start().await.unwrap();
        let (mut api, app, workspace_id) = (started.server, started.app, started.workspace_id);
        let workers_of = cluster.clone().env(&WORKER_ENV);
        let (sim, user, (job, stage)) = limited_greenhouse().await.unwrap();
        let window = TimeScale::new(SCALE).window(30);
        // The connection's own allowance is Greenhouse's, on the simulator's faster clock.
        let body = json!({"provider": "greenhouse", "base_url": sim.base_url(), "auth_base_url": sim.auth_base_url(),
            "credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": user},
            "rate_limit": {"requests": 150, "per_seconds": window.as_secs_f64()}});
        let conn = app.expect("POST", "/v1/connections", Some(&body), 201).await.unwrap();
        let conn = conn["id"].as_str().unwrap().to_owned();
        let settings = json!({"default_target": {"job_id": job, "stage_id": stage}});
        app.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&settings), 200).await.unwrap();
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Rust outreach"})), 201).await.unwrap();
        put_contacts(&app, contacts).await.unwrap();
        let mut workers = Vec::new();
        for _ in 0..3 {
            workers.push(workers_of.worker().await.unwrap());
        }
        sim.core().clear_requests();
        post_all(&app, &events(contacts, per), 200).await.unwrap();

        // Kill one worker while people are being created and its jobs are in flight.
        eventually("a third done with jobs in flight", Duration::from_secs(120), || async {
            let c = counts(&db.store).await?;
            Ok(if c.done >= (contacts * per / 3) as i64 && c.running > 0 {
                Polled::Ready(())
            } else {
                Polled::Waiting(c.to_string())
            })
        })
        .await
        .unwrap();
        workers[0].kill().await.unwrap();
        let done = counts(&db.store).await.unwrap().done;
        assert!(done < (contacts * per) as i64, "the kill came too late to test anything");
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();

        for w in &mut workers[1..] {
            assert!(w.terminate().await.unwrap(), "a worker stops cleanly on SIGTERM");
        }
        assert!(api.terminate().await.unwrap());
        assert_eq!(counts(&db.store).await.unwrap().dead, 0);
        assert_exactly_once_in_order(&db.store, &workspace_id, contacts, per).await.unwrap();
        let state = sim.state();
        assert_eq!(state.candidates.len(), contacts, "each person created once");
        let mut notes: HashMap<i64, usize> = HashMap::new();
        for note in state.notes.values() {
            *notes.entry(note.candidate_id.unwrap_or_default()).or_default() += 1;
        }
        assert_eq!(notes.len(), contacts, "a note on every person");
        assert!(notes.values().all(|n| *n == 1), "each note written once");
        let log: Vec<LoggedRequest> = sim.core().requests().into_iter().filter(|r| r.path.starts_with("/v")).collect();
        let refused = log.iter().filter(|r| r.status == 429).count();
        eprintln!("{} requests to the API, {refused} refused", log.len());
        assert_eq!(refused_after_first_window(&log, window), 0, "no 429 after the first window");
    }
}
