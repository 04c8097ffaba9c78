//! Contracts both ways between Teamtailor and Oneflow (SPEC B1-B4), against
//! both simulators: prefilled creation, participants' edits reaching the
//! candidate, the signed file attached once, recruiters' edits reaching the
//! open contract, and no echo, replay or forgery writing anything.

use crate::support::{BIN, harness};
use crate::webhooks_out::{Receiver, Reply, verify};
use anyhow::{Result, ensure};
use hiresync_sim::WebhookEndpoint;
use hiresync_sim::oneflow::{OneflowSim, SeededTemplate};
use hiresync_sim::teamtailor::{SeededField, TeamtailorSim};
use hiresync_testkit::sims::{self, unthrottled};
use hiresync_testkit::{
    Polled, Started, TestApp, TestDb, TestServer, create_workspace, databases, eventually, wait_idle,
};
use serde_json::{Value, json};
use std::time::Duration;

pub const LIMIT: Duration = Duration::from_secs(60);

/// A workspace connected to both simulators, contracts mapped, webhooks pointed at the server.
pub struct World {
    _server: TestServer,
    pub app: TestApp,
    pub tt: TeamtailorSim,
    pub of: OneflowSim,
    pub tt_conn: String,
    pub of_conn: String,
    pub candidate: i64,
    salary: SeededField,
    pub title: SeededField,
    level: SeededField,
    pub template: SeededTemplate,
    /// `HIRESYNC_PUBLIC_URL`, when the server has one.
    pub public_url: Option<String>,
    /// The Oneflow connection as created.
    pub of_created: Value,
}

async fn world(db: &TestDb) -> Result<World> {
    world_with(db, false).await
}

/// The world; with `public`, the server has a public URL (a gateway in front of it) and
/// registers Oneflow's webhook itself.
pub async fn world_with(db: &TestDb, public: bool) -> Result<World> {
    let gateway = if public { Some(crate::smartsync::Gateway::start().await?) } else { None };
    let mut h = harness(db);
    if let Some(g) = &gateway {
        h = h.env(&[("HIRESYNC_PUBLIC_URL", &g.url)]);
    }
    let Started { server, app, .. } = h.start().await?;
    if let Some(g) = &gateway {
        g.point_at(&app.url);
    }

    let tt = sims::teamtailor().await?;
    let salary = tt.app().add_custom_field("salary", "Salary", "CustomField::Text", &[]);
    let title = tt.app().add_custom_field("job-title", "Job title", "CustomField::Text", &[]);
    let level = tt.app().add_custom_field("level", "Level", "CustomField::Select", &["Junior", "Senior"]);
    let candidate = tt.app().add_candidate("Ada", "Lovelace", "ada@example.com");
    tt.app().set_custom_field_value(candidate, salary.id, &json!("5000")).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    tt.app()
        .set_custom_field_value(candidate, level.id, &json!(level.option_ids[1].to_string()))
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;

    let of = sims::oneflow().await?;
    of.app().add_user("Rita Recruiter", "rita@acme.io");
    let workspace = of.app().add_workspace("Recruiting");
    let template = of.app().add_template(
        workspace,
        "Offer letter",
        &[("salary_sek", "Salary"), ("job_title", "Job title"), ("level", "Level"), ("start_date", "Start date")],
    );
    of.app().set_retry_delays(vec![Duration::from_millis(100); 3]);

    let tt_conn = app
        .connect(&json!({"provider": "teamtailor", "base_url": tt.base_url(), "rate_limit": unthrottled(),
            "credentials": {"api_key": "tt-key", "webhook_secret": "tt-secret"}}))
        .await?;
    let of_created = app
        .expect(
            "POST",
            "/v1/connections",
            Some(&json!({"provider": "oneflow", "base_url": of.base_url(),
            "rate_limit": unthrottled(),
            "credentials": {"api_token": "of-token", "user_email": "rita@acme.io", "webhook_secret": "of-secret"}})),
            201,
        )
        .await?;
    let of_conn = of_created["id"].as_str().unwrap_or_default().to_owned();
    let settings = json!({"teamtailor_connection_id": tt_conn, "field_map": [
        {"teamtailor_custom_field": "salary", "oneflow_data_field": "salary_sek"},
        {"teamtailor_custom_field": "job-title", "oneflow_data_field": "job_title"},
        {"teamtailor_custom_field": "level", "oneflow_data_field": "level"}]});
    let saved = app.expect("PUT", &format!("/v1/connections/{of_conn}/settings"), Some(&settings), 200).await?;
    ensure!(saved["field_map"] == settings["field_map"], "settings show the contract mapping: {saved}");

    if gateway.is_none() {
        of.core().webhooks().register(WebhookEndpoint {
            url: format!("{}/v1/webhooks/oneflow/{of_conn}", app.url),
            secret: "of-secret".into(),
        });
    }
    tt.core().webhooks().register(WebhookEndpoint {
        url: format!("{}/v1/webhooks/teamtailor/{tt_conn}", app.url),
        secret: "tt-secret".into(),
    });
    let public_url = gateway.map(|g| g.url);
    Ok(World {
        _server: server,
        app,
        tt,
        of,
        tt_conn,
        of_conn,
        candidate,
        salary,
        title,
        level,
        template,
        public_url,
        of_created,
    })
}

