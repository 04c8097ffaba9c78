//! ATS changes within a minute (SPEC R3, issue 29 item 6): a person a
//! recruiter puts on a job or project a recurring import reads reaches the
//! import's sequence through the ATS's own signed webhook, well before the
//! hourly run, and only once even when that run comes; replays, forgeries and
//! other tenants' connections change nothing. Greenhouse, Teamtailor and
//! Clockwork, each simulator delivering in its provider's shape and signing.

use crate::support::{BIN, harness, run_import_now};
use anyhow::{Result, ensure};
use hiresync_sim::WebhookEndpoint;
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_store::Store;
use hiresync_testkit::{Polled, TestApp, TestDb, create_workspace, databases, eventually, sims};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// SPEC R3 as this issue words it: the person is in the sequence within a minute.
const WITHIN: Duration = Duration::from_secs(60);

/// Posts a raw delivery with headers; the status, the JSON answer and its content type.
async fn post_raw(url: &str, body: &str, headers: &[(String, String)]) -> Result<(u16, Value, String)> {
    let mut request = reqwest::Client::new().post(url).header("content-type", "application/json").body(body.to_owned());
    for (k, v) in headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("content-type")) {
        request = request.header(k.as_str(), v.as_str());
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null), content_type))
}

/// Starts a recurring import of `target` into `seq-1` and waits for its first run.
async fn recurring_import(app: &TestApp, conn: &str, target: &Value) -> Result<String> {
    let body = json!({"connection_id": conn, "target": target, "sequence": "seq-1", "recurring": true});
    let started = app.expect("POST", "/v1/imports", Some(&body), 202).await?;
    let id = started["id"].as_str().unwrap_or_default().to_owned();
    app.get_until(&format!("/v1/imports/{id}"), |b| b["state"] == "scheduled").await?;
    Ok(id)
}

/// The external ids of the contacts an import brought into its sequence.
async fn imported(app: &TestApp, import: &str) -> Result<Vec<String>> {
    let listed = app.expect("GET", &format!("/v1/imports/{import}/contacts"), None, 200).await?;
    let mut ids: Vec<String> =
        listed.as_array().into_iter().flatten().filter_map(|r| r["external_id"].as_str().map(str::to_owned)).collect();
    ids.sort();
    Ok(ids)
}

/// Waits until `contact` is among the import's contacts, enrolled in `seq-1`, and says how long it took.
async fn arrives(app: &TestApp, db: &TestDb, workspace: &str, import: &str, contact: &str) -> Result<Duration> {
    let started = Instant::now();
    eventually(&format!("{contact} imported by its webhook"), WITHIN, || async {
        let ids = imported(app, import).await?;
        Ok(if ids.iter().any(|i| i == contact) { Polled::Ready(()) } else { Polled::Waiting(format!("{ids:?}")) })
    })
    .await?;
    let took = started.elapsed();
    let mut c = db.store.db().await?;
    let ws = hiresync_core::WorkspaceId::from_stored(workspace.to_owned());
    let enrolled = hiresync_store::events::enrollment(&mut c, &ws, contact, "seq-1").await?;
    ensure!(enrolled.is_some(), "{contact} is not enrolled in seq-1");
    Ok(took)
}

/// Waits until nothing runs and nothing waits but the imports' next runs (an hour away: the
/// tests bring them forward and wait for them by their run count).
async fn settled(store: &Store) -> Result<()> {
    eventually("nothing queued but the imports' runs", WITHIN, || async {
        let mut c = store.db().await?;
        let sql = "select count(*) from jobs where state = 'running' or (state = 'queued' and kind <> 'import_run_v1')";
        let (n,): (i64,) = hiresync_store::with_raw!(&mut c, |c| sqlx::query_as(sql).fetch_one(c).await)?;
        Ok(if n == 0 { Polled::Ready(()) } else { Polled::Waiting(format!("{n} jobs")) })
    })
    .await
}

/// How many contacts the store holds (all workspaces).
async fn contact_count(store: &Store) -> Result<i64> {
    let mut c = store.db().await?;
    let (n,): (i64,) =
        hiresync_store::with_raw!(&mut c, |c| sqlx::query_as("select count(*) from contacts").fetch_one(c).await)?;
    Ok(n)
}

