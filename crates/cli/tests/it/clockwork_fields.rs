//! Clockwork person and company field mapping, protected fields, hand edits,
//! note types and history (issue 5; seeds 001-002, SPEC M1, S6-S9, A4),
//! driven over HTTP, asserting on the Clockwork simulator's records.

use crate::clockwork::{event, people_with_email, sync_of};
use crate::support::*;
use hiresync_sim::clockwork::model::Position;
use hiresync_testkit::{Clockwork, TestDb, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

async fn post(cw: &Clockwork, db: &TestDb, events: Value) {
    cw.app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
    wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();
}

/// `(company, title, start year)` of a person's roles, in creation order.
fn roles(cw: &Clockwork, person: &str) -> Vec<(String, Option<String>, Option<i64>)> {
    let state = cw.sim.state();
    let rows = state.positions.values().filter(|p| p.person_id == person);
    rows.map(|p| (p.company_name.clone().unwrap_or_default(), p.title.clone(), p.start_year)).collect()
}

fn schools(cw: &Clockwork, person: &str) -> Vec<String> {
    let state = cw.sim.state();
    state.educations.values().filter(|e| e.person_id == person).map(|e| e.school_name.clone()).collect()
}

/// The writes the simulator received (anything but reads).
fn writes(cw: &Clockwork) -> Vec<String> {
    let requests = cw.sim.core().requests().into_iter().filter(|r| r.method != "GET");
    requests.map(|r| format!("{} {}", r.method, r.path)).collect()
}

fn one_person(cw: &Clockwork, email: &str) -> String {
    let found = people_with_email(&cw.sim, email);
    assert_eq!(found.len(), 1, "{email}: {found:?}");
    found[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_person_and_company_fields_follow_the_field_map_and_mandatory_fields_block() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        let settings = format!("/v1/connections/{}/settings", cw.connection_id);
        // M4: each target is one of Clockwork's own fields of the mapping's object.
        for (bad, message) in [
            (json!({"source": "variables.legal", "targets": ["companyName"]}), "Clockwork has no field `companyName`"),
            (
                json!({"source": "variables.legal", "targets": ["nickName"], "object": "company"}),
                "Clockwork has no company field `nickName`",
            ),
            (json!({"source": "phones", "targets": ["nickName"]}), "holds one value"),
        ] {
            let (status, body) = app.send("PUT", &settings, Some(&json!({"field_map": [bad]}))).await.unwrap();
            let field = body["errors"][0]["field"].as_str();
            assert_eq!((status.as_u16(), field), (422, Some("field_map[0].targets[0]")), "{body}");
            assert!(body["errors"][0]["message"].as_str().unwrap().contains(message), "{body}");
        }
        let map = json!({
            "default_target": {"project_id": cw.projects[0]},
            "field_map": [
                // A list over several fields: the first email is the work one, the rest personal.
                {"source": "emails", "targets": ["email_addresses.work", "email_addresses.home"]},
                {"source": "phones", "targets": ["phone_numbers.work", "phone_numbers.mobile"]},
                {"source": "social.linkedin", "targets": ["linkedin_urls"]},
                {"source": "variables.nickname", "targets": ["nickName"]},
                {"source": "variables.legal_name", "targets": ["companyName"], "object": "company"},
            ],
            "mandatory_fields": ["nickName"],
        });
        app.expect("PUT", &settings, Some(&map), 200).await.unwrap();
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        let ada = json!({
            "emails": ["ada@engines.example", "ada@home.example", "countess@home.example"],
            "first_name": "Ada", "last_name": "Lovelace", "company": "Engines", "title": "CFO",
            "phones": ["+44 20 7946 0001", "+44 7700 900001"],
            "social": {"linkedin": "https://www.linkedin.com/in/ada", "github": "https://github.com/ada"},
            "variables": {"nickname": "Countess", "legal_name": "Analytical Engines Ltd"},
        });
        app.expect("PUT", "/v1/contacts/ada", Some(&ada), 201).await.unwrap();
        let mary = json!({"emails": ["mary@example.com"], "first_name": "Mary", "last_name": "Somerville"});
        app.expect("PUT", "/v1/contacts/mary", Some(&mary), 201).await.unwrap();
        let added = |id: &str, c: &str| event(id, "contact_added", c, "cfo", &json!({}));
        post(&cw, &db, json!([added("1", "ada"), added("2", "mary")])).await;

        let state = cw.sim.state();
        let id = one_person(&cw, "ada@engines.example");
        let emails: Vec<(&str, Option<&str>, bool)> =
            state.emails_of(&id).iter().map(|e| (e.address.as_str(), e.location.as_deref(), e.is_preferred)).collect();
        assert_eq!(
            emails,
            [
                ("ada@engines.example", Some("work"), true),
                ("ada@home.example", Some("home"), false),
                ("countess@home.example", Some("home"), false)
            ]
        );
        let phones: Vec<(&str, Option<&str>)> = state
            .phones
            .values()
            .filter(|p| p.person_id == id)
            .map(|p| (p.digits.as_str(), p.location.as_deref()))
            .collect();
        assert_eq!(phones, [("+44 20 7946 0001", Some("work")), ("+44 7700 900001", Some("mobile"))]);
        let linkedin: Vec<&str> =
            state.linkedin_urls.values().filter(|l| l.person_id == id).map(|l| l.url.as_str()).collect();
        assert_eq!(linkedin, ["https://www.linkedin.com/in/ada"], "per network: only LinkedIn has a Clockwork field");
        assert_eq!(state.people[&id].nick_name.as_deref(), Some("Countess"));
        assert_eq!(
            roles(&cw, &id),
            [("Analytical Engines Ltd".to_owned(), Some("CFO".to_owned()), None)],
            "the company mapping names the current position's company"
        );
        assert!(state.positions.values().all(|p| p.person_id != id || p.is_current));

        assert!(people_with_email(&cw.sim, "mary@example.com").is_empty(), "a missing mandatory field blocks her");
        let mary = sync_of(app, "mary").await;
        assert_eq!(mary["state"], "skipped", "{mary}");
        assert!(mary["reason"].as_str().unwrap().contains("nickName"), "the status names the field: {mary}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_protected_fields_stay_and_hand_edits_are_pushed_only_when_enabled() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        // Grace is in Clockwork already, with her own nickname and current role.
        let grace = cw.sim.app().add_person("Grace Hopper", "grace@example.com");
        cw.sim.with_state(|s| {
            s.people.get_mut(&grace).unwrap().nick_name = Some("Amazing Grace".into());
            let id = s.next_id();
            let role = Position {
                id: id.clone(),
                person_id: grace.clone(),
                title: Some("Rear Admiral".into()),
                company_name: Some("US Navy".into()),
                start_year: Some(1943),
                is_current: true,
                ..Position::default()
            };
            s.positions.insert(id, role);
        });
        let settings = json!({
            "dedup_warning": true,
            "default_target": {"project_id": cw.projects[0]},
            "field_map": [{"source": "variables.nickname", "targets": ["nickName"]}],
            "protected_fields": ["nickName", "company"],
        });
        app.expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        let person = |email: &str, first: &str, company: &str, title: &str, nickname: &str| {
            json!({"emails": [email], "first_name": first, "last_name": "Test", "company": company, "title": title,
                "phones": ["+1 555 0199"], "variables": {"nickname": nickname}})
        };
        let body = person("grace@example.com", "Grace", "Remington Rand", "Programmer", "Gracie");
        app.expect("PUT", "/v1/contacts/grace", Some(&body), 201).await.unwrap();
        let body = person("ada@example.com", "Ada", "Engines", "CFO", "Countess");
        app.expect("PUT", "/v1/contacts/ada", Some(&body), 201).await.unwrap();
        let added = |id: &str, c: &str| event(id, "contact_added", c, "cfo", &json!({}));
        post(&cw, &db, json!([added("1", "grace"), added("2", "ada")])).await;

        assert_eq!(one_person(&cw, "grace@example.com"), grace, "linked, not duplicated");
        assert_eq!(sync_of(app, "grace").await["errors"], json!(["Exists in Clockwork"]));
        let state = cw.sim.state();
        assert_eq!(state.people[&grace].nick_name.as_deref(), Some("Amazing Grace"), "a protected field stays");
        assert_eq!(
            roles(&cw, &grace),
            [("US Navy".to_owned(), Some("Programmer".to_owned()), Some(1943))],
            "the protected company stays; the title is updated on her current role, its dates kept"
        );
        assert!(state.phones.values().any(|p| p.person_id == grace && p.digits == "+1 555 0199"));
        let ada = one_person(&cw, "ada@example.com");
        assert_eq!(roles(&cw, &ada), [("Engines".to_owned(), Some("CFO".to_owned()), None)]);
        assert_eq!(state.people[&ada].nick_name.as_deref(), Some("Countess"), "protection is for existing records");

        // Hand edits are kept out of Clockwork while pushing them is off.
        cw.sim.core().clear_requests();
        let edit =
            |id: &str, c: &str, changed: Value| event(id, "contact_updated", c, "cfo", &json!({"changed": changed}));
        let ada_edit = json!({"company": "Difference Inc.", "title": "CEO", "phones": ["+1 555 0100"]});
        let grace_edit = json!({"title": "Director", "variables": {"nickname": "G"}});
        post(&cw, &db, json!([edit("3", "ada", ada_edit.clone()), edit("4", "grace", grace_edit.clone())])).await;
        assert_eq!(cw.sim.core().requests().len(), 0, "nothing is read or written");
        assert_eq!(roles(&cw, &ada), [("Engines".to_owned(), Some("CFO".to_owned()), None)]);

        patch_settings(app, &cw.connection_id, &json!({"sync_manual_updates": true})).await.unwrap();
        post(&cw, &db, json!([edit("5", "ada", ada_edit), edit("6", "grace", grace_edit)])).await;
        assert_eq!(
            roles(&cw, &ada),
            [("Engines".to_owned(), Some("CEO".to_owned()), None)],
            "the edited title is pushed; the protected company is not, on any record"
        );
        assert_eq!(roles(&cw, &grace), [("US Navy".to_owned(), Some("Director".to_owned()), Some(1943))]);
        let state = cw.sim.state();
        let phones: Vec<&str> =
            state.phones.values().filter(|p| p.person_id == ada).map(|p| p.digits.as_str()).collect();
        assert_eq!(phones, ["+1 555 0199", "+1 555 0100"], "the edited phone is added");
        assert_eq!(state.people[&grace].nick_name.as_deref(), Some("Amazing Grace"), "still protected");
        assert!(!writes(&cw).iter().any(|w| w.starts_with("PATCH")), "no person field changed: {:?}", writes(&cw));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_notes_use_the_mapped_types_for_the_chosen_outreach_and_wait_for_the_sync() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        let settings = json!({
            "trigger": "on_reply",
            "default_target": {"project_id": cw.projects[0]},
            "notes_for": ["message_sent", "reply_received"],
            "notes_only_for_synced": true,
            "note_types": {"message_sent": "Email", "reply_received": "Call", "task_completed": "Follow Up"},
        });
        app.expect("PUT", &format!("/v1/connections/{}/settings", cw.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/cfo", Some(&json!({"name": "CFO search"})), 201).await.unwrap();
        // Both are in Clockwork already, so a note could go on their records before any sync.
        let kat = cw.sim.app().add_person("Katherine Johnson", "kat@example.com");
        let lin = cw.sim.app().add_person("Lin Ma", "lin@example.com");
        crate::clockwork::contact(app, "kat", "kat@example.com", "Katherine Johnson").await;
        crate::clockwork::contact(app, "lin", "lin@example.com", "Lin Ma").await;
        let sent = |id: &str, c: &str, body: &str| {
            event(id, "message_sent", c, "cfo", &json!({"subject": "CFO role", "body": body, "step": 1}))
        };
        let task = |id: &str| event(id, "task_completed", "kat", "cfo", &json!({"title": "Call Kat", "notes": "ok"}));
        post(&cw, &db, json!([event("1", "contact_added", "kat", "cfo", &json!({})), sent("2", "kat", "Hello Kat")]))
            .await;
        post(&cw, &db, json!([task("3")])).await;
        let notes = |person: &str| -> Vec<(String, Option<String>)> {
            let state = cw.sim.state();
            let mine = state.notes.values().filter(|n| n.person_id == person);
            mine.map(|n| (n.content.clone(), n.category.clone())).collect()
        };
        assert!(notes(&kat).is_empty(), "not synced yet, and notes go only to synced people");
        assert!(cw.sim.state().candidacies.is_empty());

        let reply = event("4", "reply_received", "kat", "cfo", &json!({"subject": "Re: CFO role", "body": "Sure"}));
        post(&cw, &db, json!([reply, sent("5", "kat", "Great, here are times"), task("6")])).await;
        let written = notes(&kat);
        let categories: Vec<Option<&str>> = written.iter().map(|(_, c)| c.as_deref()).collect();
        assert_eq!(categories, [Some("Call"), Some("Email")], "the reply syncs her; tasks are not chosen: {written:?}");
        assert!(written[0].0.contains("Sure") && written[1].0.contains("here are times"));
        assert_eq!(sync_of(app, "kat").await["person_id"], kat);

        // Notes allowed before the sync: a message to someone Clockwork holds is noted on that record.
        patch_settings(app, &cw.connection_id, &json!({"notes_only_for_synced": false})).await.unwrap();
        post(&cw, &db, json!([event("7", "contact_added", "lin", "cfo", &json!({})), sent("8", "lin", "Hello Lin")]))
            .await;
        let written = notes(&lin);
        assert_eq!(written.len(), 1, "{written:?}");
        assert_eq!(written[0].1.as_deref(), Some("Email"));
        assert!(cw.sim.state().candidacies.values().all(|c| c.person_id != lin), "noted, not synced");
        assert_eq!(sync_of(app, "lin").await["person_id"], Value::Null);
    }
}

fn role(company: &str, title: &str, start: &str, end: Option<&str>) -> Value {
    json!({"company": company, "title": title, "start": start, "end": end})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clockwork_full_work_and_education_history_is_replaced_on_a_resync_only_when_enabled() {
    for db in databases().await.unwrap() {
        let cw = harness(&db).clockwork().await.unwrap();
        let app = &cw.app;
        let conn = cw.connection_id.as_str();
        app.expect("PUT", &format!("/v1/connections/{conn}/settings"), Some(&json!({})), 200).await.unwrap();
        for seq in ["cfo", "board"] {
            app.expect("PUT", &format!("/v1/sequences/{seq}"), Some(&json!({"name": seq})), 201).await.unwrap();
        }
        // Seven roles from LinkedIn Recruiter: Greenhouse would get five, Clockwork gets them all.
        let career: Vec<Value> = (0..7)
            .map(|i| {
                let end = (i > 0).then(|| format!("{}-12", 2020 - 2 * i));
                role(&format!("Firm {i}"), "Engineer", &format!("{}-01", 2019 - 2 * i), end.as_deref())
            })
            .collect();
        let hedy = json!({"emails": ["hedy@example.com"], "first_name": "Hedy", "last_name": "Lamarr",
            "source": "LinkedIn Recruiter", "employment": career,
            "education": [{"school": "Vienna Conservatory", "degree": "Diploma", "start": "1928", "end": "1930"},
                {"school": "Max Reinhardt Seminar"}]});
        app.expect("PUT", "/v1/contacts/hedy", Some(&hedy), 201).await.unwrap();
        post(&cw, &db, json!([event("1", "contact_added", "hedy", "cfo", &json!({}))])).await;
        let id = one_person(&cw, "hedy@example.com");
        assert_eq!(roles(&cw, &id).len(), 7, "{:?}", roles(&cw, &id));
        assert_eq!(schools(&cw, &id), ["Vienna Conservatory", "Max Reinhardt Seminar"]);
        let vienna = cw.sim.state().educations.into_values().find(|e| e.school_name == "Vienna Conservatory").unwrap();
        assert_eq!(
            (vienna.degree.as_deref(), vienna.start_year, vienna.end_year),
            (Some("Diploma"), Some(1928), Some(1930))
        );

        // With history updates off, a changed history stays out of Clockwork.
        let changed = json!({"changed": {"employment": [role("Frequency Hopping Co", "Inventor", "1940-06", None)],
            "education": [{"school": "Self-taught"}]}});
        post(&cw, &db, json!([event("2", "contact_updated", "hedy", "cfo", &changed)])).await;
        assert_eq!(roles(&cw, &id).len(), 7);

        patch_settings(app, conn, &json!({"update_history": true})).await.unwrap();
        post(&cw, &db, json!([event("3", "contact_updated", "hedy", "cfo", &changed)])).await;
        assert_eq!(roles(&cw, &id), [("Frequency Hopping Co".to_owned(), Some("Inventor".to_owned()), Some(1940))]);
        assert_eq!(schools(&cw, &id), ["Self-taught"], "education is replaced in full too");

        // A re-sync (added to another sequence) writes the stored history again, in full.
        let mut again = hedy.clone();
        again["employment"] =
            json!([role("MGM", "Actress", "1937", Some("1958")), role("Navy", "Inventor", "1942", None)]);
        again["education"] = json!([{"school": "Vienna Conservatory"}]);
        app.expect("PUT", "/v1/contacts/hedy", Some(&again), 200).await.unwrap();
        post(&cw, &db, json!([event("4", "contact_added", "hedy", "board", &json!({}))])).await;
        let mut now = roles(&cw, &id);
        now.sort();
        assert_eq!(
            now,
            [
                ("MGM".to_owned(), Some("Actress".to_owned()), Some(1937)),
                ("Navy".to_owned(), Some("Inventor".to_owned()), Some(1942))
            ]
        );
        assert_eq!(schools(&cw, &id), ["Vienna Conservatory"]);
        assert_eq!(one_person(&cw, "hedy@example.com"), id, "refreshed, never re-created");
    }
}
