//! Chaos (SPEC Q1, Q3): the serving process killed with SIGKILL again and
//! again (and, on PostgreSQL, a worker process beside it) while it syncs
//! under standing provider faults on every write path; and the database cut
//! away under a running server. Afterwards, with no manual retry, every
//! contact is synced, each person and each note exists once, nothing is dead.

use crate::support::*;
use anyhow::Result;
use hiresync_sim::{FaultRates, TimeScale};
use hiresync_store::Backend;
use hiresync_testkit::{Greenhouse, JobCounts, Polled, counts, databases, eventually, wait_idle};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

const ENV: [(&str, &str); 5] = [
    ("HIRESYNC_LEASE_SECS", "2"),
    ("HIRESYNC_WORKER_CONCURRENCY", "8"),
    ("HIRESYNC_RETRY_BASE_MS", "100"),
    ("HIRESYNC_RETRY_MAX_SECS", "1"),
    ("HIRESYNC_GRACE_SECS", "1"),
];

/// Each candidate created once, holding each of its messages' notes once.
fn assert_each_person_and_note_once(s: &Greenhouse, contacts: usize, backend: &str) {
    let state = s.sim.state();
    assert_eq!(state.candidates.len(), contacts, "{backend}: each person created once");
    for candidate in state.candidates.values() {
        let notes = state.notes.values().filter(|n| n.candidate_id == Some(candidate.id));
        let bodies: Vec<&str> = notes.map(|n| n.body.as_str()).filter(|b| b.contains("message 1")).collect();
        assert_eq!(bodies.len(), 1, "{backend}: candidate {} notes {bodies:?}", candidate.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_again_and_again_under_standing_faults_every_contact_syncs_once() {
    for db in databases().await.unwrap() {
        let (contacts, per, kills) = (200, 2, 5);
        let h = harness(&db).env(&ENV);
        let mut s = h.greenhouse(&json!({})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        let core = s.sim.core();
        // Greenhouse's windows twenty times shorter, so its allowance does not set the pace.
        core.set_time_scale(TimeScale::new(20.0));
        core.set_fault_rates(FaultRates {
            error_rate: 0.08,
            error_status: 503,
            drop_rate: 0.04,
            // Each 429 holds every request of the credential back for its Retry-After (a second).
            rate_limit_rate: 0.04,
            ..FaultRates::default()
        });
        // Writes Greenhouse carried out whose answer never came back.
        core.lose_next_responses(15, "POST", "/v3/candidates");
        core.lose_next_responses(15, "POST", "/v3/notes");
        post_all(&s.app, &events(contacts, per), 500).await.unwrap();
        let pg = db.store.backend() == Backend::Postgres;
        let mut worker = if pg { Some(h.worker().await.unwrap()) } else { None };
        let JobCounts { queued, running, done, .. } = counts(&db.store).await.unwrap();
        let step = (queued + running + done) / (kills as i64 + 2);
        let started = Instant::now();
        for kill in 0..kills {
            // Kill it once it has made some progress since it started, and long before the end.
            let before = counts(&db.store).await.unwrap().done;
            eventually("progress before the next kill", Duration::from_secs(60), || async {
                let c = counts(&db.store).await?;
                Ok(if c.done >= before + step || c.queued + c.running == 0 {
                    Polled::Ready(())
                } else {
                    Polled::Waiting(c.to_string())
                })
            })
            .await
            .unwrap();
            s.server.kill().await.unwrap();
            if kill == 2
                && let Some(w) = worker.as_mut()
            {
                w.kill().await.unwrap();
                *w = h.worker().await.unwrap();
            }
            s.server = h.serve().await.unwrap();
        }
        let JobCounts { queued, running, done, dead } = counts(&db.store).await.unwrap();
        eprintln!(
            "{}: after {kills} kills in {:?}: {done} jobs done, {queued} queued, {running} running, {dead} dead",
            db.backend,
            started.elapsed()
        );
        assert!(queued + running > 0, "{}: the last kill came after the work was done", db.backend);
        core.clear_faults();
        let calm = Instant::now();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        eprintln!("{}: the last contact synced {:?} after the faults stopped", db.backend, calm.elapsed());
        let served = core.requests().len();
        let faulted = core.requests().iter().filter(|r| r.fault.is_some()).count();
        eprintln!("{}: {served} provider requests, {faulted} of them faulted", db.backend);
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}: nothing dead", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_each_person_and_note_once(&s, contacts, db.backend);
        if let Some(mut w) = worker {
            assert!(w.terminate().await.unwrap());
        }
    }
}

/// A TCP proxy between the server and PostgreSQL that can cut every connection and refuse new ones.
struct Proxy {
    addr: SocketAddr,
    cut: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let (addr, cut, links) = (listener.local_addr()?, Arc::new(AtomicBool::new(false)), Arc::default());
        let (c, l): (Arc<AtomicBool>, Arc<Mutex<Vec<AbortHandle>>>) = (Arc::clone(&cut), Arc::clone(&links));
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if c.load(Ordering::SeqCst) {
                    continue;
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                l.lock().unwrap().push(link.abort_handle());
            }
        });
        Ok(Self { addr, cut, links })
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_database_answers_503_then_everything_accepted_syncs_once() {
    for db in databases().await.unwrap().into_iter().filter(|d| d.store.backend() == Backend::Postgres) {
        let (contacts, per) = (20, 3);
        let proxy = Proxy::start("127.0.0.1:5432".parse().unwrap()).await.unwrap();
        let via = db.url.replacen("127.0.0.1:5432", &proxy.addr.to_string(), 1);
        assert_ne!(via, db.url, "the test database is on 127.0.0.1:5432");
        let s = harness(&db).via(&via).env(&ENV).greenhouse(&json!({})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        let all = events(contacts, per);
        post_all(&s.app, &all[..contacts], 500).await.unwrap();

        proxy.cut();
        let http = reqwest::Client::new();
        let url = s.server.url.clone().unwrap_or_default();
        for path in ["/v1/events", "/v1/connections"] {
            let req = if path == "/v1/events" {
                http.post(format!("{url}{path}")).json(&Value::from(all[contacts..2 * contacts].to_vec()))
            } else {
                http.get(format!("{url}{path}"))
            };
            let resp = req.bearer_auth(&s.app.token).send().await.unwrap();
            assert_eq!(resp.status().as_u16(), 503, "{path} while the database is cut");
            assert!(resp.headers().get("retry-after").is_some(), "{path}: Retry-After");
            let kind = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert_eq!(kind, "application/problem+json", "{path}");
        }

        proxy.restore();
        eventually("the API back once the database is", Duration::from_secs(60), || async {
            let (status, body) = s.app.send("POST", "/v1/events", Some(&Value::from(all[contacts..].to_vec()))).await?;
            Ok(if status.as_u16() == 202 { Polled::Ready(()) } else { Polled::Waiting(format!("{status} {body}")) })
        })
        .await
        .unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "nothing dead");
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_eq!(s.sim.state().candidates.len(), contacts, "each person once");
    }
}
