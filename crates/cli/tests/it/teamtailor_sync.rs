//! Teamtailor sync policy end to end (issue 6, part 1): triggers, contact and
//! sequence overrides with custom-sync jobs decided once, protected fields,
//! hand edits, resyncs, recurring job imports, the "Open in Teamtailor"
//! status and the requests one contact costs, asserting on the Teamtailor
//! simulator's records and request log.

use crate::support::*;
use crate::teamtailor::event;
use hiresync_testkit::{Teamtailor, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

async fn post(tt: &Teamtailor, db: &TestDb, events: Value) {
    tt.app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
    wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
}

fn on(seq: &str, id: &str, kind: &str, contact: &str) -> Value {
    let mut e = event(id, kind, contact, &json!({"subject": "Backend role", "body": format!("{kind} {id}")}));
    e["sequence"] = json!(seq);
    e
}

async fn contact(tt: &Teamtailor, id: &str, body: Value) {
    tt.app.expect("PUT", &format!("/v1/contacts/{id}"), Some(&body), 201).await.unwrap();
}

fn person(email: &str, first: &str) -> Value {
    json!({"emails": [email], "first_name": first, "last_name": "Test"})
}

/// `(job, stage)` of every application of the candidate holding `email`; none when there is no such candidate.
fn applications(tt: &Teamtailor, email: &str) -> Vec<(i64, i64)> {
    let state = tt.sim.state();
    let Some(c) = state.candidate_by_email(email) else { return Vec::new() };
    state.job_applications.values().filter(|a| a.candidate_id == c.id).map(|a| (a.job_id, a.stage_id)).collect()
}

async fn sync_of(tt: &Teamtailor, contact: &str) -> Value {
    tt.app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await.unwrap()[0].clone()
}

fn writes(tt: &Teamtailor) -> Vec<String> {
    let requests = tt.sim.core().requests().into_iter().filter(|r| r.method != "GET");
    requests.map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_triggers_and_overrides_decide_who_syncs_and_custom_sync_jobs_hold() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let data = tt.sim.app().add_job("Data Engineer", &["Screen", "Onsite"]);
        let settings = json!({"trigger": "on_reply",
            "default_target": {"job_id": tt.job.id.to_string(), "stage_id": tt.job.stage_ids[0].to_string()}});
        app.expect("PUT", &format!("/v1/connections/{}/settings", tt.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        let custom = json!({"name": "Data", "target": {"connection_id": tt.connection_id, "job_id": data.id.to_string(),
            "stage_id": data.stage_ids[1].to_string()}});
        let seq = app.expect("PUT", "/v1/sequences/data", Some(&custom), 201).await.unwrap();
        assert_eq!(seq["indicators"], json!(["custom_sync"]));
        let quiet = app.expect("PUT", "/v1/sequences/quiet", Some(&json!({"sync_disabled": true})), 201).await;
        assert_eq!(quiet.unwrap()["indicators"], json!(["sync_disabled"]));
        contact(&tt, "alan", person("alan@example.com", "Alan")).await;
        contact(&tt, "dana", person("dana@example.com", "Dana")).await;
        let mut vip = person("vip@example.com", "Vic");
        vip["sync_override"] = json!("sync");
        contact(&tt, "vip", vip).await;
        let mut nope = person("nope@example.com", "Noah");
        nope["sync_override"] = json!("dont_sync");
        contact(&tt, "nope", nope).await;
        contact(&tt, "quinn", person("quinn@example.com", "Quinn")).await;
        let added = [
            on("backend", "1", "contact_added", "alan"),
            on("data", "2", "contact_added", "dana"),
            on("backend", "3", "contact_added", "vip"),
            on("backend", "4", "contact_added", "nope"),
            on("quiet", "5", "contact_added", "quinn"),
        ];
        post(&tt, &db, Value::from(added.to_vec())).await;
        let inbox = tt.job.stage_ids[0];
        assert_eq!(
            applications(&tt, "vip@example.com"),
            [(tt.job.id, inbox)],
            "the contact's own override syncs at once"
        );
        for waiting in ["alan@example.com", "dana@example.com"] {
            assert!(tt.sim.state().candidate_by_email(waiting).is_none(), "{waiting} waits for a reply");
        }

        let replies = [
            on("backend", "6", "reply_received", "alan"),
            on("data", "7", "reply_received", "dana"),
            on("backend", "8", "reply_received", "nope"),
            on("quiet", "9", "reply_received", "quinn"),
        ];
        post(&tt, &db, Value::from(replies.to_vec())).await;
        assert_eq!(applications(&tt, "alan@example.com"), [(tt.job.id, inbox)], "the default job");
        assert_eq!(applications(&tt, "dana@example.com"), [(data.id, data.stage_ids[1])], "the sequence's own job");
        assert!(tt.sim.state().candidate_by_email("nope@example.com").is_none(), "don't sync wins over the trigger");
        assert!(tt.sim.state().candidate_by_email("quinn@example.com").is_none(), "added while Sync Disabled");
        assert_eq!(sync_of(&tt, "quinn").await["state"], "skipped");

        // The custom-sync job was decided when Dana synced: moving the sequence later moves nobody.
        let moved =
            json!({"name": "Data", "target": {"connection_id": tt.connection_id, "job_id": tt.job.id.to_string()}});
        app.expect("PUT", "/v1/sequences/data", Some(&moved), 200).await.unwrap();
        post(&tt, &db, json!([on("data", "10", "message_sent", "dana")])).await;
        assert_eq!(applications(&tt, "dana@example.com"), [(data.id, data.stage_ids[1])]);
        let dana = tt.sim.state().candidate_by_email("dana@example.com").unwrap().id;
        let status = sync_of(&tt, "dana").await;
        assert_eq!(
            (&status["state"], &status["person_id"], &status["open_label"]),
            (&json!("synced"), &json!(dana.to_string()), &json!("Open in Teamtailor")),
            "{status}"
        );
        assert_eq!(status["person_url"], format!("https://app.teamtailor.com/candidates/{dana}"));
        assert_eq!(status["target"]["job_id"], data.id.to_string(), "{status}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_protected_fields_stay_and_hand_edits_are_pushed_only_when_enabled() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let salary = tt.sim.app().add_custom_field("salary-expectation", "Salary", "CustomField::Text", &[]);
        let grace = tt.sim.app().add_candidate("Grace", "Hopper", "grace@example.com");
        tt.sim.with_state(|s| {
            let c = s.candidates.get_mut(&grace).unwrap();
            c.pitch = Some("Compiler pioneer".into());
            c.phone = Some("+1 555 0000".into());
        });
        let settings = json!({
            "dedup_warning": true,
            "default_target": {"job_id": tt.job.id.to_string()},
            "field_map": [{"source": "variables.pitch", "targets": ["pitch"]},
                {"source": "variables.salary", "targets": ["salary-expectation"]}],
            "protected_fields": ["pitch"],
        });
        app.expect("PUT", &format!("/v1/connections/{}/settings", tt.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        let body = json!({"emails": ["grace@example.com"], "first_name": "Grace", "last_name": "Hopper",
            "phones": ["+1 555 0199"], "variables": {"pitch": "Navy", "salary": "90k"}});
        contact(&tt, "grace", body).await;
        post(&tt, &db, json!([on("backend", "1", "contact_added", "grace")])).await;
        let candidate = |tt: &Teamtailor| tt.sim.state().candidates[&grace].clone();
        let values = |tt: &Teamtailor| -> Vec<Value> {
            let state = tt.sim.state();
            let mine = state.custom_field_values.values().filter(|v| v.candidate_id == grace);
            mine.filter(|v| v.custom_field_id == salary.id).map(|v| v.value.clone()).collect()
        };
        assert_eq!(sync_of(&tt, "grace").await["errors"], json!(["Exists in Teamtailor"]));
        let now = candidate(&tt);
        assert_eq!(now.pitch.as_deref(), Some("Compiler pioneer"), "a protected field stays");
        assert_eq!(now.phone.as_deref(), Some("+1 555 0199"), "an unprotected one is updated");
        assert_eq!(values(&tt), [json!("90k")]);
        assert_eq!(tt.sim.state().candidates.len(), 1);

        // Hand edits stay out of Teamtailor while pushing them is off.
        tt.sim.core().clear_requests();
        let changed =
            json!({"changed": {"last_name": "Murray", "variables.salary": "95k", "variables.pitch": "COBOL"}});
        let edit = |id: &str| {
            let mut e = event(id, "contact_updated", "grace", &changed);
            e["sequence"] = Value::Null;
            e
        };
        post(&tt, &db, json!([edit("2")])).await;
        assert!(tt.sim.core().requests().is_empty(), "nothing is read or written");
        assert_eq!(candidate(&tt).last_name.as_deref(), Some("Hopper"));

        patch_settings(app, &tt.connection_id, &json!({"sync_manual_updates": true})).await.unwrap();
        post(&tt, &db, json!([edit("3")])).await;
        let now = candidate(&tt);
        assert_eq!(now.last_name.as_deref(), Some("Murray"), "the edit is pushed");
        assert_eq!(now.pitch.as_deref(), Some("Compiler pioneer"), "still protected");
        assert_eq!(values(&tt), [json!("95k")], "the value is updated in place");
        assert!(!writes(&tt).iter().any(|w| w.starts_with("POST /v1/custom-field-values")), "{:?}", writes(&tt));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_resync_backfills_never_synced_contacts_and_job_imports_recur_hourly() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let (app, conn) = (&tt.app, tt.connection_id.as_str());
        let settings = json!({"trigger": "off", "default_target": {"job_id": tt.job.id.to_string()}});
        app.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&settings), 200).await.unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        put_contacts(app, 2).await.unwrap();
        let batch = json!([
            on("backend", "a0", "contact_added", "c0"),
            on("backend", "a1", "contact_added", "c1"),
            on("backend", "m1", "message_sent", "c1"),
            on("backend", "r1", "reply_received", "c1"),
        ]);
        post(&tt, &db, batch).await;
        assert!(tt.sim.state().candidates.is_empty(), "sync is off");

        let body = json!({"connection_id": conn, "sequence": "backend"});
        let started = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
        let path = format!("/v1/resyncs/{}", started["id"].as_str().unwrap());
        let done = app.get_until(&path, |b| b["state"] == "done").await.unwrap();
        assert_eq!((&done["synced"], &done["skipped"]), (&json!(2), &json!(0)), "{}: {done}", db.backend);
        let state = tt.sim.state();
        let c1 = state.candidate_by_email("person1@example.com").unwrap().id;
        let notes: Vec<&str> = state.notes.values().filter(|n| n.candidate_id == c1).map(|n| n.note.as_str()).collect();
        assert_eq!(notes.len(), 2, "the message and the reply, backfilled: {notes:?}");
        assert_eq!(applications(&tt, "person1@example.com"), [(tt.job.id, tt.job.stage_ids[0])]);
        tt.sim.core().clear_requests();
        let again = app.expect("POST", "/v1/resyncs", Some(&body), 202).await.unwrap();
        let again = app
            .get_until(&format!("/v1/resyncs/{}", again["id"].as_str().unwrap()), |b| b["state"] == "done")
            .await
            .unwrap();
        assert_eq!((&again["synced"], &again["skipped"]), (&json!(0), &json!(2)), "{again}");
        assert!(writes(&tt).is_empty(), "a repeated resync writes nothing");

        // Import a job: its candidates join the sequence; one without an email is counted, not imported.
        let import_job = tt.sim.app().add_job("Platform Engineer", &["Screen"]);
        let seed = |first: &str, email: &str| {
            let id = tt.sim.app().add_candidate(first, "Imported", email);
            tt.sim.app().add_application(id, import_job.id).unwrap();
            id
        };
        let imported = [seed("Ines", "ines@example.com"), seed("Ivo", "ivo@example.com")];
        let nomail = seed("Nomail", "nomail@example.com");
        tt.sim.with_state(|s| s.candidates.get_mut(&nomail).unwrap().email = None);
        tt.sim.core().clear_requests();
        let body = json!({"connection_id": conn, "target": {"job_id": import_job.id.to_string()},
            "sequence": "backend", "recurring": true});
        let started = app.expect("POST", "/v1/imports", Some(&body), 202).await.unwrap();
        let id = started["id"].as_str().unwrap().to_owned();
        let path = format!("/v1/imports/{id}");
        let first = app.get_until(&path, |b| b["state"] == "scheduled").await.unwrap();
        assert_eq!((&first["imported"], &first["skipped_no_email"]), (&json!(2), &json!(1)), "{first}");
        let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
        assert_eq!((at(&first["next_run_at"]) - at(&first["last_run_at"])).num_minutes(), 60);
        assert!(writes(&tt).is_empty(), "an import writes nothing to Teamtailor");
        let row = sync_of(&tt, &format!("teamtailor-{}", imported[0])).await;
        assert_eq!((&row["state"], &row["person_id"]), (&json!("synced"), &json!(imported[0].to_string())));

        seed("Nell", "nell@example.com");
        run_import_now(&db.store, &id).await.unwrap();
        let second = app.get_until(&path, |b| b["runs"] == 2).await.unwrap();
        assert_eq!(second["imported"], 3, "only the newcomer: {second}");
        assert_eq!(app.send("DELETE", &path, None).await.unwrap().0, 204);
        assert_eq!(app.expect("GET", "/v1/imports", None, 200).await.unwrap(), json!([]));
        run_import_now(&db.store, &id).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert_eq!(app.expect("GET", &path, None, 200).await.unwrap()["state"], "stopped");
    }
}

fn is_id(seg: &str) -> bool {
    !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit())
}

/// `METHOD /path` of every logged request, numeric ids replaced by `{id}`.
fn shapes(tt: &Teamtailor) -> Vec<String> {
    let path = |p: &str| p.split('/').map(|s| if is_id(s) { "{id}" } else { s }).collect::<Vec<_>>().join("/");
    tt.sim.core().requests().into_iter().map(|r| format!("{} {}", r.method, path(&r.path))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_costs_three_requests_to_add_a_contact_one_per_message_and_three_per_reply() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let stages = &tt.job.stage_ids;
        let settings = json!({"default_target": {"job_id": tt.job.id.to_string(), "stage_id": stages[0].to_string()},
            "stage_map": {"replied": stages[2].to_string()}});
        app.expect("PUT", &format!("/v1/connections/{}/settings", tt.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        // Saving checked the stage map against the stages Teamtailor lists; the sync reads its own.
        tt.sim.core().clear_requests();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        for c in ["ada", "alan"] {
            contact(&tt, c, person(&format!("{c}@example.com"), c)).await;
        }
        // The first contact also reads the job's stages once (kept a minute for every contact after).
        post(&tt, &db, json!([on("backend", "0", "contact_added", "ada")])).await;
        assert_eq!(tt.sim.core().requests_to("GET", &format!("/v1/jobs/{}/stages", tt.job.id)).len(), 1);
        tt.sim.core().clear_requests();

        let mut costs = Vec::new();
        for (id, kind) in [("1", "contact_added"), ("2", "message_sent"), ("3", "reply_received")] {
            post(&tt, &db, json!([on("backend", id, kind, "alan")])).await;
            costs.push((kind, shapes(&tt)));
            tt.sim.core().clear_requests();
        }
        assert_eq!(
            costs[0].1,
            ["GET /v1/candidates", "POST /v1/candidates", "POST /v1/job-applications"],
            "added: look up, create, apply (landing in the Inbox asked for)"
        );
        assert_eq!(costs[1].1, ["POST /v1/notes"], "message: one note");
        assert_eq!(
            costs[2].1,
            ["POST /v1/notes", "PATCH /v1/job-applications/{id}"],
            "reply: its note, and the stage move, from the stage stored at placing (no read first)"
        );
        assert_eq!(applications(&tt, "alan@example.com"), [(tt.job.id, stages[2])]);
        println!("teamtailor requests per contact: {:?}", costs.iter().map(|(k, r)| (k, r.len())).collect::<Vec<_>>());
    }
}

/// An API gateway serving Teamtailor under `/teamtailor` only: anything else is a 404.
async fn gateway(upstream: String) -> String {
    use axum::extract::Request;
    use axum::response::IntoResponse;
    let client = reqwest::Client::new();
    let forward = move |req: Request| {
        let (client, upstream) = (client.clone(), upstream.clone());
        async move {
            let (parts, body) = req.into_parts();
            let Some(rest) = parts.uri.path_and_query().and_then(|p| p.as_str().strip_prefix("/teamtailor/")) else {
                return (reqwest::StatusCode::NOT_FOUND, "not behind this gateway").into_response();
            };
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
            let mut out = client.request(parts.method, format!("{}/{rest}", upstream.trim_end_matches('/')));
            for (name, value) in parts.headers.iter().filter(|(n, _)| *n != "host") {
                out = out.header(name, value);
            }
            let answer = out.body(body).send().await.unwrap();
            let (status, headers) = (answer.status(), answer.headers().clone());
            (status, headers, answer.bytes().await.unwrap()).into_response()
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/teamtailor", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(forward)).await });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_base_url_behind_a_gateway_keeps_its_path() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let mut body = hiresync_testkit::sims::teamtailor_connection(&tt.sim, "tt-key");
        body["base_url"] = json!(gateway(tt.sim.base_url()).await);
        let via_gateway = tt.app.connect(&body).await.expect("the live check goes through the gateway");
        let settings = json!({"trigger": "on_add",
            "default_target": {"job_id": tt.job.id.to_string(), "stage_id": tt.job.stage_ids[0].to_string()}});
        let path = format!("/v1/connections/{via_gateway}/settings");
        tt.app.expect("PUT", &path, Some(&settings), 200).await.unwrap();
        tt.app.expect("DELETE", &format!("/v1/connections/{}", tt.connection_id), None, 204).await.unwrap();
        tt.app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        contact(&tt, "gia", person("gia@example.com", "Gia")).await;
        post(&tt, &db, json!([on("seq-1", "g1", "contact_added", "gia")])).await;
        assert_eq!(applications(&tt, "gia@example.com").len(), 1, "synced through the gateway");
        assert_eq!(sync_of(&tt, "gia").await["state"], "synced");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_is_given_by_name_in_any_job_and_an_unknown_one_is_refused_when_saved() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        // Another job with stages of the same names, each with its own id.
        let data = tt.sim.app().add_job("Data Engineer", &["Phone screen", "Interview"]);
        let path = format!("/v1/connections/{}/settings", tt.connection_id);
        let wrong = json!({"stage_map": {"replied": "Onsite"}});
        let refused = tt.app.expect("PUT", &path, Some(&wrong), 422).await.unwrap();
        assert_eq!(refused["errors"][0]["field"], "stage_map.replied", "{refused}");
        assert!(
            refused["errors"][0]["message"].as_str().unwrap().contains("Phone screen"),
            "lists the stages: {refused}"
        );
        let named = json!({"trigger": "on_add", "stage_map": {"replied": " interview "},
            "default_target": {"job_id": data.id.to_string(), "stage_id": data.stage_ids[0].to_string()}});
        let saved = tt.app.expect("PUT", &path, Some(&named), 200).await.unwrap();
        assert_eq!(saved["stage_map"]["replied"], " interview ", "a name stays a name: each job has its own ids");

        tt.app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Data"})), 201).await.unwrap();
        contact(&tt, "nia", person("nia@example.com", "Nia")).await;
        post(&tt, &db, json!([on("seq-1", "n1", "contact_added", "nia")])).await;
        assert_eq!(applications(&tt, "nia@example.com"), [(data.id, data.stage_ids[0])]);
        post(&tt, &db, json!([on("seq-1", "n2", "reply_received", "nia")])).await;
        assert_eq!(applications(&tt, "nia@example.com"), [(data.id, data.stage_ids[2])], "Interview of the Data job");
    }
}
