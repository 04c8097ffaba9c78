//! Greenhouse end to end (issue 4, seed 003): every sync behaviour driven over
//! the HTTP API as the outreach app would, asserted on the Greenhouse
//! simulator's state and request log, on SQLite and PostgreSQL.

use crate::support::*;
use hiresync_sim::greenhouse::model::{Candidate, GreenhouseState};
use hiresync_testkit::{Greenhouse, TestApp, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(120);

fn ev(id: &str, kind: &str, contact: &str, sequence: &str, data: Value) -> Value {
    let mut event = json!({"id": id, "type": kind, "contact": contact, "sequence": sequence,
        "occurred_at": "2026-11-23T09:00:00Z"});
    event["data"] = data;
    event
}

fn sent(id: &str, contact: &str, sequence: &str, subject: &str) -> Value {
    let data = json!({"subject": subject, "body": format!("Hello from {id}"), "step": 1,
        "from": "robin@acme.io", "to": format!("{contact}@example.com"), "message_id": id});
    ev(id, "message_sent", contact, sequence, data)
}

fn reply(id: &str, contact: &str, sequence: &str) -> Value {
    let data = json!({"subject": "Re: Hello", "body": format!("Reply {id}"), "from": format!("{contact}@example.com"),
        "to": "robin@acme.io"});
    ev(id, "reply_received", contact, sequence, data)
}

/// Posts events and waits until the worker has carried them out.
async fn post(app: &TestApp, db: &TestDb, events: Vec<Value>) {
    app.expect("POST", "/v1/events", Some(&Value::from(events)), 202).await.unwrap();
    wait_idle(&db.store, WAIT).await.unwrap();
}

async fn contact(app: &TestApp, id: &str, body: Value) {
    let (status, out) = app.send("PUT", &format!("/v1/contacts/{id}"), Some(&body)).await.unwrap();
    assert!(status == 200 || status == 201, "{status} {out}");
}

/// A contact `id` with the email `<id>@example.com`.
async fn person(app: &TestApp, id: &str) {
    contact(app, id, json!({"emails": [format!("{id}@example.com")], "first_name": "Ada", "last_name": id})).await;
}

async fn sync_of(app: &TestApp, contact: &str) -> Value {
    let all = app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await.unwrap();
    all[0].clone()
}

async fn settings(s: &Greenhouse, body: Value) -> Value {
    let path = format!("/v1/connections/{}/settings", s.connection_id);
    s.app.expect("PUT", &path, Some(&body), 200).await.unwrap()
}

/// The one job `Harness::greenhouse` seeds: its id and stage ids (Review, Screen).
fn job(s: &Greenhouse) -> (i64, Vec<i64>) {
    let state = s.sim.state();
    let job = state.jobs.values().next().unwrap().id;
    let mut stages: Vec<_> = state.job_stages.values().filter(|st| st.job_id == job).collect();
    stages.sort_by_key(|st| st.sort_order);
    (job, stages.iter().map(|st| st.id).collect())
}

fn job_target(s: &Greenhouse, stage: usize) -> Value {
    let (job, stages) = job(s);
    json!({"job_id": job, "stage_id": stages[stage]})
}

fn by_email<'a>(state: &'a GreenhouseState, email: &str) -> Vec<&'a Candidate> {
    state.candidates_with_email(email)
}

fn one<'a>(state: &'a GreenhouseState, email: &str) -> &'a Candidate {
    let found = by_email(state, email);
    assert_eq!(found.len(), 1, "exactly one Greenhouse record for {email}");
    found[0]
}

fn applications_of(state: &GreenhouseState, candidate: i64) -> Vec<hiresync_sim::greenhouse::model::Application> {
    state.applications.values().filter(|a| a.candidate_id == candidate).cloned().collect()
}

/// A candidate Greenhouse has held since long before any contact was added.
fn existing(s: &Greenhouse, first: &str, last: &str, email: &str) -> i64 {
    let id = s.sim.app().add_candidate(first, last, email);
    s.sim.with_state(|st| st.candidates.get_mut(&id).unwrap().created_at = "2024-01-15T08:00:00.000Z".into());
    id
}

