//! Webhooks out (API.md "Webhooks out"): a receiver in the test registers
//! through the API and gets each event signed per Standard Webhooks (checked
//! with the reference library when `HIRESYNC_TEST_PYTHON` names a Python
//! holding `standardwebhooks`), retried on 500s and timeouts, redeliverable,
//! and still delivered after the server is killed between the change and its
//! delivery.

use crate::support::*;
use anyhow::{Context, Result};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hiresync_testkit::{Polled, TestApp, databases, eventually};
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Retries in milliseconds and a 1 s answer time, so a test sees the whole schedule.
const QUICK: [(&str, &str); 2] =
    [("HIRESYNC_WEBHOOK_RETRY_SCHEDULE", "200ms,300ms,400ms"), ("HIRESYNC_WEBHOOK_TIMEOUT_SECS", "1")];

/// How the receiver answers one request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reply {
    Status(u16),
    /// Answers 200 only after this long: past the sender's timeout.
    Hang(Duration),
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Got {
    headers: BTreeMap<String, String>,
    pub(crate) body: String,
    answered: Reply,
}

impl Got {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn taken(&self) -> bool {
        matches!(self.answered, Reply::Status(s) if (200..300).contains(&s))
    }
}

#[derive(Clone)]
pub(crate) struct Receiver {
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Got>>>,
    script: Arc<Mutex<VecDeque<Reply>>>,
    otherwise: Arc<Mutex<Reply>>,
}

impl Receiver {
    /// A receiver on port 0 answering `script` in turn, then `otherwise`.
    pub(crate) async fn start(script: &[Reply], otherwise: Reply) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let r = Self {
            url: format!("http://{}/hooks", listener.local_addr()?),
            got: Arc::default(),
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            otherwise: Arc::new(Mutex::new(otherwise)),
        };
        let app = axum::Router::new().route("/hooks", axum::routing::post(receive)).with_state(r.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(r)
    }

    fn set(&self, otherwise: Reply) {
        *self.otherwise.lock().unwrap() = otherwise;
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    /// The requests of one event type, in order.
    pub(crate) fn of(&self, event: &str) -> Vec<Got> {
        self.got().into_iter().filter(|g| g.json()["type"] == event).collect()
    }

    /// Waits for `event`'s delivery to be taken (answered 2xx); returns it.
    pub(crate) async fn taken(&self, event: &str, limit: Duration) -> Result<Got> {
        eventually(&format!("{event} delivered"), limit, || async {
            Ok(match self.of(event).into_iter().find(Got::taken) {
                Some(g) => Polled::Ready(g),
                None => Polled::Waiting(format!("{} requests so far", self.got().len())),
            })
        })
        .await
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let reply = r.script.lock().unwrap().pop_front().unwrap_or(*r.otherwise.lock().unwrap());
    let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned())).collect();
    r.got.lock().unwrap().push(Got { headers, body, answered: reply });
    match reply {
        Reply::Status(s) => StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        Reply::Hang(d) => {
            tokio::time::sleep(d).await;
            StatusCode::OK
        }
    }
}

/// Verifies a captured delivery with the Standard Webhooks reference library (Python) when
/// `HIRESYNC_TEST_PYTHON` is set (CI sets it), and always with our own verifier.
pub(crate) fn verify(secret: &str, got: &Got) {
    let key = hiresync_client::webhooks::Secret::parse(secret).expect("a whsec_ secret");
    let headers = got.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let now = chrono::Utc::now().timestamp();
    assert_eq!(key.verify(headers, got.body.as_bytes(), now), Ok(()), "our verifier refuses {got:?}");
    match std::env::var("HIRESYNC_TEST_PYTHON") {
        Ok(python) if !python.is_empty() => {
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/webhook_verify.py");
            let input = json!({"secret": secret, "headers": got.headers, "body": got.body}).to_string();
            let mut child = std::process::Command::new(&python)
                .arg(script)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("HIRESYNC_TEST_PYTHON runs");
            std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "the reference library refuses the delivery: {said}");
        }
        _ => {
            assert!(std::env::var("CI").is_err(), "CI must set HIRESYNC_TEST_PYTHON to a Python with standardwebhooks");
            eprintln!("note: HIRESYNC_TEST_PYTHON is not set; deliveries were verified with hiresync's own code only");
        }
    }
}