impl World {
    pub async fn create_contract(&self) -> Result<Value> {
        let body = json!({"oneflow_connection_id": self.of_conn, "candidate": self.candidate.to_string(),
            "template_id": self.template.template_id, "workspace_id": self.template.workspace_id,
            "name": "Offer for Ada"});
        self.app.expect("POST", "/v1/contracts", Some(&body), 201).await
    }

    /// A data field's value in the Oneflow simulator.
    pub fn of_value(&self, contract: i64, custom_id: &str) -> String {
        let state = self.of.state();
        let field = state.contracts[&contract].data_fields.iter().find(|f| f.custom_id == custom_id).cloned();
        field.map(|f| f.value).unwrap_or_default()
    }

    /// The candidate's value of a custom field in the Teamtailor simulator.
    pub fn tt_value(&self, field: &SeededField) -> Option<Value> {
        let state = self.tt.state();
        let found = state
            .custom_field_values
            .values()
            .find(|v| v.custom_field_id == field.id && v.candidate_id == self.candidate);
        found.map(|v| v.value.clone())
    }

    /// Writes to Teamtailor's custom field values (ours: recruiters' edits do not go over HTTP).
    pub fn tt_field_writes(&self) -> (usize, usize) {
        let core = self.tt.core();
        (
            core.requests_to("POST", "/v1/custom-field-values").len(),
            core.requests_to("PATCH", "/v1/custom-field-values").len(),
        )
    }

    /// Writes to Oneflow data fields (ours: participants' edits do not go over HTTP).
    fn of_field_writes(&self) -> usize {
        self.of.core().requests().iter().filter(|r| r.method == "PUT" && r.path.contains("/data_fields")).count()
    }

    /// Waits until `of` and then `tt` deliveries have been answered, and the queue has drained after each.
    async fn drain(&self, db: &TestDb, of: usize, tt: usize) -> Result<()> {
        answered(self.of.core(), of).await?;
        wait_idle(&db.store, LIMIT).await?;
        answered(self.tt.core(), tt).await?;
        wait_idle(&db.store, LIMIT).await?;
        Ok(())
    }

    /// The counterparty joins, the contract is published, and everyone signs.
    pub async fn publish_and_sign(&self, contract: i64) -> Result<()> {
        self.of
            .app()
            .add_counterparty(contract, "Ada Lovelace", "ada@example.com")
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let response = reqwest::Client::new()
            .post(format!("{}/v1/contracts/{contract}/publish", self.of.base_url()))
            .header("x-oneflow-api-token", "of-token")
            .header("x-oneflow-user-email", "rita@acme.io")
            .json(&json!({"subject": "Your offer", "message": "Please sign"}))
            .send()
            .await?;
        ensure!(response.status() == 200, "publish: {}", response.status());
        self.of.app().sign_all(contract).map_err(|e| anyhow::anyhow!("{e:?}"))
    }
}