/// Harvest requests (the token endpoint aside) as `METHOD path`.
fn harvest_calls(s: &Greenhouse) -> Vec<String> {
    s.sim
        .core()
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

fn count(calls: &[String], prefix: &str) -> usize {
    calls.iter().filter(|c| c.starts_with(prefix)).count()
}

/// A second user of the workspace with their own Greenhouse connection (acting as a new Greenhouse user).
async fn teammate(
    s: &Greenhouse,
    email: &str,
    role: &str,
    groups: &[&str],
    settings: Value,
) -> (TestApp, String, String) {
    let body = json!({"email": email, "role": role, "groups": groups});
    let user = s.app.expect("POST", "/v1/users", Some(&body), 201).await.unwrap();
    let app = TestApp::new(&s.app.url, user["token"].as_str().unwrap());
    let gh_user = s.sim.app().add_user("Team", "Mate", email);
    let conn = app
        .expect(
            "POST",
            "/v1/connections",
            Some(
                &json!({"provider": "greenhouse", "base_url": s.sim.base_url(), "auth_base_url": s.sim.auth_base_url(),
                "credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": gh_user}}),
            ),
            201,
        )
        .await
        .unwrap();
    let conn = conn["id"].as_str().unwrap().to_owned();
    app.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&settings), 200).await.unwrap();
    (app, user["id"].as_str().unwrap().to_owned(), conn)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s11_people_become_prospects_on_the_target_or_candidates_in_one_request() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (job_id, stages) = job(&s);
        let on_screen = json!({"default_target": job_target(&s, 1)});
        settings(&s, on_screen.clone()).await;
        s.sim.core().clear_requests();
        person(&s.app, "ada").await;
        post(&s.app, &db, vec![ev("a1", "contact_added", "ada", "seq-1", json!({}))]).await;

        // Default: a prospect considered for the job, created with one POST and no second application.
        let state = s.sim.state();
        let ada = one(&state, "ada@example.com");
        let apps = applications_of(&state, ada.id);
        assert_eq!(apps.len(), 1, "{apps:?}");
        assert!(apps[0].prospect && apps[0].job_id.is_none());
        assert_eq!(apps[0].prospective_job_ids, [job_id]);
        let calls = harvest_calls(&s);
        assert_eq!(calls, ["GET /v3/candidates", "POST /v3/candidates"], "{}", db.backend);
        let sync = sync_of(&s.app, "ada").await;
        assert_eq!(sync["state"], "synced", "{sync}");
        assert_eq!(sync["person_id"], ada.id.to_string());
        assert_eq!(sync["target"], json!({"job_id": job_id, "stage_id": stages[1]}));
        assert!(sync["person_url"].as_str().unwrap().ends_with(&format!("/people/{}", ada.id)));

        // Chosen otherwise: a candidate application on the job at the target stage, still one request.
        let mut as_candidate = on_screen.clone();
        as_candidate["create_as"] = json!("candidate");
        settings(&s, as_candidate).await;
        s.sim.core().clear_requests();
        person(&s.app, "grace").await;
        post(&s.app, &db, vec![ev("g1", "contact_added", "grace", "seq-1", json!({}))]).await;
        let state = s.sim.state();
        let grace = one(&state, "grace@example.com");
        let apps = applications_of(&state, grace.id);
        assert_eq!(apps.len(), 1);
        assert!(!apps[0].prospect);
        assert_eq!(apps[0].job_id, Some(job_id));
        assert_eq!(state.current_stage(apps[0].id).unwrap().job_interview_stage_id, stages[1]);
        assert_eq!(harvest_calls(&s), ["GET /v3/candidates", "POST /v3/candidates"]);

        // A pool target: a prospect in the pool at its stage; candidates cannot sit in pools.
        let pool = s.sim.app().add_prospect_pool("Rust talent", &["New", "Screen"]);
        let target = json!({"connection_id": s.connection_id, "prospect_pool_id": pool.id,
            "prospect_pool_stage_id": pool.stage_ids[1]});
        let seq = s.app.expect("PUT", "/v1/sequences/seq-pool", Some(&json!({"target": target})), 201).await.unwrap();
        assert_eq!(seq["indicators"], json!(["custom_sync"]));
        person(&s.app, "linus").await;
        post(&s.app, &db, vec![ev("l1", "contact_added", "linus", "seq-pool", json!({}))]).await;
        let state = s.sim.state();
        let apps = applications_of(&state, one(&state, "linus@example.com").id);
        assert_eq!(apps.len(), 1);
        assert!(apps[0].prospect);
        assert_eq!(state.prospect_detail(apps[0].id).unwrap().pool_stage_id, Some(pool.stage_ids[1]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standard_flow_costs_nine_requests_per_contact_and_five_without_progress_tags() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (_, stages) = job(&s);
        let full = json!({"default_target": job_target(&s, 0), "stage_map": {"replied": stages[1].to_string()},
            "progress_tags": {"messaged": "Messaged", "replied": "Replied"}});
        settings(&s, full.clone()).await;
        s.sim.core().clear_requests();
        let n = 3;
        let mut events = Vec::new();
        for i in 0..n {
            let c = format!("c{i}");
            person(&s.app, &c).await;
            events.push(ev(&format!("{c}-add"), "contact_added", &c, "seq-1", json!({})));
            events.push(sent(&format!("{c}-sent"), &c, "seq-1", "Rust role"));
            events.push(reply(&format!("{c}-reply"), &c, "seq-1"));
            events.push(reply(&format!("{c}-reply-2"), &c, "seq-1"));
        }
        post(&s.app, &db, events).await;

        let calls = harvest_calls(&s);
        eprintln!("{}: {} Harvest requests for {n} contacts: {calls:?}", db.backend, calls.len());
        // Per contact: look up by email and create with the placement (2); the sent message's email
        // record and its progress tag, read then merged (3); the reply's email record, its stage move
        // (the prospect on the job, known so since placing, converted to a candidate at the mapped
        // stage) and its progress tag (4). The second reply writes nothing.
        assert_eq!(calls.len(), 9 * n, "{calls:?}");
        assert_eq!(count(&calls, "GET /v3/candidates"), 3 * n);
        assert_eq!(count(&calls, "POST /v3/candidates"), n);
        assert_eq!(count(&calls, "POST /v3/notes"), 2 * n);
        assert_eq!(count(&calls, "PATCH /v3/candidates/"), 2 * n);
        assert_eq!(count(&calls, "GET /v3/application_stages"), 0);
        assert_eq!(count(&calls, "POST /v3/applications/"), n);
        let tokens = s.sim.core().requests_to("POST", "/token").len();
        assert_eq!(tokens, 0, "the token minted to check the credentials serves the jobs");
        let state = s.sim.state();
        for i in 0..n {
            let c = one(&state, &format!("c{i}@example.com"));
            assert_eq!(c.tags, ["Messaged", "Replied"]);
            let notes: Vec<_> = state.notes.values().filter(|x| x.candidate_id == Some(c.id)).collect();
            assert_eq!(notes.len(), 2, "the sent message and only the first reply");
            assert!(notes.iter().all(|x| x.kind == "EMAIL"));
            let live: Vec<_> = applications_of(&state, c.id).into_iter().filter(|a| a.status == "in_process").collect();
            assert_eq!(live.len(), 1);
            assert_eq!(state.current_stage(live[0].id).unwrap().job_interview_stage_id, stages[1]);
        }

        // Without progress tags the same flow is 5 requests per contact, the documented minimum.
        let mut plain = full.clone();
        plain.as_object_mut().unwrap().remove("progress_tags");
        settings(&s, plain).await;
        s.sim.core().clear_requests();
        person(&s.app, "d0").await;
        post(
            &s.app,
            &db,
            vec![
                ev("d0-add", "contact_added", "d0", "seq-1", json!({})),
                sent("d0-sent", "d0", "seq-1", "Rust role"),
                reply("d0-reply", "d0", "seq-1"),
            ],
        )
        .await;
        assert_eq!(harvest_calls(&s).len(), 5, "{:?}", harvest_calls(&s));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s1_triggers_decide_when_people_sync() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "off"})).await.unwrap();
        for c in ["off", "replier", "keen", "added"] {
            person(&s.app, c).await;
        }
        post(&s.app, &db, vec![ev("o1", "contact_added", "off", "seq-1", json!({})), reply("o2", "off", "seq-1")])
            .await;
        assert_eq!(sync_of(&s.app, "off").await["reason"], "sync is off");

        settings(&s, json!({"trigger": "on_reply"})).await;
        post(&s.app, &db, vec![ev("r1", "contact_added", "replier", "seq-1", json!({}))]).await;
        assert_eq!(sync_of(&s.app, "replier").await["reason"], "waiting for a reply");
        assert!(by_email(&s.sim.state(), "replier@example.com").is_empty());
        post(&s.app, &db, vec![reply("r2", "replier", "seq-1")]).await;
        assert_eq!(sync_of(&s.app, "replier").await["state"], "synced");

        settings(&s, json!({"trigger": "on_interested"})).await;
        post(&s.app, &db, vec![ev("k1", "contact_added", "keen", "seq-1", json!({})), reply("k2", "keen", "seq-1")])
            .await;
        assert!(by_email(&s.sim.state(), "keen@example.com").is_empty());
        post(&s.app, &db, vec![ev("k3", "marked_interested", "keen", "seq-1", json!({}))]).await;
        assert_eq!(sync_of(&s.app, "keen").await["state"], "synced");

        settings(&s, json!({"trigger": "on_add"})).await;
        post(&s.app, &db, vec![ev("a1", "contact_added", "added", "seq-1", json!({}))]).await;
        let state = s.sim.state();
        for c in ["replier", "keen", "added"] {
            one(&state, &format!("{c}@example.com"));
        }
        assert!(by_email(&state, "off@example.com").is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s2_s3_s4_disabled_sequences_overrides_and_custom_targets() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "on_reply", "notes_only_for_synced": true})).await.unwrap();
        let app = &s.app;
        // S2: disabling acts on contacts added after it, not on those already in the sequence.
        app.expect("PUT", "/v1/sequences/seq-2", Some(&json!({"name": "Two"})), 201).await.unwrap();
        for c in ["before", "after", "forced", "never"] {
            person(app, c).await;
        }
        post(app, &db, vec![ev("b1", "contact_added", "before", "seq-2", json!({}))]).await;
        let off = app.expect("PUT", "/v1/sequences/seq-2", Some(&json!({"sync_disabled": true})), 200).await.unwrap();
        assert_eq!(off["indicators"], json!(["sync_disabled"]));
        post(app, &db, vec![ev("f1", "contact_added", "after", "seq-2", json!({}))]).await;
        app.expect("PUT", "/v1/sequences/seq-2", Some(&json!({"sync_disabled": false})), 200).await.unwrap();
        post(app, &db, vec![reply("b2", "before", "seq-2"), reply("f2", "after", "seq-2")]).await;
        assert_eq!(sync_of(app, "before").await["state"], "synced");
        let after = sync_of(app, "after").await;
        assert_eq!(after["reason"], "sequence had sync disabled when the contact was added", "{after}");
        assert!(by_email(&s.sim.state(), "after@example.com").is_empty());

        // S3: a contact's own override wins either way, and its tags and displayed fields go with it.
        s.sim.app().add_custom_field("github_handle", "GitHub", "short_text", &[]);
        settings(&s, json!({"trigger": "on_add", "displayed_fields": ["github_handle"]})).await;
        app.expect("PUT", "/v1/sequences/seq-3", Some(&json!({"sync_disabled": true, "sync_tags": ["seq-tag"]})), 201)
            .await
            .unwrap();
        contact(
            app,
            "forced",
            json!({"emails": ["forced@example.com"], "first_name": "F", "last_name": "Orced", "sync_override": "sync",
                "sync_tags": ["vip"], "field_values": {"github_handle": "forced-gh"}}),
        )
        .await;
        contact(app, "never", json!({"emails": ["never@example.com"], "sync_override": "dont_sync"})).await;
        post(
            app,
            &db,
            vec![
                ev("x1", "contact_added", "forced", "seq-3", json!({})),
                ev("n1", "contact_added", "never", "seq-1", json!({})),
                reply("n2", "never", "seq-1"),
            ],
        )
        .await;
        let state = s.sim.state();
        let forced = one(&state, "forced@example.com");
        assert_eq!(forced.tags, ["seq-tag", "vip"]);
        assert_eq!(forced.custom_fields["github_handle"]["value"], "forced-gh");
        assert!(by_email(&state, "never@example.com").is_empty());
        assert_eq!(sync_of(app, "never").await["reason"], "contact is set to don't sync");

        // S4: a sequence's own target is decided when the person syncs and never moved later.
        settings(&s, json!({"trigger": "on_add"})).await;
        let pool = s.sim.app().add_prospect_pool("Pool", &["New", "Screen"]);
        let to_pool = json!({"connection_id": s.connection_id, "prospect_pool_id": pool.id,
            "prospect_pool_stage_id": pool.stage_ids[0]});
        app.expect("PUT", "/v1/sequences/seq-c", Some(&json!({"target": to_pool})), 201).await.unwrap();
        person(app, "early").await;
        post(app, &db, vec![ev("e1", "contact_added", "early", "seq-c", json!({}))]).await;
        let mut to_job = job_target(&s, 1);
        to_job["connection_id"] = json!(s.connection_id);
        app.expect("PUT", "/v1/sequences/seq-c", Some(&json!({"target": to_job})), 200).await.unwrap();
        person(app, "late").await;
        post(
            app,
            &db,
            vec![
                ev("l1", "contact_added", "late", "seq-c", json!({})),
                reply("e2", "early", "seq-c"),
                ev("e3", "contact_added", "early", "seq-c", json!({})),
            ],
        )
        .await;
        let state = s.sim.state();
        let early = applications_of(&state, one(&state, "early@example.com").id);
        assert_eq!(early.len(), 1, "still only in the pool: {early:?}");
        assert_eq!(state.prospect_detail(early[0].id).unwrap().pool_id, Some(pool.id));
        let late = applications_of(&state, one(&state, "late@example.com").id);
        assert_eq!(late[0].prospective_job_ids, [job(&s).0]);
        assert_eq!(sync_of(app, "early").await["target"]["prospect_pool_id"], pool.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s5_dedup_links_and_warns_only_about_records_that_were_there_first() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"dedup_warning": true})).await.unwrap();
        let app = &s.app;
        let known = existing(&s, "Old", "Timer", "old@example.com");
        existing(&s, "Ada", "Lovelace", "ada.home@example.com");
        contact(app, "old", json!({"emails": ["OLD@example.com"], "first_name": "Old", "last_name": "Timer"})).await;
        person(app, "ada").await;
        post(
            app,
            &db,
            vec![
                ev("o1", "contact_added", "old", "seq-1", json!({})),
                ev("a1", "contact_added", "ada", "seq-1", json!({})),
            ],
        )
        .await;
        let state = s.sim.state();
        assert_eq!(one(&state, "old@example.com").id, known, "linked, not duplicated");
        let old = sync_of(app, "old").await;
        assert_eq!((old["state"].as_str(), old["errors"].clone()), (Some("synced"), json!(["Exists in Greenhouse"])));
        assert_eq!(applications_of(&state, known).len(), 1, "the existing record was put on the target");
        // Known to Greenhouse under another email: a second record, as documented.
        assert_eq!(state.candidates.values().filter(|c| c.first_name == "Ada").count(), 2);
        assert_eq!(sync_of(app, "ada").await["errors"], json!([]));

        // A record made by our own sync through a teammate's connection did not exist before the contact.
        let (mate, _, mate_conn) = teammate(&s, "mia@acme.io", "member", &[], json!({"dedup_warning": true})).await;
        mate.expect("PUT", "/v1/sequences/seq-mia", Some(&json!({"name": "Mia's"})), 201).await.unwrap();
        person(app, "shared").await;
        post(app, &db, vec![ev("s1", "contact_added", "shared", "seq-1", json!({}))]).await;
        post(&mate, &db, vec![ev("s2", "contact_added", "shared", "seq-mia", json!({}))]).await;
        one(&s.sim.state(), "shared@example.com");
        let both = app.expect("GET", "/v1/contacts/shared/sync", None, 200).await.unwrap();
        assert_eq!(both.as_array().unwrap().len(), 2, "{both}");
        let mine = both.as_array().unwrap().iter().find(|x| x["connection_id"] == mate_conn.as_str()).unwrap();
        assert_eq!((mine["state"].as_str(), mine["errors"].clone()), (Some("synced"), json!([])), "{mine}");

        // The warning is off: linked silently.
        settings(&s, json!({"dedup_warning": false})).await;
        existing(&s, "Quiet", "One", "quiet@example.com");
        person(app, "quiet").await;
        post(app, &db, vec![ev("q1", "contact_added", "quiet", "seq-1", json!({}))]).await;
        one(&s.sim.state(), "quiet@example.com");
        assert_eq!(sync_of(app, "quiet").await["errors"], json!([]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s6_s7_s8_mandatory_fields_protected_fields_and_hand_edits() {
    for db in databases().await.unwrap() {
        let base = json!({"mandatory_fields": ["last_name", "company"], "protected_fields": ["title"]});
        let s = harness(&db).greenhouse(&base).await.unwrap();
        let app = &s.app;
        contact(app, "nameless", json!({"emails": ["nameless@example.com"], "first_name": "N", "company": "Co"})).await;
        post(app, &db, vec![ev("n1", "contact_added", "nameless", "seq-1", json!({}))]).await;
        let sync = sync_of(app, "nameless").await;
        assert_eq!(
            (sync["state"].as_str(), sync["reason"].as_str()),
            (Some("skipped"), Some("missing mandatory field: last_name"))
        );
        assert!(by_email(&s.sim.state(), "nameless@example.com").is_empty());

        // An existing record keeps its protected title; other fields take the contact's values.
        let id = existing(&s, "Grace", "Hopper", "grace@example.com");
        s.sim.with_state(|st| {
            let mut c = st.candidates.get_mut(&id).unwrap();
            c.title = Some("Staff Engineer".into());
            c.company = Some("OldCo".into());
        });
        let grace = json!({"emails": ["grace@example.com"], "first_name": "Grace", "last_name": "Hopper",
            "title": "CTO", "company": "NewCo"});
        contact(app, "grace", grace).await;
        post(app, &db, vec![ev("g1", "contact_added", "grace", "seq-1", json!({}))]).await;
        let c = s.sim.state().candidates[&id].clone();
        assert_eq!((c.title.as_deref(), c.company.as_deref()), (Some("Staff Engineer"), Some("NewCo")));

        // Hand edits are pushed only when enabled, only the fields edited, never protected ones.
        s.sim.core().clear_requests();
        let edit = |n: &str| {
            ev(n, "contact_updated", "grace", "seq-1", json!({"changed": {"title": "VP", "company": "NewerCo"}}))
        };
        post(app, &db, vec![edit("e1")]).await;
        assert_eq!(s.sim.core().requests_to("PATCH", "/v3/candidates").len(), 0, "pushing hand edits is off");
        let mut on = base.clone();
        on["sync_manual_updates"] = json!(true);
        settings(&s, on).await;
        s.sim.with_state(|st| st.candidates.get_mut(&id).unwrap().first_name = "Gracie".into());
        post(app, &db, vec![edit("e2")]).await;
        let c = s.sim.state().candidates[&id].clone();
        assert_eq!(c.company.as_deref(), Some("NewerCo"));
        assert_eq!(c.title.as_deref(), Some("Staff Engineer"), "protected");
        assert_eq!(c.first_name, "Gracie", "not edited, so not overwritten");
    }
}

fn role(company: &str, start: &str, end: Option<&str>) -> Value {
    json!({"company": company, "title": "Engineer", "start": start, "end": end})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s9_history_goes_only_for_linkedin_recruiter_contacts_five_roles_at_most() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        let seven = json!([
            role("Now", "2023-02", None),
            role("F", "2021", Some("2023-01")),
            role("E", "2019", Some("2021")),
            role("D", "2017", Some("2019")),
            role("C", "2015", Some("2017")),
            role("B", "2013", Some("2015")),
            role("A", "2010-06", Some("2013"))
        ]);
        let recruited = json!({"emails": ["rec@example.com"], "first_name": "R", "last_name": "Ecruited",
            "source": "LinkedIn Recruiter", "employment": seven});
        contact(app, "rec", recruited.clone()).await;
        contact(
            app,
            "plain",
            json!({"emails": ["plain@example.com"], "first_name": "P", "last_name": "Lain",
            "source": "linkedin", "employment": [role("X", "2020", None)]}),
        )
        .await;
        post(
            app,
            &db,
            vec![
                ev("r1", "contact_added", "rec", "seq-1", json!({})),
                ev("p1", "contact_added", "plain", "seq-1", json!({})),
            ],
        )
        .await;
        let state = s.sim.state();
        let companies = |state: &GreenhouseState, id: i64| {
            let mut v: Vec<String> =
                state.employments.values().filter(|e| e.candidate_id == id).map(|e| e.company_name.clone()).collect();
            v.sort();
            v
        };
        let rec = one(&state, "rec@example.com").id;
        assert_eq!(companies(&state, rec), ["C", "D", "E", "F", "Now"]);
        assert!(companies(&state, one(&state, "plain@example.com").id).is_empty());

        // A hand edit of the history does nothing unless history updates are on; then the latest five replace it.
        let mut newer = recruited.clone();
        newer["employment"] = json!([role("Newest", "2025-01", None), role("Now", "2023-02", Some("2024-12"))]);
        contact(app, "rec", newer.clone()).await;
        let changed = json!({"changed": {"employment": newer["employment"]}});
        post(app, &db, vec![ev("r2", "contact_updated", "rec", "seq-1", changed.clone())]).await;
        assert_eq!(companies(&s.sim.state(), rec).len(), 5);
        settings(&s, json!({"update_history": true})).await;
        post(app, &db, vec![ev("r3", "contact_updated", "rec", "seq-1", changed)]).await;
        assert_eq!(companies(&s.sim.state(), rec), ["Newest", "Now"]);
        // A re-sync (added to another sequence) refreshes it too.
        app.expect("PUT", "/v1/sequences/seq-2", Some(&json!({"name": "Two"})), 201).await.unwrap();
        s.sim.with_state(|st| st.employments.retain(|_, e| e.company_name != "Newest"));
        post(app, &db, vec![ev("r4", "contact_added", "rec", "seq-2", json!({}))]).await;
        assert_eq!(companies(&s.sim.state(), rec), ["Newest", "Now"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a1_to_a4_activity_is_written_once_as_email_records_and_notes_per_the_settings() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"note_types": {"task_completed": "activity"}})).await.unwrap();
        let app = &s.app;
        person(app, "ada").await;
        let task =
            ev("t1", "task_completed", "ada", "seq-1", json!({"title": "Call Ada", "notes": "Left a voicemail"}));
        let events = vec![
            ev("a1", "contact_added", "ada", "seq-1", json!({})),
            sent("m1", "ada", "seq-1", "Rust role"),
            reply("r1", "ada", "seq-1"),
            reply("r2", "ada", "seq-1"),
            task.clone(),
            ev("b1", "bounced", "ada", "seq-1", json!({})),
        ];
        post(app, &db, events).await;
        let again = app.expect("POST", "/v1/events", Some(&json!([task])), 202).await.unwrap();
        assert_eq!(again["duplicates"], 1);
        wait_idle(&db.store, WAIT).await.unwrap();
        let state = s.sim.state();
        let id = one(&state, "ada@example.com").id;
        let notes: Vec<_> = state.notes.values().filter(|n| n.candidate_id == Some(id)).collect();
        let kinds: Vec<(&str, Option<&str>)> = notes.iter().map(|n| (n.kind.as_str(), n.subject.as_deref())).collect();
        assert_eq!(
            kinds,
            [("EMAIL", Some("Rust role")), ("EMAIL", Some("Re: Hello")), ("ACTIVITY", Some("Call Ada"))],
            "{notes:?}"
        );
        assert_eq!(notes[0].email_to, ["ada@example.com"]);
        assert!(notes[1].body.contains("Reply r1"), "only the first reply");

        // Only the chosen outreach types; nothing at all with activity tracking off.
        settings(&s, json!({"notes_for": ["reply_received"]})).await;
        post(app, &db, vec![sent("m2", "ada", "seq-1", "Follow-up")]).await;
        settings(&s, json!({"activity_tracking": false})).await;
        post(app, &db, vec![ev("t2", "task_completed", "ada", "seq-1", json!({"title": "Again"}))]).await;
        assert_eq!(s.sim.state().notes.len(), 3);

        // Not synced yet (sync on reply): notes go on a record Greenhouse already holds, unless
        // notes are only for synced people.
        settings(&s, json!({"trigger": "on_reply"})).await;
        let existing = existing(&s, "Ex", "Isting", "ex@example.com");
        person(app, "ex").await;
        post(app, &db, vec![ev("x1", "contact_added", "ex", "seq-1", json!({})), sent("x2", "ex", "seq-1", "Hi Ex")])
            .await;
        let on_existing = |st: &GreenhouseState| st.notes.values().filter(|n| n.candidate_id == Some(existing)).count();
        assert_eq!(on_existing(&s.sim.state()), 1);
        assert_eq!(sync_of(app, "ex").await["reason"], "waiting for a reply");
        settings(&s, json!({"trigger": "on_reply", "notes_only_for_synced": true})).await;
        post(app, &db, vec![sent("x3", "ex", "seq-1", "Hi again")]).await;
        assert_eq!(on_existing(&s.sim.state()), 1);
        assert_eq!(s.sim.state().candidates.len(), 2, "nothing was created for the unsynced contact");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a1_a3_a_legacy_v1_key_places_in_one_request_and_writes_emails_and_notes() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        s.sim.app().add_api_key("legacy-key");
        let gh_user = *s.sim.state().users.keys().next().unwrap();
        let v1 = s
            .app
            .expect(
                "POST",
                "/v1/connections",
                Some(&json!({"provider": "greenhouse", "base_url": s.sim.base_url(),
                    "credentials": {"api_key": "legacy-key", "on_behalf_of_user_id": gh_user}})),
                201,
            )
            .await
            .unwrap();
        // Only the v1 connection syncs from here: the v3 one is switched off.
        settings(&s, json!({"trigger": "off"})).await;
        let path = format!("/v1/connections/{}/settings", v1["id"].as_str().unwrap());
        s.app.expect("PUT", &path, Some(&json!({"default_target": job_target(&s, 1)})), 200).await.unwrap();
        s.sim.core().clear_requests();
        person(&s.app, "ada").await;
        let task = ev("t1", "task_completed", "ada", "seq-1", json!({"title": "Call Ada", "notes": "Voicemail"}));
        post(
            &s.app,
            &db,
            vec![ev("a1", "contact_added", "ada", "seq-1", json!({})), sent("m1", "ada", "seq-1", "Hi"), task],
        )
        .await;
        let state = s.sim.state();
        let ada = one(&state, "ada@example.com");
        let apps = applications_of(&state, ada.id);
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].prospective_job_ids, [job(&s).0]);
        assert_eq!(s.sim.core().requests_to("POST", "/v1/prospects").len(), 1);
        assert_eq!(s.sim.core().requests_to("POST", "/v1/candidates/").len(), 2, "one email record, one note");
        let kinds: Vec<&str> = state.notes.values().map(|n| n.kind.as_str()).collect();
        assert_eq!(kinds, ["EMAIL", "NOTE"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a5_replies_move_prospects_in_pools_candidates_and_prospects_on_jobs_to_the_mapped_stage() {
    for db in databases().await.unwrap() {
        // Stage names resolve within each person's own job or pool, so one map serves both.
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let (job_id, stages) = job(&s);
        let pool = s.sim.app().add_prospect_pool("Pool", &["New", "Screen"]);
        let map =
            json!({"default_target": job_target(&s, 0), "stage_map": {"replied": "screen", "interested": "Review"}});
        settings(&s, map.clone()).await;
        let to_pool = json!({"connection_id": s.connection_id, "prospect_pool_id": pool.id,
            "prospect_pool_stage_id": pool.stage_ids[0]});
        s.app.expect("PUT", "/v1/sequences/seq-pool", Some(&json!({"target": to_pool})), 201).await.unwrap();
        for c in ["pooled", "considered", "candidate"] {
            person(&s.app, c).await;
        }
        post(
            &s.app,
            &db,
            vec![
                ev("p1", "contact_added", "pooled", "seq-pool", json!({})),
                reply("p2", "pooled", "seq-pool"),
                ev("c1", "contact_added", "considered", "seq-1", json!({})),
                reply("c2", "considered", "seq-1"),
                ev("c3", "marked_interested", "considered", "seq-1", json!({})),
            ],
        )
        .await;
        let mut candidate = map.clone();
        candidate["create_as"] = json!("candidate");
        settings(&s, candidate).await;
        post(
            &s.app,
            &db,
            vec![ev("d1", "contact_added", "candidate", "seq-1", json!({})), reply("d2", "candidate", "seq-1")],
        )
        .await;

        let state = s.sim.state();
        let pooled = applications_of(&state, one(&state, "pooled@example.com").id);
        assert_eq!(state.prospect_detail(pooled[0].id).unwrap().pool_stage_id, Some(pool.stage_ids[1]));
        // The prospect considered for the job became a candidate on it; the next move used the new application.
        let considered = applications_of(&state, one(&state, "considered@example.com").id);
        let converted: Vec<_> = considered.iter().filter(|a| a.status == "converted").collect();
        let live: Vec<_> = considered.iter().filter(|a| a.status == "in_process").collect();
        assert_eq!((converted.len(), live.len()), (1, 1), "{considered:?}");
        assert_eq!(live[0].job_id, Some(job_id));
        assert_eq!(state.current_stage(live[0].id).unwrap().job_interview_stage_id, stages[0], "moved on to Review");
        let candidate = applications_of(&state, one(&state, "candidate@example.com").id);
        assert_eq!(candidate.len(), 1);
        assert_eq!(state.current_stage(candidate[0].id).unwrap().job_interview_stage_id, stages[1]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m1_m2_m4_field_maps_use_discovered_fields_and_apply_to_people_synced_after_them() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        s.sim.app().add_custom_field("github_handle", "GitHub", "short_text", &[]);
        s.sim.app().add_custom_field("profile", "Profile", "short_text", &[]);
        s.sim.app().add_custom_field("languages", "Languages", "multi_select", &["Rust", "Go"]);
        let path = format!("/v1/connections/{}/settings", s.connection_id);
        let map = |source: &str, target: &str| json!({"field_map": [{"source": source, "targets": [target]}]});
        let (status, body) = s.app.send("PUT", &path, Some(&map("variables.github", "githubb"))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("field_map[0].targets[0]")));
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("Greenhouse has no field `githubb`"));
        let (status, body) = s.app.send("PUT", &path, Some(&map("phones", "github_handle"))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("field_map[0].targets[0]")));
        s.app.expect("PUT", &path, Some(&map("phones", "languages")), 200).await.unwrap();
        s.app.expect("PUT", &path, Some(&map("variables.github", "github_handle")), 200).await.unwrap();
        assert_eq!(s.sim.core().requests_to("GET", "/v3/custom_fields").len(), 1, "definitions are cached");

        let with_github = |id: &str| {
            json!({"emails": [format!("{id}@example.com")], "first_name": "A", "last_name": id,
            "variables": {"github": format!("{id}-gh")}})
        };
        contact(&s.app, "first", with_github("first")).await;
        post(&s.app, &db, vec![ev("f1", "contact_added", "first", "seq-1", json!({}))]).await;
        s.app.expect("PUT", &path, Some(&map("variables.github", "profile")), 200).await.unwrap();
        contact(&s.app, "second", with_github("second")).await;
        post(
            &s.app,
            &db,
            vec![ev("s1", "contact_added", "second", "seq-1", json!({})), sent("f2", "first", "seq-1", "Hello")],
        )
        .await;
        let state = s.sim.state();
        let first = &one(&state, "first@example.com").custom_fields;
        let second = &one(&state, "second@example.com").custom_fields;
        assert_eq!(first["github_handle"]["value"], "first-gh");
        assert!(!first.contains_key("profile"), "a changed mapping does not re-sync people synced before it");
        assert_eq!(second["profile"]["value"], "second-gh");
        assert!(!second.contains_key("github_handle"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s12_s13_settings_clone_to_greenhouse_teammates_and_workspace_defaults_fill_unset_keys() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "on_reply", "dedup_warning": true})).await.unwrap();
        let (mgr, mgr_id, mgr_conn) =
            teammate(&s, "max@acme.io", "manager", &["emea"], json!({"trigger": "on_add"})).await;
        let (member, member_id, member_conn) = teammate(&s, "mia@acme.io", "member", &[], json!({})).await;
        // A teammate on Teamtailor and one with no connection are never touched.
        let tt = hiresync_testkit::sims::teamtailor().await.unwrap();
        let body = json!({"email": "tom@acme.io", "groups": ["emea"]});
        let tt_user = s.app.expect("POST", "/v1/users", Some(&body), 201).await.unwrap();
        let tom = TestApp::new(&s.app.url, tt_user["token"].as_str().unwrap());
        let tt_conn = tom
            .expect(
                "POST",
                "/v1/connections",
                Some(
                    &json!({"provider": "teamtailor", "base_url": tt.base_url(), "credentials": {"api_key": "tt-key"}}),
                ),
                201,
            )
            .await
            .unwrap();
        s.app.expect("POST", "/v1/users", Some(&json!({"email": "nora@acme.io"})), 201).await.unwrap();

        let clone = format!("/v1/connections/{}/clone-settings", s.connection_id);
        assert_eq!(member.send("POST", &clone, None).await.unwrap().0, 403, "members cannot clone");
        let own = |conn: &str| format!("/v1/connections/{conn}/settings");
        let to_group = s.app.expect("POST", &clone, Some(&json!({"group": "emea"})), 200).await.unwrap();
        assert_eq!(to_group["updated"], json!([mgr_id]));
        let mgr_settings = s.app.expect("GET", &own(&mgr_conn), None, 200).await.unwrap();
        assert_eq!(
            (mgr_settings["trigger"].as_str(), mgr_settings["dedup_warning"].as_bool()),
            (Some("on_reply"), Some(true))
        );
        assert_eq!(s.app.expect("GET", &own(&member_conn), None, 200).await.unwrap()["trigger"], "on_add");
        let everyone = s.app.expect("POST", &clone, None, 200).await.unwrap();
        let mut updated: Vec<String> = serde_json::from_value(everyone["updated"].clone()).unwrap();
        updated.sort();
        let mut expected = vec![mgr_id.clone(), member_id.clone()];
        expected.sort();
        assert_eq!(updated, expected, "only teammates connected to Greenhouse");
        let tt_settings = tom.expect("GET", &own(tt_conn["id"].as_str().unwrap()), None, 200).await.unwrap();
        assert_eq!(tt_settings["trigger"], "on_add", "untouched");
        assert_eq!(mgr.expect("POST", &clone, None, 200).await.unwrap()["updated"].as_array().unwrap().len(), 2);

        // Workspace defaults reach everyone who has not set the key; own keys win.
        let defaults = "/v1/workspace/defaults/greenhouse";
        assert_eq!(member.send("PUT", defaults, Some(&json!({"activity_tracking": false}))).await.unwrap().0, 403);
        let (status, body) = s.app.send("PUT", defaults, Some(&json!({"trigger": "sometimes"}))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("trigger")));
        s.app.expect("PUT", defaults, Some(&json!({"activity_tracking": false, "trigger": "off"})), 200).await.unwrap();
        assert_eq!(member.expect("GET", defaults, None, 200).await.unwrap()["trigger"], "off");
        member.expect("PUT", &own(&member_conn), Some(&json!({"dedup_warning": true})), 200).await.unwrap();
        let resolved = member.expect("GET", &own(&member_conn), None, 200).await.unwrap();
        assert_eq!(
            (
                resolved["trigger"].as_str(),
                resolved["activity_tracking"].as_bool(),
                resolved["dedup_warning"].as_bool()
            ),
            (Some("off"), Some(false), Some(true))
        );
        assert_eq!(s.app.expect("GET", &own(&s.connection_id), None, 200).await.unwrap()["trigger"], "on_reply");
        // The default decides what happens: the member's contacts no longer sync.
        member.expect("PUT", "/v1/sequences/seq-mia", Some(&json!({"name": "Mia's"})), 201).await.unwrap();
        person(&member, "quiet").await;
        post(&member, &db, vec![ev("q1", "contact_added", "quiet", "seq-mia", json!({}))]).await;
        assert_eq!(sync_of(&member, "quiet").await["reason"], "sync is off");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_whose_answer_was_lost_are_read_back_not_repeated() {
    for db in databases().await.unwrap() {
        let s =
            harness(&db).env(&[("HIRESYNC_POLL_MS", "50")]).greenhouse(&json!({"dedup_warning": true})).await.unwrap();
        person(&s.app, "ada").await;
        s.sim.core().clear_requests();
        // Greenhouse carries both writes out, and the answers never arrive.
        s.sim.core().lose_next_responses(1, "POST", "/v3/candidates");
        s.sim.core().lose_next_responses(1, "POST", "/v3/notes");
        post(&s.app, &db, vec![ev("a1", "contact_added", "ada", "seq-1", json!({})), sent("m1", "ada", "seq-1", "Hi")])
            .await;
        let state = s.sim.state();
        let ada = one(&state, "ada@example.com");
        assert_eq!(applications_of(&state, ada.id).len(), 1, "the placement made with the person is reused");
        assert_eq!(state.notes.len(), 1, "notes cannot be deleted: written once");
        let lost = s.sim.core().requests().iter().filter(|r| r.fault.as_deref() == Some("lose_response")).count();
        assert_eq!(lost, 2);
        let calls = harvest_calls(&s);
        assert_eq!(count(&calls, "POST /v3/candidates"), 1, "{calls:?}");
        assert_eq!(count(&calls, "POST /v3/notes"), 1, "{calls:?}");
        assert_eq!(count(&calls, "GET /v3/notes"), 1, "read back once, after the lost answer: {calls:?}");
        let sync = sync_of(&s.app, "ada").await;
        assert_eq!((sync["state"].as_str(), sync["errors"].clone()), (Some("synced"), json!([])), "our own record");
        assert_eq!(sync["person_id"], ada.id.to_string());
    }
}