/// Registers `url` for `events`; returns (id, secret).
pub(crate) async fn register(app: &TestApp, url: &str, events: &[&str]) -> Result<(String, String)> {
    let out = app.expect("POST", "/v1/webhook-endpoints", Some(&json!({"url": url, "events": events})), 201).await?;
    let id = out["id"].as_str().context("an id")?.to_owned();
    let secret = out["secret"].as_str().context("a secret")?.to_owned();
    Ok((id, secret))
}

async fn add_contact(app: &TestApp, contact: &str) -> Result<()> {
    let body = json!({"emails": [format!("{contact}@example.com")], "first_name": contact, "last_name": "Test"});
    app.expect("PUT", &format!("/v1/contacts/{contact}"), Some(&body), 201).await?;
    let added = json!([{"id": format!("{contact}-add"), "type": "contact_added", "contact": contact,
        "sequence": "seq-1", "occurred_at": "2026-11-22T00:00:00Z", "data": {}}]);
    app.expect("POST", "/v1/events", Some(&added), 202).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_contact_is_announced_signed_after_two_500s_and_can_be_redelivered() {
    for db in databases().await.unwrap() {
        let s = harness(&db).env(&QUICK).greenhouse(&json!({})).await.unwrap();
        let hook = Receiver::start(&[Reply::Status(500), Reply::Status(500)], Reply::Status(200)).await.unwrap();

        // Bad registrations name their field; members may not register.
        let bad = json!({"url": hook.url, "events": ["contact.synced", "contact.deleted"]});
        let err = s.app.expect("POST", "/v1/webhook-endpoints", Some(&bad), 422).await.unwrap();
        assert_eq!(err["errors"][0]["field"], "events[1]", "{err}");
        let none = json!({"url": hook.url, "events": []});
        let err = s.app.expect("POST", "/v1/webhook-endpoints", Some(&none), 422).await.unwrap();
        assert_eq!(err["errors"][0]["field"], "events", "{err}");
        let ftp = json!({"url": "ftp://example.com/x", "events": ["contact.synced"]});
        let err = s.app.expect("POST", "/v1/webhook-endpoints", Some(&ftp), 422).await.unwrap();
        assert_eq!(err["errors"][0]["field"], "url", "{err}");
        let user = json!({"email": "m@acme.io", "role": "member"});
        let member = s.app.expect("POST", "/v1/users", Some(&user), 201).await.unwrap();
        let member = TestApp::new(&s.app.url, member["token"].as_str().unwrap());
        let good = json!({"url": hook.url, "events": ["contact.synced"]});
        member.expect("POST", "/v1/webhook-endpoints", Some(&good), 403).await.unwrap();

        let (endpoint, secret) = register(&s.app, &hook.url, &["contact.synced"]).await.unwrap();
        assert!(secret.starts_with("whsec_"), "{secret}");
        let listed = s.app.expect("GET", "/v1/webhook-endpoints", None, 200).await.unwrap();
        assert_eq!(listed[0]["id"], endpoint.as_str(), "{listed}");
        assert!(listed[0].get("secret").is_none(), "the secret is shown once: {listed}");

        add_contact(&s.app, "c0").await.unwrap();
        let taken = hook.taken("contact.synced", Duration::from_secs(60)).await.unwrap();
        let tries = hook.of("contact.synced");
        assert_eq!(tries.len(), 3, "{}: two 500s, then taken: {tries:?}", db.backend);
        let ids: Vec<&String> = tries.iter().map(|g| &g.headers["webhook-id"]).collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "one webhook-id for every attempt: {ids:?}");
        verify(&secret, &taken);
        let data = &taken.json()["data"];
        let person = person_of(&s.app, "c0").await.unwrap();
        assert_eq!(
            (&data["contact"], &data["connection_id"], &data["provider"], &data["person_id"]),
            (&json!("c0"), &json!(s.connection_id), &json!("greenhouse"), &json!(person.to_string())),
            "{}: {data}",
            db.backend
        );
        assert!(taken.json()["timestamp"].as_str().is_some(), "{}", taken.body);

        let (_, metrics) = s.app.raw("GET", "/metrics", None, None).await.unwrap();
        let metrics = metrics.as_str().unwrap_or_default().to_owned();
        for line in ["hiresync_webhook_deliveries_total{outcome=\"refused\"} 2", "{outcome=\"delivered\"} 1"] {
            assert!(metrics.contains(line), "{line} in {metrics}");
        }

        // The typed client reads the same deliveries.
        let deliveries = s.app.client().unwrap().webhook_deliveries(&endpoint, Some(10)).await.unwrap();
        assert_eq!((deliveries.len(), deliveries[0].attempts), (1, 3));
        let path = format!("/v1/webhook-endpoints/{endpoint}/deliveries");
        let deliveries = s.app.expect("GET", &path, None, 200).await.unwrap();
        let d = &deliveries[0];
        assert_eq!(
            (&d["type"], &d["state"], &d["attempts"], &d["response_status"], &d["event_id"]),
            (&json!("contact.synced"), &json!("delivered"), &json!(3), &json!(200), &json!(ids[0])),
            "{}: {deliveries}",
            db.backend
        );

        // Sent again on request, with the same id; after a rotation it is signed with the new secret.
        let rotate = format!("/v1/webhook-endpoints/{endpoint}/rotate-secret");
        let rotated = s.app.expect("POST", &rotate, None, 200).await.unwrap();
        let new_secret = rotated["secret"].as_str().unwrap().to_owned();
        assert_ne!(new_secret, secret);
        let again = format!("/v1/webhook-deliveries/{}/redeliver", d["id"].as_str().unwrap());
        s.app.expect("POST", &again, None, 202).await.unwrap();
        let resent = eventually("redelivered", Duration::from_secs(30), || async {
            let all: Vec<Got> = hook.of("contact.synced").into_iter().filter(Got::taken).collect();
            Ok(if all.len() == 2 { Polled::Ready(all[1].clone()) } else { Polled::Waiting(format!("{}", all.len())) })
        })
        .await
        .unwrap();
        assert_eq!(resent.headers["webhook-id"], *ids[0]);
        verify(&new_secret, &resent);
        assert_eq!(s.app.send("POST", "/v1/webhook-deliveries/whd_01nope/redeliver", None).await.unwrap().0, 404);

        s.app.expect("DELETE", &format!("/v1/webhook-endpoints/{endpoint}"), None, 204).await.unwrap();
        assert_eq!(s.app.send("GET", &path, None).await.unwrap().0, 404);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_does_not_answer_in_time_is_tried_again() {
    for db in databases().await.unwrap() {
        let s = harness(&db).env(&QUICK).greenhouse(&json!({})).await.unwrap();
        let hook = Receiver::start(&[Reply::Hang(Duration::from_secs(3))], Reply::Status(204)).await.unwrap();
        let (endpoint, secret) = register(&s.app, &hook.url, &["contact.synced"]).await.unwrap();
        add_contact(&s.app, "c0").await.unwrap();
        let taken = hook.taken("contact.synced", Duration::from_secs(60)).await.unwrap();
        verify(&secret, &taken);
        let tries = hook.of("contact.synced");
        assert!(matches!(tries[0].answered, Reply::Hang(_)), "{tries:?}");
        let path = format!("/v1/webhook-endpoints/{endpoint}/deliveries");
        let d = s.app.expect("GET", &path, None, 200).await.unwrap()[0].clone();
        assert_eq!((&d["state"], &d["attempts"]), (&json!("delivered"), &json!(2)), "{}: {d}", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_keeps_failing_is_disabled_and_shown_so() {
    for db in databases().await.unwrap() {
        let env = [("HIRESYNC_WEBHOOK_RETRY_SCHEDULE", "100ms"), ("HIRESYNC_WEBHOOK_DISABLE_AFTER_SECS", "0")];
        let s = harness(&db).env(&env).greenhouse(&json!({})).await.unwrap();
        let hook = Receiver::start(&[], Reply::Status(503)).await.unwrap();
        let (endpoint, _) = register(&s.app, &hook.url, &["contact.synced"]).await.unwrap();
        add_contact(&s.app, "c0").await.unwrap();
        let shown = eventually("the endpoint disabled", Duration::from_secs(60), || async {
            let listed = s.app.expect("GET", "/v1/webhook-endpoints", None, 200).await?;
            Ok(if listed[0]["disabled"] == true {
                Polled::Ready(listed[0].clone())
            } else {
                Polled::Waiting(listed.to_string())
            })
        })
        .await
        .unwrap();
        assert!(shown["disabled_reason"].as_str().is_some_and(|r| r.contains("503")), "{}: {shown}", db.backend);
        assert_eq!(shown["failing"], true, "{shown}");
        assert_eq!(hook.of("contact.synced").len(), 2, "the first try and one retry");
        let path = format!("/v1/webhook-endpoints/{endpoint}/deliveries");
        let d = s.app.expect("GET", &path, None, 200).await.unwrap()[0].clone();
        assert_eq!((&d["state"], &d["response_status"]), (&json!("failed"), &json!(503)), "{d}");
        // A disabled endpoint gets nothing more.
        add_contact(&s.app, "c1").await.unwrap();
        let again = format!("/v1/webhook-deliveries/{}/redeliver", d["id"].as_str().unwrap());
        s.app.expect("POST", &again, None, 409).await.unwrap();
        hiresync_testkit::wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert_eq!(hook.of("contact.synced").len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_connection_and_its_recovery_are_announced() {
    for db in databases().await.unwrap() {
        let env = [QUICK[0], QUICK[1], ("HIRESYNC_PROBE_SECS", "300")];
        let s = harness(&db).env(&env).greenhouse(&json!({})).await.unwrap();
        let hook = Receiver::start(&[], Reply::Status(200)).await.unwrap();
        let (_, secret) = register(&s.app, &hook.url, &["connection.failing", "connection.recovered"]).await.unwrap();
        // Greenhouse revokes the client: the next sync is refused.
        s.sim.app().lock().clients.remove("client-1");
        s.sim.app().expire_tokens();
        add_contact(&s.app, "c0").await.unwrap();
        let failing = hook.taken("connection.failing", Duration::from_secs(60)).await.unwrap();
        verify(&secret, &failing);
        assert_eq!(failing.json()["data"]["connection_id"], s.connection_id.as_str(), "{}", failing.body);
        assert!(failing.json()["data"]["error"].as_str().is_some_and(|e| !e.is_empty()), "{}", failing.body);

        s.sim.app().add_client("client-2", "secret-2");
        let user = s.sim.state().users.keys().next().copied().unwrap();
        let good = json!({"credentials": {"client_id": "client-2", "client_secret": "secret-2", "user_id": user}});
        s.app.expect("PATCH", &format!("/v1/connections/{}", s.connection_id), Some(&good), 200).await.unwrap();
        let recovered = hook.taken("connection.recovered", Duration::from_secs(60)).await.unwrap();
        verify(&secret, &recovered);
        assert_eq!(recovered.json()["data"]["provider"], "greenhouse");
        assert_eq!(hook.of("connection.failing").len(), 1, "{}: announced once", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finished_imports_and_resyncs_are_announced_with_their_counts() {
    for db in databases().await.unwrap() {
        let s = harness(&db).env(&QUICK).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        let hook = Receiver::start(&[], Reply::Status(200)).await.unwrap();
        let (_, secret) = register(&s.app, &hook.url, &["import.finished", "resync.finished"]).await.unwrap();
        let conn = s.connection_id.as_str();

        // With the trigger off nothing syncs by itself; the resync syncs both contacts.
        add_contact(&s.app, "c0").await.unwrap();
        add_contact(&s.app, "c1").await.unwrap();
        let body = json!({"connection_id": conn, "contacts": ["c0", "c1"]});
        let resync = s.app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
        let finished = hook.taken("resync.finished", Duration::from_secs(60)).await.unwrap();
        verify(&secret, &finished);
        let data = &finished.json()["data"];
        assert_eq!(
            (&data["resync_id"], &data["total"], &data["synced"], &data["failed"]),
            (&resync["id"], &json!(2), &json!(2), &json!(0)),
            "{}: {data}",
            db.backend
        );

        let settings = s.app.expect("GET", &format!("/v1/connections/{conn}/settings"), None, 200).await.unwrap();
        let target = settings["default_target"].clone();
        let job = target["job_id"].as_i64().unwrap();
        for i in 0..3 {
            let id = s.sim.app().add_candidate("Imported", &format!("P{i}"), &format!("imported{i}@example.com"));
            s.sim.app().add_application(id, job).unwrap();
        }
        let body = json!({"connection_id": conn, "target": target, "sequence": "seq-1"});
        let import = s.app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let finished = hook.taken("import.finished", Duration::from_secs(60)).await.unwrap();
        verify(&secret, &finished);
        let data = &finished.json()["data"];
        assert_eq!(
            (&data["import_id"], &data["state"], &data["imported"]),
            (&import["id"], &json!("done"), &json!(3)),
            "{}: {data}",
            db.backend
        );
        hiresync_testkit::wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert_eq!(hook.of("resync.finished").len(), 1, "announced once");
        assert_eq!(hook.of("import.finished").len(), 1, "announced once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_outlives_a_sigkill_between_the_change_and_its_delivery() {
    for db in databases().await.unwrap() {
        // Retries a second apart: the kill lands while the first delivery waits for its retry, or
        // during an attempt, whose lease then runs out within seconds.
        let env = [
            ("HIRESYNC_WEBHOOK_RETRY_SCHEDULE", "1s,1s,1s,1s,1s"),
            ("HIRESYNC_WEBHOOK_TIMEOUT_SECS", "1"),
            ("HIRESYNC_LEASE_SECS", "3"),
        ];
        let h = harness(&db).env(&env);
        let mut s = h.greenhouse(&json!({})).await.unwrap();
        let hook = Receiver::start(&[], Reply::Status(503)).await.unwrap();
        let (_, secret) = register(&s.app, &hook.url, &["contact.synced"]).await.unwrap();
        add_contact(&s.app, "c0").await.unwrap();
        eventually("the contact synced", Duration::from_secs(60), || async {
            let sync = s.app.expect("GET", "/v1/contacts/c0/sync", None, 200).await?;
            Ok(if sync[0]["state"] == "synced" { Polled::Ready(()) } else { Polled::Waiting(sync.to_string()) })
        })
        .await
        .unwrap();
        s.server.kill().await.unwrap();
        assert!(hook.of("contact.synced").iter().all(|g| !g.taken()), "nothing was taken before the kill");

        hook.set(Reply::Status(200));
        let _restarted = h.serve().await.unwrap();
        let taken = hook.taken("contact.synced", Duration::from_secs(90)).await.unwrap();
        verify(&secret, &taken);
        assert_eq!(taken.json()["data"]["contact"], "c0", "{}: {}", db.backend, taken.body);
    }
}
