//! Self-healing (SPEC Q1, Q3, Q4, C3): a revoked key holds its jobs without
//! calling the provider until the key is replaced, an outage delays work and
//! kills none, tokens rotate and removed users lose access at once.

use crate::support::*;
use anyhow::Result;
use hiresync_store::Store;
use hiresync_testkit::{Greenhouse, JobCounts, Polled, TestApp, counts, databases, eventually, wait_idle};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Quick retries, so a test's outage spans many of them.
const QUICK_RETRIES: [(&str, &str); 3] =
    [("HIRESYNC_RETRY_BASE_MS", "100"), ("HIRESYNC_RETRY_MAX_SECS", "1"), ("HIRESYNC_LEASE_SECS", "3")];

/// One number from a query over the jobs table.
async fn jobs_scalar(store: &Store, sql: &str) -> Result<i64> {
    let mut c = store.db().await?;
    let (n,): (i64,) = hiresync_store::with_raw!(&mut c, |c| sqlx::query_as(sql).fetch_one(c).await)?;
    Ok(n)
}

async fn held(store: &Store) -> Result<i64> {
    jobs_scalar(store, "select count(*) from jobs where state = 'held'").await
}

async fn connection(app: &TestApp, id: &str) -> Result<Value> {
    app.expect("GET", &format!("/v1/connections/{id}"), None, 200).await
}