/// How many deliveries a connection has recorded.
async fn recorded(store: &Store, conn: &str) -> Result<i64> {
    let mut c = store.db().await?;
    Ok(hiresync_store::webhooks::count(&mut c, conn).await?)
}

/// Waits for the simulator's deliveries to reach `n`, all answered; returns them.
async fn delivered(core: &hiresync_sim::SimCore, n: usize) -> Result<Vec<hiresync_sim::Delivery>> {
    eventually(&format!("{n} deliveries answered"), WITHIN, || async {
        let d = core.webhooks().deliveries();
        let answered = d.iter().filter(|x| x.status.is_some()).count();
        Ok(if d.len() >= n && answered == d.len() { Polled::Ready(d) } else { Polled::Waiting(format!("{d:?}")) })
    })
    .await
}

/// Gives a connection its webhook secret the documented way: the credentials, patched.
async fn set_webhook_secret(app: &TestApp, conn: &str, mut credentials: Value, secret: &str) -> Result<()> {
    credentials["webhook_secret"] = json!(secret);
    app.expect("PATCH", &format!("/v1/connections/{conn}"), Some(&json!({"credentials": credentials})), 200).await?;
    Ok(())
}

fn greenhouse_credentials(user: i64) -> Value {
    json!({"client_id": "client-1", "client_secret": "secret-1", "user_id": user})
}