/// Polls until the simulator has made at least `n` webhook deliveries and each got an answer.
pub async fn answered(core: &hiresync_sim::SimCore, n: usize) -> Result<()> {
    let d = eventually(&format!("{n} deliveries answered"), LIMIT, || async {
        let d = core.webhooks().deliveries();
        let answered = d.iter().filter(|x| x.status.is_some()).count();
        Ok(if d.len() >= n && answered == d.len() {
            Polled::Ready(d)
        } else {
            Polled::Waiting(format!("{answered} of {} answered", d.len()))
        })
    })
    .await?;
    ensure!(d.iter().all(|x| x.status == Some(200)), "a delivery was refused: {d:?}");
    Ok(())
}

/// Posts a raw webhook body with extra headers; returns the status and the JSON answer.
async fn post_raw(url: &str, body: &str, headers: &[(&str, &str)]) -> Result<(u16, Value, String)> {
    let mut request = reqwest::Client::new().post(url).header("content-type", "application/json").body(body.to_owned());
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null), content_type))
}

fn notification(contract: i64, callback_id: &str, secret: &str, event: &str) -> String {
    json!({"contract": {"id": contract}, "callback_id": callback_id,
        "events": [{"id": 1, "type": event, "created_time": "2026-11-22T10:00:00+0000"}],
        "signature": hiresync_sim::oneflow::sign(callback_id, secret)})
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contract_is_created_prefilled_from_the_candidates_custom_fields() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let created = w.create_contract().await.unwrap();
        let contract = created["contract_id"].as_i64().unwrap();
        assert_eq!(created["prefilled"], json!({"salary_sek": "5000", "level": "Senior"}), "{}", db.backend);
        assert!(created["id"].as_str().unwrap().starts_with("ctr_"));
        assert!(created["url"].as_str().unwrap().ends_with(&format!("/contracts/{contract}")));

        // Oneflow holds it, prefilled; the empty custom field and the unmapped data field are left empty.
        let state = w.of.state();
        let c = &state.contracts[&contract];
        assert_eq!(
            (c.name.as_str(), c.workspace_id, c.template_id),
            ("Offer for Ada", w.template.workspace_id, w.template.template_id)
        );
        assert_eq!(w.of_value(contract, "salary_sek"), "5000");
        assert_eq!(w.of_value(contract, "level"), "Senior", "a select is filled with its label");
        assert_eq!(w.of_value(contract, "job_title"), "");
        assert_eq!(w.of_value(contract, "start_date"), "");
        assert_eq!(w.of.core().requests_to("POST", "/v1/contracts/create").len(), 1);

        let shown = w
            .app
            .expect("GET", &format!("/v1/contracts/{}", created["id"].as_str().unwrap()), None, 200)
            .await
            .unwrap();
        assert_eq!(shown["candidate"], w.candidate.to_string());
        assert_eq!(shown["values"], json!({"salary_sek": "5000", "job_title": "", "level": "Senior"}));
        assert_eq!((shown["file_attached"].as_bool(), shown["state"].as_str()), (Some(false), Some("draft")));
        assert_eq!(w.app.send("GET", "/v1/contracts/ctr_01nothere", None).await.unwrap().0, 404);

        // Another workspace neither sees the contract nor creates one through this connection.
        let other = create_workspace(BIN, &db.url, "Other", "owner@other.io").await.unwrap();
        let intruder = TestApp::new(&w.app.url, other["token"].as_str().unwrap());
        let (status, body) =
            intruder.send("GET", &format!("/v1/contracts/{}", created["id"].as_str().unwrap()), None).await.unwrap();
        assert_eq!(status, 404);
        assert!(!body.to_string().contains(&w.of_conn), "no data of the other workspace");
        let body = json!({"oneflow_connection_id": w.of_conn, "candidate": w.candidate,
            "template_id": w.template.template_id, "workspace_id": w.template.workspace_id});
        let (status, body) = intruder.send("POST", "/v1/contracts", Some(&body)).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("oneflow_connection_id")));
        assert_eq!(w.of.core().requests_to("POST", "/v1/contracts/create").len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn participant_edits_reach_teamtailor_and_the_signed_file_is_attached_once() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let hook = Receiver::start(&[], Reply::Status(200)).await.unwrap();
        let events = ["contract.field_changed", "contract.signed"];
        let (_, secret) = crate::webhooks_out::register(&w.app, &hook.url, &events).await.unwrap();
        let created = w.create_contract().await.unwrap();
        let (id, contract) = (created["id"].as_str().unwrap().to_owned(), created["contract_id"].as_i64().unwrap());
        assert_eq!(w.tt_value(&w.title), None);

        // An empty custom field is created in Teamtailor...
        w.of.app().participant_sets_field(contract, "job_title", "Staff Engineer").unwrap();
        w.drain(&db, 1, 1).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Staff Engineer")), "{}", db.backend);
        assert_eq!(w.tt_field_writes(), (1, 0));
        // ...a filled one is updated, and a select takes the option the label names.
        w.of.app().participant_sets_field(contract, "salary_sek", "6000").unwrap();
        w.drain(&db, 2, 2).await.unwrap();
        w.of.app().participant_sets_field(contract, "level", "Junior").unwrap();
        w.drain(&db, 3, 3).await.unwrap();
        assert_eq!(w.tt_value(&w.salary), Some(json!("6000")));
        assert_eq!(w.tt_value(&w.level), Some(json!(w.level.option_ids[0].to_string())));
        assert_eq!(w.tt_field_writes(), (1, 2));
        // Teamtailor's candidate.update after each of our writes carried our own value: nothing went back.
        assert_eq!(w.tt.core().webhooks().deliveries().len(), 3);
        assert_eq!(w.of_field_writes(), 0, "our writes must not echo back to Oneflow");

        w.publish_and_sign(contract).await.unwrap();
        w.drain(&db, 5, 3).await.unwrap();
        let uploads: Vec<_> = w.tt.state().uploads.into_values().filter(|u| u.candidate_id == w.candidate).collect();
        assert_eq!(uploads.len(), 1, "{uploads:?}");
        assert_eq!(uploads[0].file_name, "Offer for Ada (signed).pdf");
        assert!(uploads[0].url.ends_with(&format!("/_sim/files/{contract}/1")), "{}", uploads[0].url);
        let shown = w.app.expect("GET", &format!("/v1/contracts/{id}"), None, 200).await.unwrap();
        assert_eq!((shown["file_attached"].as_bool(), shown["state"].as_str()), (Some(true), Some("signed")));

        // The outreach app heard of each field the participant changed, and of the signature, signed.
        let signed = hook.taken("contract.signed", LIMIT).await.unwrap();
        verify(&secret, &signed);
        assert_eq!(
            (signed.json()["data"]["contract_id"].as_str(), signed.json()["data"]["oneflow_contract_id"].as_i64()),
            (Some(id.as_str()), Some(contract)),
            "{}",
            signed.body
        );
        let changed: Vec<Value> = hook.of("contract.field_changed").iter().map(|g| g.json()["data"].clone()).collect();
        let title = changed.iter().find(|d| d["field"] == "job_title").unwrap_or_else(|| panic!("{changed:?}"));
        assert_eq!(title["oneflow_value"], "Staff Engineer", "{changed:?}");
        for field in ["salary_sek", "level"] {
            assert!(changed.iter().any(|d| d["field"] == field), "{field} in {changed:?}");
        }
        assert_eq!(shown["values"], json!({"salary_sek": "6000", "job_title": "Staff Engineer", "level": "Junior"}));

        // Oneflow retries and later notifications about the signed contract attach nothing more.
        let signed = w.of.core().webhooks().deliveries().last().unwrap().body.clone();
        let url = format!("{}/v1/webhooks/oneflow/{}", w.app.url, w.of_conn);
        let (status, answer, _) = post_raw(&url, &signed, &[]).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool()), (200, Some(true)));
        let later = notification(contract, &"f".repeat(40), "of-secret", "contract:sign");
        let (status, answer, _) = post_raw(&url, &later, &[]).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool(), answer["jobs"].as_u64()), (200, Some(false), Some(1)));
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt.core().requests_to("POST", "/v1/uploads").len(), 1);
        assert_eq!(w.tt_field_writes(), (1, 2));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_forged_and_late_webhooks_change_nothing() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let contract = w.create_contract().await.unwrap()["contract_id"].as_i64().unwrap();
        w.of.app().participant_sets_field(contract, "job_title", "Engineer").unwrap();
        w.drain(&db, 1, 1).await.unwrap();
        w.of.app().participant_sets_field(contract, "job_title", "Staff Engineer").unwrap();
        w.drain(&db, 2, 2).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Staff Engineer")), "{}", db.backend);
        let writes = w.tt_field_writes();
        assert_eq!(writes, (1, 1));
        let of_url = format!("{}/v1/webhooks/oneflow/{}", w.app.url, w.of_conn);
        let tt_url = format!("{}/v1/webhooks/teamtailor/{}", w.app.url, w.tt_conn);

        // A replay of the first notification is recognised by its callback id.
        let first = w.of.core().webhooks().deliveries()[0].body.clone();
        let (status, answer, _) = post_raw(&of_url, &first, &[]).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool(), answer["jobs"].as_u64()), (200, Some(true), Some(0)));
        // A late notification of the older edit, under a new callback id, is re-read, not applied.
        let late = notification(contract, &"a".repeat(40), "of-secret", "data_field:update");
        let (status, answer, _) = post_raw(&of_url, &late, &[]).await.unwrap();
        assert_eq!((status, answer["jobs"].as_u64()), (200, Some(1)));
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Staff Engineer")));
        let mut c = db.store.db().await.unwrap();
        let recorded = hiresync_store::webhooks::count(&mut c, &w.of_conn).await.unwrap();
        assert_eq!(recorded, 3, "two notifications and the late one; the replay is not recorded again");
        drop(c);

        // Forgeries: a tampered signature, another key, no signature, a tampered Teamtailor body.
        let tampered = first.replace("\"signature\":\"", "\"signature\":\"0");
        let other_key = notification(contract, &"b".repeat(40), "not-the-secret", "data_field:update");
        let unsigned = json!({"contract": {"id": contract}, "callback_id": "c".repeat(40), "events": []}).to_string();
        for body in [&tampered, &other_key, &unsigned] {
            let (status, answer, content_type) = post_raw(&of_url, body, &[]).await.unwrap();
            assert_eq!(status, 401, "{answer}");
            assert_eq!(content_type, "application/problem+json");
            assert_eq!(answer["type"], "https://hiresync.dev/problems/bad-signature");
        }
        let echo = w.tt.core().webhooks().deliveries()[0].clone();
        let signature = echo.headers.iter().find(|(k, _)| k == "TT-Signature").map(|(_, v)| v.clone()).unwrap();
        let forged = echo.body.replace("Lovelace", "Byron");
        let (status, _, _) = post_raw(&tt_url, &forged, &[("TT-Signature", &signature)]).await.unwrap();
        assert_eq!(status, 401);
        let wrong_key = hiresync_sim::teamtailor::sign(r#"{"event_name":"candidate.update"}"#, "guess", 1);
        let (status, _, _) = post_raw(&tt_url, &echo.body, &[("TT-Signature", &wrong_key)]).await.unwrap();
        assert_eq!(status, 401);
        // Unknown connections, and a connection of the other provider, are not found.
        let (status, _, content_type) =
            post_raw(&format!("{}/v1/webhooks/oneflow/conn_01nothere", w.app.url), &first, &[]).await.unwrap();
        assert_eq!((status, content_type.as_str()), (404, "application/problem+json"));
        let (status, _, _) =
            post_raw(&format!("{}/v1/webhooks/oneflow/{}", w.app.url, w.tt_conn), &first, &[]).await.unwrap();
        assert_eq!(status, 404);

        // A replayed Teamtailor delivery is reported as such and writes nothing anywhere.
        let (status, answer, _) = post_raw(&tt_url, &echo.body, &[("TT-Signature", &signature)]).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool()), (200, Some(true)));
        // Padding a captured delivery does not make it new; a signature an hour old, or a v1 one
        // (which signs only the id), is refused.
        let padded = format!("{}\n\n   ", echo.body.replacen('{', "{ \"padding\": [0, 0, 0], ", 1));
        let (status, answer, _) = post_raw(&tt_url, &padded, &[("TT-Signature", &signature)]).await.unwrap();
        assert_eq!((status, answer["duplicate"].as_bool()), (200, Some(true)), "{answer}");
        let payload = serde_json::from_str::<Value>(&echo.body).unwrap()["payload"].to_string();
        let an_hour_ago = chrono::Utc::now().timestamp() - 3600;
        let stale = hiresync_sim::teamtailor::sign(&payload, "tt-secret", an_hour_ago);
        let resent = format!(r#"{{"payload":{payload}}}"#);
        let (status, answer, _) = post_raw(&tt_url, &resent, &[("TT-Signature", &stale)]).await.unwrap();
        assert_eq!(status, 401, "{answer}");
        let id = serde_json::from_str::<Value>(&payload).unwrap()["data"]["id"].to_string().replace('"', "");
        let v1 = hiresync_providers::teamtailor::webhook::sign_v1(b"tt-secret", &id);
        let (status, answer, _) = post_raw(&tt_url, &resent, &[("TT-Signature", &v1)]).await.unwrap();
        assert_eq!(status, 401, "v1 needs webhook_v1 in the credentials: {answer}");
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_field_writes(), writes, "no extra Teamtailor writes");
        assert_eq!(w.of_field_writes(), 0, "no Oneflow writes");
        assert_eq!(w.tt_value(&w.title), Some(json!("Staff Engineer")));
        assert_eq!(w.of_value(contract, "job_title"), "Staff Engineer");
        let mut c = db.store.db().await.unwrap();
        assert_eq!(hiresync_store::webhooks::count(&mut c, &w.of_conn).await.unwrap(), 3, "forgeries are not recorded");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recruiters_edit_updates_the_open_contract_and_does_not_echo() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let contract = w.create_contract().await.unwrap()["contract_id"].as_i64().unwrap();
        w.tt.app().recruiter_sets_custom_field(w.candidate, w.salary.id, &json!("7000")).unwrap();
        // Teamtailor's webhook, then Oneflow's notification of our own write.
        w.drain(&db, 0, 1).await.unwrap();
        w.drain(&db, 1, 1).await.unwrap();
        assert_eq!(w.of_value(contract, "salary_sek"), "7000", "{}", db.backend);
        assert_eq!(w.of_field_writes(), 1);
        assert_eq!(w.tt_field_writes(), (0, 0), "Oneflow's echo of our write must not come back to Teamtailor");

        // Once signed, the contract no longer follows the candidate.
        w.publish_and_sign(contract).await.unwrap();
        w.drain(&db, 3, 1).await.unwrap();
        w.tt.app().recruiter_sets_custom_field(w.candidate, w.salary.id, &json!("8000")).unwrap();
        w.drain(&db, 3, 2).await.unwrap();
        assert_eq!(w.of_value(contract, "salary_sek"), "7000");
        assert_eq!(w.of_field_writes(), 1);
        assert_eq!(w.tt.core().requests_to("POST", "/v1/uploads").len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contract_requests_and_oneflow_settings_name_the_field_at_fault() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let field = |body: &Value| body["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
        let (status, body) = w.app.send("POST", "/v1/contracts", Some(&json!({}))).await.unwrap();
        assert_eq!(status, 422, "{}", db.backend);
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["oneflow_connection_id", "candidate", "template_id", "workspace_id"]);

        let valid = json!({"oneflow_connection_id": w.of_conn, "candidate": w.candidate,
            "template_id": w.template.template_id, "workspace_id": w.template.workspace_id});
        let with = |k: &str, v: Value| {
            let mut b = valid.clone();
            b[k] = v;
            b
        };
        for (body, expected) in [
            (with("oneflow_connection_id", json!(w.tt_conn)), "oneflow_connection_id"),
            (with("oneflow_connection_id", json!("conn_01nothere")), "oneflow_connection_id"),
            (with("candidate", json!("../jobs")), "candidate"),
            (with("candidate", json!("999999")), "candidate"),
            (with("template_id", json!(999_999)), "template_id"),
            (with("workspace_id", json!(-3)), "workspace_id"),
            (with("workspace_id", json!(999_999)), "workspace_id"),
            (with("name", json!(7)), "name"),
        ] {
            let (status, answer) = w.app.send("POST", "/v1/contracts", Some(&body)).await.unwrap();
            assert_eq!((status.as_u16(), field(&answer)), (422, expected.to_owned()), "{body}: {answer}");
        }
        assert!(w.of.core().requests_to("POST", "/v1/contracts/create").is_empty(), "nothing was created");

        let settings = format!("/v1/connections/{}/settings", w.of_conn);
        for (body, expected) in [
            (json!({"field_map": [{"teamtailor_custom_field": "salary"}]}), "field_map[0].oneflow_data_field"),
            (
                json!({"field_map": [{"teamtailor_custom_field": "", "oneflow_data_field": "x"}]}),
                "field_map[0].teamtailor_custom_field",
            ),
            (json!({"field_map": [{"source": "title", "targets": ["x"]}]}), "field_map[0].source"),
            (json!({"teamtailor_connection_id": w.of_conn}), "teamtailor_connection_id"),
            (json!({"teamtailor_connection_id": "conn_01nothere"}), "teamtailor_connection_id"),
        ] {
            let (status, answer) = w.app.send("PUT", &settings, Some(&body)).await.unwrap();
            assert_eq!((status.as_u16(), field(&answer)), (422, expected.to_owned()), "{body}: {answer}");
        }
        let (status, answer) = w
            .app
            .send(
                "PUT",
                &format!("/v1/connections/{}/settings", w.tt_conn),
                Some(&json!({"teamtailor_connection_id": w.tt_conn})),
            )
            .await
            .unwrap();
        assert_eq!((status.as_u16(), field(&answer)), (422, "teamtailor_connection_id".to_owned()));
        let kept = w.app.expect("GET", &settings, None, 200).await.unwrap();
        assert_eq!(kept["teamtailor_connection_id"], w.tt_conn, "refused settings change nothing");

        // An Oneflow connection without a Teamtailor link cannot create contracts.
        let bare = w
            .app
            .expect(
                "POST",
                "/v1/connections",
                Some(&json!({"provider": "oneflow", "base_url": w.of.base_url(),
                    "credentials": {"api_token": "of-token", "user_email": "rita@acme.io", "webhook_secret": "s"}})),
                201,
            )
            .await
            .unwrap();
        let (status, answer) = w
            .app
            .send("POST", "/v1/contracts", Some(&with("oneflow_connection_id", bare["id"].clone())))
            .await
            .unwrap();
        assert_eq!((status.as_u16(), field(&answer)), (422, "oneflow_connection_id".to_owned()), "{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_teamtailor_key_marks_the_teamtailor_connection_failing_not_oneflows() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let created = w.create_contract().await.unwrap();
        let contract = created["contract_id"].as_i64().unwrap();
        // The Teamtailor admin revokes the key; the next participant edit cannot be written there.
        w.tt.with_state(|s| s.api_keys.clear());
        w.of.app().participant_sets_field(contract, "job_title", "Staff Engineer").unwrap();
        answered(w.of.core(), 1).await.unwrap();
        let path = format!("/v1/connections/{}", w.tt_conn);
        let tt = w.app.get_until(&path, |tt| tt["status"] == "failing").await.unwrap();
        assert!(tt["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{tt}");
        let of = w.app.expect("GET", &format!("/v1/connections/{}", w.of_conn), None, 200).await.unwrap();
        assert_eq!(of["status"], "connected", "Oneflow accepted its token; it is not the one failing");
    }
}

/// The id of contract `contract`'s first event of `kind` in the Oneflow simulator.
fn event_of(of: &OneflowSim, contract: i64, kind: &str) -> i64 {
    let state = of.state();
    state.events.values().find(|e| e.contract_id == contract && e.kind == kind).map(|e| e.id).unwrap()
}

fn signed_delivery(contract: i64, callback_id: &str, events: &[i64]) -> String {
    let events: Vec<Value> = events.iter().map(|id| json!({"id": id, "type": "data_field:update"})).collect();
    json!({"contract": {"id": contract}, "callback_id": callback_id, "events": events,
        "signature": hiresync_sim::oneflow::sign(callback_id, "of-secret")})
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_pointed_at_another_contract_changes_nothing() {
    for db in databases().await.unwrap() {
        let w = world(&db).await.unwrap();
        let a = w.create_contract().await.unwrap()["contract_id"].as_i64().unwrap();
        let b = w.create_contract().await.unwrap()["contract_id"].as_i64().unwrap();
        // A participant's edit on A that Oneflow has not told anyone about yet.
        w.of.with_state(|s| {
            let field = s.contracts.get_mut(&a).unwrap().data_fields.iter_mut().find(|f| f.custom_id == "job_title");
            field.unwrap().value = "Staff Engineer".into();
        });
        let url = format!("{}/v1/webhooks/oneflow/{}", w.app.url, w.of_conn);

        // B's event under a fresh callback id, the body pointed at A: the signature still verifies.
        let forged = signed_delivery(a, &"d".repeat(40), &[event_of(&w.of, b, "contract:create")]);
        let (status, answer, _) = post_raw(&url, &forged, &[]).await.unwrap();
        assert_eq!((status, answer["jobs"].as_u64()), (200, Some(1)), "{}: {answer}", db.backend);
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), None, "A's edit was not carried on B's delivery");
        assert_eq!(w.tt_field_writes(), (0, 0));
        assert_eq!(w.of_field_writes(), 0);
        let mut c = db.store.db().await.unwrap();
        let sql = "select detail from sync_log where operation = 'sync contract' order by id";
        let details: Vec<(Option<String>,)> =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as(sql).fetch_all(c).await).unwrap();
        let expected = format!("are not contract {a}'s");
        assert!(details.iter().any(|(d,)| d.as_deref().is_some_and(|d| d.contains(&expected))), "{details:?}");
        drop(c);
        // A delivery naming no events at all proves nothing either.
        let empty = signed_delivery(a, &"e".repeat(40), &[]);
        assert_eq!(post_raw(&url, &empty, &[]).await.unwrap().0, 200);
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), None);

        // A's own event is A's: the same edit now reaches the candidate.
        let genuine = signed_delivery(a, &"f".repeat(40), &[event_of(&w.of, a, "contract:create")]);
        assert_eq!(post_raw(&url, &genuine, &[]).await.unwrap().0, 200);
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Staff Engineer")), "{}", db.backend);
    }
}