/// Every contact's candidate holds the notes of its messages `1..per`, each once, in order.
fn assert_notes_once_in_order(s: &Greenhouse, contacts: usize, per: usize) {
    let state = s.sim.state();
    assert_eq!(state.candidates.len(), contacts, "each person created once");
    for candidate in state.candidates.values() {
        let bodies: Vec<&str> = state
            .notes
            .values()
            .filter(|n| n.candidate_id == Some(candidate.id))
            .map(|n| n.body.as_str())
            .filter(|b| b.contains("message "))
            .collect();
        let expected: Vec<String> = (1..per).map(|k| format!("message {k}")).collect();
        assert_eq!(bodies.len(), expected.len(), "candidate {}: {bodies:?}", candidate.id);
        for (body, want) in bodies.iter().zip(&expected) {
            assert!(body.contains(want.as_str()), "candidate {}: {bodies:?}", candidate.id);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_holds_its_jobs_without_calling_until_a_patch_replaces_it() {
    for db in databases().await.unwrap() {
        let (contacts, per) = (30, 4);
        let env = [("HIRESYNC_PROBE_SECS", "300"), ("HIRESYNC_WORKER_CONCURRENCY", "8")];
        let s = harness(&db).env(&env).greenhouse(&json!({})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        let all = events(contacts, per);
        post_all(&s.app, &all[..contacts], 500).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();

        // Greenhouse revokes the client: its tokens stop working and no new one is issued.
        s.sim.app().lock().clients.remove("client-1");
        s.sim.app().expire_tokens();
        s.sim.core().clear_requests();
        post_all(&s.app, &all[contacts..], 500).await.unwrap();
        let conn = eventually("every contact's jobs held", Duration::from_secs(60), || async {
            let JobCounts { queued, running, dead, .. } = counts(&db.store).await?;
            assert_eq!(dead, 0, "{}: nothing dies of a refused key", db.backend);
            let held = held(&db.store).await?;
            Ok(if queued == 0 && running == 0 && held == contacts as i64 {
                Polled::Ready(connection(&s.app, &s.connection_id).await?)
            } else {
                Polled::Waiting(format!("{queued} queued, {running} running, {held} held"))
            })
        })
        .await
        .unwrap();
        assert_eq!(conn["status"], "failing", "{}: {conn}", db.backend);
        assert!(conn["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{conn}");
        assert!(conn["failing_since"].as_str().is_some(), "{conn}");
        // Without holding, each of the 30 contacts' jobs would have called (and retried); with it,
        // only the jobs already in flight when the key was refused did, once each with its token.
        let calls = s.sim.core().requests().len();
        assert!(calls <= 3 * 8, "{}: {calls} requests reached Greenhouse after the key was revoked", db.backend);
        let spent = jobs_scalar(&db.store, "select coalesce(max(attempts), 0) from jobs where state = 'held'").await;
        assert_eq!(spent.unwrap(), 0, "{}: waiting for a key spends no attempt", db.backend);
        let listed = s.app.expect("GET", "/v1/jobs?state=held", None, 200).await.unwrap();
        assert_eq!(listed.as_array().map(Vec::len), Some(contacts), "{listed}");
        assert!(listed[0]["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{}", listed[0]);

        // A wrong replacement is refused with the provider's reason and changes nothing.
        let path = format!("/v1/connections/{}", s.connection_id);
        let user = s.sim.state().users.keys().next().copied().unwrap();
        let wrong = json!({"credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": user}});
        let refused = s.app.expect("PATCH", &path, Some(&wrong), 422).await.unwrap();
        assert_eq!(refused["errors"][0]["field"], "credentials", "{refused}");
        assert_eq!(connection(&s.app, &s.connection_id).await.unwrap()["status"], "failing");
        assert_eq!(held(&db.store).await.unwrap(), contacts as i64);

        // The admin issues a new client and replaces the credentials: the held jobs run by themselves.
        s.sim.app().add_client("client-2", "secret-2");
        let good = json!({"credentials": {"client_id": "client-2", "client_secret": "secret-2", "user_id": user}});
        let fixed = s.app.expect("PATCH", &path, Some(&good), 200).await.unwrap();
        assert_eq!(fixed["status"], "connected", "{fixed}");
        assert!(fixed["failing_since"].is_null() && fixed["last_error"].is_null(), "{fixed}");
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        assert_eq!(held(&db.store).await.unwrap(), 0);
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}: nothing dead", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_notes_once_in_order(&s, contacts, per);
        // The connection kept its settings and links: the same person, reached the same way.
        let settings = s.app.expect("GET", &format!("{path}/settings"), None, 200).await.unwrap();
        assert!(settings["default_target"]["job_id"].is_number(), "{settings}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_outage_delays_work_and_kills_none() {
    for db in databases().await.unwrap() {
        let (contacts, per) = (20, 3);
        let s = harness(&db).env(&QUICK_RETRIES).greenhouse(&json!({})).await.unwrap();
        put_contacts(&s.app, contacts).await.unwrap();
        // Greenhouse's windows twenty times shorter, so its allowance does not set the pace.
        s.sim.core().set_time_scale(hiresync_sim::TimeScale::new(20.0));
        // Greenhouse is down: every call answers 503 or is cut, through several tries of every job.
        s.sim.core().set_fault_rates(hiresync_sim::faults::FaultRates {
            error_rate: 0.8,
            error_status: 503,
            drop_rate: 0.2,
            ..Default::default()
        });
        post_all(&s.app, &events(contacts, per), 500).await.unwrap();
        eprintln!("{}: server log {}", db.backend, s.server.log.display());
        eventually("jobs tried again and again through the outage", Duration::from_secs(90), || async {
            let waits = jobs_scalar(&db.store, "select coalesce(max(waits), 0) from jobs").await?;
            let states = db.store.job_counts().await?;
            Ok(if waits >= 5 { Polled::Ready(()) } else { Polled::Waiting(format!("{waits} waits; {states:?}")) })
        })
        .await
        .unwrap();
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}: an outage kills nothing", db.backend);
        s.sim.core().clear_faults();
        let back = Instant::now();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
        eprintln!("{}: the last contact synced {:?} after the outage ended", db.backend, back.elapsed());
        assert_eq!(counts(&db.store).await.unwrap().dead, 0, "{}", db.backend);
        // Each job spent at most the attempt that succeeded: however long the outage, none runs out.
        let spent = jobs_scalar(&db.store, "select coalesce(max(attempts), 0) from jobs").await.unwrap();
        assert!(spent <= 1, "{}: waiting spent attempts ({spent})", db.backend);
        assert_exactly_once_in_order(&db.store, &s.workspace_id, contacts, per).await.unwrap();
        assert_notes_once_in_order(&s, contacts, per);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_rotate_and_a_removed_users_connections_wait_for_an_admin() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let url = s.server.url.clone().unwrap_or_default();
        let member =
            s.app.expect("POST", "/v1/users", Some(&json!({"email": "sam@acme.io", "role": "member"})), 201).await;
        let member = member.unwrap();
        let member_id = member["id"].as_str().unwrap().to_owned();
        let first = TestApp::new(&url, member["token"].as_str().unwrap());
        let user = s.sim.state().users.keys().next().copied().unwrap();
        let own = first
            .expect(
                "POST",
                "/v1/connections",
                Some(&json!({"provider": "greenhouse", "base_url": s.sim.base_url(),
                    "auth_base_url": s.sim.auth_base_url(),
                    "credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": user}})),
                201,
            )
            .await
            .unwrap();
        let own_id = own["id"].as_str().unwrap().to_owned();

        // The member rotates their own token: the old one stops working at once.
        let rotated = first.expect("POST", &format!("/v1/users/{member_id}/token"), None, 201).await.unwrap();
        let second = TestApp::new(&url, rotated["token"].as_str().unwrap());
        first.expect("GET", "/v1/connections", None, 401).await.unwrap();
        second.expect("GET", "/v1/connections", None, 200).await.unwrap();
        // A member neither rotates another's token nor removes anyone.
        let owner = s.app.expect("GET", "/v1/connections", None, 200).await.unwrap();
        let owner_id = owner.as_array().unwrap().iter().find_map(|k| k["user_id"].as_str()).unwrap().to_owned();
        second.expect("POST", &format!("/v1/users/{owner_id}/token"), None, 403).await.unwrap();
        second.expect("DELETE", &format!("/v1/users/{owner_id}"), None, 403).await.unwrap();
        s.app.expect("POST", "/v1/users/usr_nobody/token", None, 404).await.unwrap();

        // The owner removes the member: the token stops working, the connection is disabled and listed.
        s.app.expect("DELETE", &format!("/v1/users/{member_id}"), None, 204).await.unwrap();
        second.expect("GET", "/v1/connections", None, 401).await.unwrap();
        let listed = connection(&s.app, &own_id).await.unwrap();
        assert_eq!(listed["status"], "disabled", "{}: {listed}", db.backend);
        s.app.expect("DELETE", &format!("/v1/users/{member_id}"), None, 404).await.unwrap();
        // The last owner cannot be removed, or nobody could run the workspace.
        s.app.expect("DELETE", &format!("/v1/users/{owner_id}"), None, 409).await.unwrap();

        // Handing the connection over to the owner brings it back, checked live.
        let path = format!("/v1/connections/{own_id}");
        let bad = s.app.expect("PATCH", &path, Some(&json!({"user_id": member_id})), 422).await.unwrap();
        assert_eq!(bad["errors"][0]["field"], "user_id", "{bad}");
        let back = s.app.expect("PATCH", &path, Some(&json!({"user_id": owner_id})), 200).await.unwrap();
        assert_eq!(back["status"], "connected", "{back}");
        assert_eq!(back["user_id"], owner_id.as_str(), "{back}");
    }
}