/// A candidate on `job` who arrived without a webhook (before the import, or unseen).
fn quietly_on_job(sim: &GreenhouseSim, job: i64, name: &str) -> i64 {
    let id = sim.app().add_candidate(name, "Quiet", &format!("{name}@example.com"));
    sim.app().add_application(id, job).unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_candidate_added_to_an_imported_greenhouse_job_is_in_the_sequence_within_a_minute_once() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        let user = s.sim.state().users.keys().next().copied().unwrap();
        let job = s.sim.app().add_job("Backend", &["New", "Screen"]);
        quietly_on_job(&s.sim, job.id, "ada");
        let url = format!("{}/v1/webhooks/greenhouse/{conn}", app.url);
        s.sim.core().webhooks().register(WebhookEndpoint { url: url.clone(), secret: "gh-hook".into() });

        // Without a secret on the connection nothing can be verified: 401, and nothing stored.
        s.sim
            .app()
            .recruiter_adds_to_job(s.sim.app().add_candidate("Early", "Bird", "early@example.com"), job.id)
            .unwrap();
        let refused = delivered(s.sim.core(), 1).await.unwrap();
        assert_eq!(refused[0].status, Some(401), "{}: {refused:?}", db.backend);
        let (status, answer, _) = post_raw(&url, &refused[0].body, &refused[0].headers).await.unwrap();
        assert!(answer["detail"].as_str().unwrap().contains("webhook_secret"), "{status}: {answer}");
        assert_eq!(recorded(&db.store, conn).await.unwrap(), 0);

        set_webhook_secret(app, conn, greenhouse_credentials(user), "gh-hook").await.unwrap();
        let import =
            recurring_import(app, conn, &json!({"job_id": job.id, "stage_id": job.stage_ids[0]})).await.unwrap();
        let before = imported(app, &import).await.unwrap();
        assert_eq!(before.len(), 2, "ada and the early bird, read by the first run: {before:?}");

        // A recruiter adds Nia to the job; Greenhouse's signed web hook brings her in at once.
        let nia = s.sim.app().add_candidate("Nia", "New", "nia@example.com");
        s.sim.core().clear_requests();
        s.sim.app().recruiter_adds_to_job(nia, job.id).unwrap();
        let contact = format!("greenhouse-{nia}");
        let took = arrives(app, &db, &s.workspace_id, &import, &contact).await.unwrap();
        assert!(took < WITHIN, "{}: {took:?}", db.backend);
        let deliveries = delivered(s.sim.core(), 2).await.unwrap();
        let hook = deliveries.last().unwrap().clone();
        assert_eq!(hook.status, Some(200), "{hook:?}");
        assert!(hook.headers.iter().any(|(k, v)| k == "Signature" && v.starts_with("sha256 ")), "{hook:?}");
        let sync = app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await.unwrap();
        assert_eq!((&sync[0]["state"], &sync[0]["person_id"]), (&json!("synced"), &json!(nia.to_string())));
        // The person was read again from Greenhouse; nothing was written there.
        assert!(!s.sim.core().requests_to("GET", "/v3/candidates").is_empty());
        let writes = s.sim.core().requests().into_iter().filter(|r| r.method != "GET" && r.path != "/token").count();
        assert_eq!(writes, 0, "an import writes nothing to Greenhouse");

        // A replay is recognised: 200, nothing queued, no second contact.
        let contacts = contact_count(&db.store).await.unwrap();
        let (status, answer, _) = post_raw(&url, &hook.body, &hook.headers).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool(), answer["jobs"].as_u64()), (200, Some(true), Some(0)));
        // A forgery (the body changed under the same signature, or signed with another key) is a
        // 401 problem and stores nothing, even for someone really on the job.
        let quiet = quietly_on_job(&s.sim, job.id, "quinn");
        let forged = hook.body.replace(&nia.to_string(), &quiet.to_string());
        let wrong_key = hiresync_sim::greenhouse::sign(forged.as_bytes(), "guess");
        let keep: Vec<(String, String)> = hook.headers.iter().filter(|(k, _)| k != "Signature").cloned().collect();
        for headers in [hook.headers.clone(), [keep.clone(), wrong_key].concat(), keep.clone()] {
            let (status, answer, content_type) = post_raw(&url, &forged, &headers).await.unwrap();
            assert_eq!((status, content_type.as_str()), (401, "application/problem+json"), "{answer}");
            assert_eq!(answer["type"], "https://hiresync.dev/problems/bad-signature");
        }
        // Signed, but not a Greenhouse event: named as the body at fault.
        let junk = "[1, 2, 3]";
        let (status, answer, _) =
            post_raw(&url, junk, &[keep.clone(), hiresync_sim::greenhouse::sign(junk.as_bytes(), "gh-hook")].concat())
                .await
                .unwrap();
        assert_eq!((status, answer["errors"][0]["field"].as_str()), (422, Some("body")), "{answer}");
        settled(&db.store).await.unwrap();
        assert_eq!(contact_count(&db.store).await.unwrap(), contacts, "{}", db.backend);
        assert_eq!(recorded(&db.store, conn).await.unwrap(), 1, "only the genuine delivery is recorded");
        assert!(!imported(app, &import).await.unwrap().contains(&format!("greenhouse-{quiet}")));

        // The hour passes: the run finds Nia seen before, and imports only the one no webhook told of.
        run_import_now(&db.store, &import).await.unwrap();
        let second = app.get_until(&format!("/v1/imports/{import}"), |b| b["runs"] == 2).await.unwrap();
        assert_eq!(second["imported"], 4, "ada, the early bird, nia and quinn, each once: {second}");
        let after = imported(app, &import).await.unwrap();
        assert_eq!(after.iter().filter(|c| **c == contact).count(), 1, "{after:?}");
        assert_eq!(contact_count(&db.store).await.unwrap(), contacts + 1, "{}: only quinn is new", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_tenants_and_other_providers_connections_take_no_greenhouse_delivery() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        let user = s.sim.state().users.keys().next().copied().unwrap();
        set_webhook_secret(app, conn, greenhouse_credentials(user), "gh-hook").await.unwrap();
        let job = s.sim.app().add_job("Backend", &["New"]);
        let import =
            recurring_import(app, conn, &json!({"job_id": job.id, "stage_id": job.stage_ids[0]})).await.unwrap();

        // A hostile tenant connects the same Greenhouse with its own secret and learns our id.
        let other = create_workspace(BIN, &db.url, "Hostile", "owner@hostile.io").await.unwrap();
        let hostile = TestApp::new(&app.url, other["token"].as_str().unwrap());
        let mut theirs = sims::greenhouse_connection(&s.sim, user);
        theirs["credentials"]["webhook_secret"] = json!("their-secret");
        let their_conn = hostile.connect(&theirs).await.unwrap();
        let victim = s.sim.app().add_candidate("Vic", "Tim", "vic@example.com");
        s.sim.app().add_application(victim, job.id).unwrap();
        let body = json!({"action": "new_candidate_application", "payload": {"application": {
            "id": 1, "candidate": {"id": victim}, "jobs": [{"id": job.id}]}}})
        .to_string();
        let signed = hiresync_sim::greenhouse::sign(body.as_bytes(), "their-secret");
        let ours = format!("{}/v1/webhooks/greenhouse/{conn}", app.url);
        let (status, _, _) = post_raw(&ours, &body, &signed).await.unwrap();
        assert_eq!(status, 401, "{}: their key does not sign for our connection", db.backend);
        // Their own connection takes it, and reaches none of our imports.
        let (status, answer, _) =
            post_raw(&format!("{}/v1/webhooks/greenhouse/{their_conn}", app.url), &body, &signed).await.unwrap();
        assert_eq!((status, answer["jobs"].as_u64()), (200, Some(0)), "{answer}");
        // A connection of another provider, an unknown one and a deleted one are not found.
        for path in [
            format!("/v1/webhooks/teamtailor/{their_conn}"),
            format!("/v1/webhooks/clockwork/{conn}?token=gh-hook"),
            "/v1/webhooks/greenhouse/conn_01nothere".to_owned(),
        ] {
            let (status, _, content_type) = post_raw(&format!("{}{path}", app.url), &body, &signed).await.unwrap();
            assert_eq!((status, content_type.as_str()), (404, "application/problem+json"), "{path}");
        }
        let (status, _) = hostile.send("DELETE", &format!("/v1/connections/{their_conn}"), None).await.unwrap();
        assert_eq!(status, 204);
        let (status, _, _) =
            post_raw(&format!("{}/v1/webhooks/greenhouse/{their_conn}", app.url), &body, &signed).await.unwrap();
        assert_eq!(status, 404, "{}: a deleted connection takes nothing", db.backend);
        settled(&db.store).await.unwrap();
        assert!(imported(app, &import).await.unwrap().is_empty(), "{}", db.backend);
        assert_eq!(recorded(&db.store, conn).await.unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_candidate_added_to_an_imported_teamtailor_job_is_in_the_sequence_within_a_minute_once() {
    for db in databases().await.unwrap() {
        let s = harness(&db).teamtailor().await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        set_webhook_secret(app, conn, json!({"api_key": "tt-key", "region": "eu"}), "tt-hook").await.unwrap();
        let ada = s.sim.app().add_candidate("Ada", "Lovelace", "ada@example.com");
        s.sim.app().add_application(ada, s.job.id).unwrap();
        let target = json!({"job_id": s.job.id.to_string(), "stage_id": s.job.stage_ids[0].to_string()});
        let import = recurring_import(app, conn, &target).await.unwrap();
        assert_eq!(imported(app, &import).await.unwrap(), [format!("teamtailor-{ada}")]);
        let url = format!("{}/v1/webhooks/teamtailor/{conn}", app.url);
        s.sim.core().webhooks().register(WebhookEndpoint { url: url.clone(), secret: "tt-hook".into() });

        // The job application's webhook names no candidate: it is read back from Teamtailor.
        let nia = s.sim.app().add_candidate("Nia", "New", "nia@example.com");
        s.sim.app().recruiter_adds_to_job(nia, s.job.id).unwrap();
        let contact = format!("teamtailor-{nia}");
        let ws = workspace_of(&db, conn).await.unwrap();
        let took = arrives(app, &db, &ws, &import, &contact).await.unwrap();
        assert!(took < WITHIN, "{}: {took:?}", db.backend);
        let hook = delivered(s.sim.core(), 1).await.unwrap()[0].clone();
        assert_eq!(hook.status, Some(200), "{hook:?}");
        assert!(hook.body.contains("job_application.create"), "{}", hook.body);
        assert!(!s.sim.core().requests_to("GET", "/v1/job-applications").is_empty(), "the placement was read");

        // A replay changes nothing; a tampered body or another key is a 401 and stores nothing.
        let contacts = contact_count(&db.store).await.unwrap();
        let (status, answer, _) = post_raw(&url, &hook.body, &hook.headers).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool(), answer["jobs"].as_u64()), (200, Some(true), Some(0)));
        let quiet = s.sim.app().add_candidate("Quinn", "Quiet", "quinn@example.com");
        let quiet_application = s.sim.app().add_application(quiet, s.job.id).unwrap();
        let application = serde_json::from_str::<Value>(&hook.body).unwrap()["payload"]["data"]["id"].clone();
        let forged = hook.body.replace(&format!("\"id\":{application}"), &format!("\"id\":\"{quiet_application}\""));
        let payload = serde_json::from_str::<Value>(&forged).unwrap()["payload"].to_string();
        let wrong_key = hiresync_sim::teamtailor::sign(&payload, "guess", chrono::Utc::now().timestamp());
        for signature in [hook.headers.iter().find(|(k, _)| k == "TT-Signature").unwrap().1.clone(), wrong_key] {
            let resent = format!(r#"{{"payload":{payload}}}"#);
            let headers = [("TT-Signature".to_owned(), signature)];
            let (status, answer, _) = post_raw(&url, &resent, &headers).await.unwrap();
            assert_eq!(status, 401, "{answer}");
        }
        settled(&db.store).await.unwrap();
        assert_eq!(contact_count(&db.store).await.unwrap(), contacts, "{}", db.backend);
        assert_eq!(recorded(&db.store, conn).await.unwrap(), 1);

        // The hourly run: Nia once, Quinn (no webhook told of her) now.
        run_import_now(&db.store, &import).await.unwrap();
        let second = app.get_until(&format!("/v1/imports/{import}"), |b| b["runs"] == 2).await.unwrap();
        assert_eq!(second["imported"], 3, "{second}");
        assert_eq!(contact_count(&db.store).await.unwrap(), contacts + 1, "{}", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_added_to_an_imported_clockwork_project_is_in_the_sequence_within_a_minute_once() {
    for db in databases().await.unwrap() {
        let s = harness(&db).clockwork().await.unwrap();
        let (app, conn) = (&s.app, s.connection_id.as_str());
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "CFO"})), 201).await.unwrap();
        let credentials = sims::clockwork_credentials(&s.sim, "cw-key", "cw-secret");
        set_webhook_secret(app, conn, credentials, "cw-hook").await.unwrap();
        let project = s.projects[0].clone();
        let ada = s.sim.app().add_person("Ada Lovelace", "ada@example.com");
        s.sim.app().add_candidacy(&ada, &project, None).unwrap();
        let import =
            recurring_import(app, conn, &json!({"project_id": project, "status_id": s.statuses[0]})).await.unwrap();
        // Clockwork signs nothing: the hook URL carries the connection's secret.
        let url = format!("{}/v1/webhooks/clockwork/{conn}", app.url);
        s.sim
            .core()
            .webhooks()
            .register(WebhookEndpoint { url: format!("{url}?token=cw-hook"), secret: String::new() });

        let nia = s.sim.app().add_person("Nia New", "nia@example.com");
        s.sim.app().recruiter_adds_to_project(&nia, &project).unwrap();
        let contact = format!("clockwork-{nia}");
        let ws = workspace_of(&db, conn).await.unwrap();
        let took = arrives(app, &db, &ws, &import, &contact).await.unwrap();
        assert!(took < WITHIN, "{}: {took:?}", db.backend);
        let hook = delivered(s.sim.core(), 1).await.unwrap()[0].clone();
        assert_eq!(hook.status, Some(200), "{hook:?}");

        let contacts = contact_count(&db.store).await.unwrap();
        let (status, answer, _) = post_raw(&hook.url, &hook.body, &[]).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool(), answer["jobs"].as_u64()), (200, Some(true), Some(0)));
        for wrong in [url.clone(), format!("{url}?token=guess"), format!("{url}?token=")] {
            let (status, answer, _) = post_raw(&wrong, &hook.body, &[]).await.unwrap();
            assert_eq!(status, 401, "{wrong}: {answer}");
        }
        settled(&db.store).await.unwrap();
        assert_eq!(contact_count(&db.store).await.unwrap(), contacts, "{}", db.backend);
        assert_eq!(recorded(&db.store, conn).await.unwrap(), 1);

        run_import_now(&db.store, &import).await.unwrap();
        let second = app.get_until(&format!("/v1/imports/{import}"), |b| b["runs"] == 2).await.unwrap();
        assert_eq!(second["imported"], 2, "{second}");
        assert_eq!(contact_count(&db.store).await.unwrap(), contacts, "{}: nobody twice", db.backend);
    }
}

/// The workspace a connection belongs to, from the store.
async fn workspace_of(db: &TestDb, conn: &str) -> Result<String> {
    let mut c = db.store.db().await?;
    Ok(hiresync_store::connections::find(&mut c, conn).await?.workspace_id.as_str().to_owned())
}
