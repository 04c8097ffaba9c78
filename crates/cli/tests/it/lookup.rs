//! Status, look-ups and questions (SPEC L1, L2, L4, S10, M3): duplicate
//! lookup across connections, the send-permission question and its cache,
//! people search on filterable fields, and a contact's sync status and log.

use crate::support::*;
use hiresync_sim::clockwork::ClockworkSim;
use hiresync_sim::teamtailor::TeamtailorSim;
use hiresync_testkit::sims::{self, unthrottled};
use hiresync_testkit::{TestApp, databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

/// A Clockwork firm without its own rate limit, connected through the API with `scope`.
async fn clockwork(app: &TestApp, scope: &str) -> (ClockworkSim, String) {
    let sim = sims::clockwork().await.unwrap();
    sim.app().seed_default_statuses();
    let mut body = sims::clockwork_connection(&sim, "cw-key", "cw-secret");
    body["scope"] = json!(scope);
    let conn = app.connect(&body).await.unwrap();
    (sim, conn)
}

/// A Teamtailor company without its own rate limit, connected through the API with `scope`.
async fn teamtailor(app: &TestApp, scope: &str) -> (TeamtailorSim, String) {
    let sim = sims::teamtailor().await.unwrap();
    let mut body = sims::teamtailor_connection(&sim, "tt-key");
    body["scope"] = json!(scope);
    let conn = app.connect(&body).await.unwrap();
    (sim, conn)
}

fn by_connection<'a>(entries: &'a Value, id: &str) -> &'a Value {
    entries.as_array().unwrap().iter().find(|e| e["connection_id"] == id).unwrap_or_else(|| panic!("{id}: {entries}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_answers_per_connection_and_a_failing_provider_costs_only_its_entry() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        let gh_id = s.sim.app().add_candidate("Grace", "Hopper", "grace@example.com");

        // With deduplication off, the provider is not asked (seed 000, 001, 003).
        let off = app.expect("GET", "/v1/lookup?email=grace@example.com", None, 200).await.unwrap();
        assert_eq!(
            (off[0]["checked"].as_bool(), off[0]["duplicate"].as_null(), off[0]["message"].as_str()),
            (Some(false), Some(()), Some("Deduplication is off for Greenhouse"))
        );
        assert!(s.sim.core().requests_to("GET", "/v3/candidates").is_empty(), "nothing was asked");
        patch_settings(app, &s.connection_id, &json!({"dedup_warning": true})).await.unwrap();

        let one = app.expect("GET", "/v1/lookup?email=%20Grace%40Example.COM", None, 200).await.unwrap();
        assert_eq!(one.as_array().unwrap().len(), 1, "{one}");
        assert_eq!(one[0]["connection_id"], s.connection_id.as_str());
        assert_eq!(
            (one[0]["duplicate"].as_bool(), one[0]["message"].as_str()),
            (Some(true), Some("Duplicate found in Greenhouse"))
        );
        assert_eq!(one[0]["person_url"], format!("https://app.greenhouse.io/people/{gh_id}"));
        let asked = s.sim.core().requests_to("GET", "/v3/candidates");
        assert!(
            asked.iter().any(|r| r.query.as_deref().is_some_and(|q| q.contains("email=grace%40example.com"))),
            "the normalised email was asked live: {asked:?}"
        );

        let fresh = app.expect("GET", "/v1/lookup?email=nobody@example.com", None, 200).await.unwrap();
        assert_eq!(
            (fresh[0]["duplicate"].as_bool(), fresh[0]["message"].as_str()),
            (Some(false), Some("No duplicates found in Greenhouse"))
        );
        assert!(fresh[0]["person_url"].is_null());

        for bad in ["/v1/lookup", "/v1/lookup?email=", "/v1/lookup?email=not-an-email"] {
            let (status, body) = app.send("GET", bad, None).await.unwrap();
            assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("email")), "{bad}: {body}");
        }

        // A workspace Teamtailor connection is the caller's too: two entries.
        let (tt, tt_conn) = teamtailor(app, "workspace").await;
        patch_settings(app, &tt_conn, &json!({"dedup_warning": true})).await.unwrap();
        let tt_id = tt.app().add_candidate("Grace", "Hopper", "grace@example.com");
        let two = app.expect("GET", "/v1/lookup?email=grace@example.com", None, 200).await.unwrap();
        assert_eq!(two.as_array().unwrap().len(), 2, "{two}");
        let t = by_connection(&two, &tt_conn);
        assert_eq!(
            (t["provider"].as_str(), t["message"].as_str()),
            (Some("teamtailor"), Some("Duplicate found in Teamtailor"))
        );
        assert_eq!(t["person_url"], format!("https://app.teamtailor.com/candidates/{tt_id}"));
        assert_eq!(by_connection(&two, &s.connection_id)["duplicate"], true);

        // Greenhouse is down (every retry fails): its entry says so, Teamtailor still answers.
        s.sim.core().fail_next(4, 503);
        let partial = app.expect("GET", "/v1/lookup?email=grace@example.com", None, 200).await.unwrap();
        let g = by_connection(&partial, &s.connection_id);
        assert!(g["duplicate"].is_null() && g["error"].as_str().is_some_and(|e| e.contains("503")), "{g}");
        assert_eq!(g["message"], "Could not check Greenhouse");
        assert_eq!(by_connection(&partial, &tt_conn)["duplicate"], true);
        let faulted = s.sim.core().requests().iter().filter(|r| r.fault.is_some()).count();
        assert_eq!(faulted, 4, "the Greenhouse lookup was really tried, with retries");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_permission_asks_off_limits_providers_caches_and_refreshes() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        let (cw, cw_conn) = clockwork(app, "user").await;
        let cw_settings = format!("/v1/connections/{cw_conn}/settings");
        app.expect("PUT", &cw_settings, Some(&json!({"block_off_limits": true})), 200).await.unwrap();
        let ada = cw.app().add_person("Ada Lovelace", "ada@example.com");
        cw.app().set_do_not_contact(&ada, true);
        assert_eq!(app.send("GET", "/v1/contacts/nobody/send-permission", None).await.unwrap().0, 404);

        // The contact is synced, so the question is asked about the linked person.
        app.expect(
            "PUT",
            "/v1/contacts/c-ada",
            Some(&json!({"emails": ["ada@example.com"], "first_name": "Ada",
            "last_name": "Lovelace"})),
            201,
        )
        .await
        .unwrap();
        let added = json!([{"id": "add-ada", "type": "contact_added", "contact": "c-ada", "sequence": "seq-1",
            "occurred_at": "2026-11-22T10:00:00Z", "data": {}}]);
        app.expect("POST", "/v1/events", Some(&added), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();

        // L2: each connection's state, link and label.
        let sync = app.expect("GET", "/v1/contacts/c-ada/sync", None, 200).await.unwrap();
        let c = by_connection(&sync, &cw_conn);
        assert_eq!((c["state"].as_str(), c["person_id"].as_str()), (Some("synced"), Some(ada.as_str())), "{sync}");
        assert_eq!(c["open_label"], "Open in Clockwork");
        assert_eq!(c["person_url"], format!("https://acme.clockworkrecruiting.com/people/{ada}"));
        let g = by_connection(&sync, &s.connection_id);
        assert_eq!(g["open_label"], "Open in Greenhouse");
        let gh_person = g["person_id"].as_str().unwrap().parse::<i64>().unwrap();
        assert!(s.sim.state().candidates.contains_key(&gh_person), "the Greenhouse person exists in the provider");

        // L4: one completed sync per connection, newest first, naming what was done, after the
        // provider calls it made, each with its outcome.
        let log = app.expect("GET", "/v1/contacts/c-ada/log", None, 200).await.unwrap();
        let all = log.as_array().unwrap();
        let calls: Vec<&Value> = all.iter().filter(|e| e["operation"] != "sync").collect();
        let create = calls.iter().find(|e| e["operation"] == "POST /v3/candidates").expect("the create is logged");
        assert_eq!(create["outcome"], "ok");
        assert!(create["detail"].as_str().unwrap().starts_with("greenhouse create person: 201"), "{create}");
        assert!(calls.iter().any(|e| e["provider"] == "clockwork" && e["outcome"] == "ok"), "{log}");
        let entries: Vec<Value> = all.iter().filter(|e| e["operation"] == "sync").cloned().collect();
        assert_eq!(entries.len(), 2, "{log}");
        assert!(all.windows(2).all(|w| w[0]["at"].as_str() >= w[1]["at"].as_str()), "newest first: {log}");
        let log = Value::from(entries.clone());
        let at = |e: &Value| chrono::DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap();
        assert!(entries.windows(2).all(|w| at(&w[0]) >= at(&w[1])), "newest first: {log}");
        for conn in [&cw_conn, &s.connection_id] {
            let e = by_connection(&log, conn);
            assert_eq!((e["operation"].as_str(), e["outcome"].as_str()), (Some("sync"), Some("ok")), "{e}");
            let detail = e["detail"].as_str().unwrap();
            assert!(detail.contains("created person") || detail.contains("linked person"), "{e}");
        }
        assert_eq!(by_connection(&log, &cw_conn)["provider"], "clockwork");
        assert_eq!(
            app.expect("GET", "/v1/contacts/c-ada/log?limit=1", None, 200).await.unwrap().as_array().unwrap().len(),
            1
        );
        let (status, body) = app.send("GET", "/v1/contacts/c-ada/log?limit=0", None).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("limit")));
        assert_eq!(app.send("GET", "/v1/contacts/nobody/log", None).await.unwrap().0, 404);

        // S10: Do Not Contact says no; the second ask is answered from the cache.
        let person_path = format!("/v3.0/acme/people/{ada}");
        let reads = || cw.core().requests_to("GET", &person_path).into_iter().filter(|r| r.path == person_path).count();
        let before = reads();
        let no = app.expect("GET", "/v1/contacts/c-ada/send-permission", None, 200).await.unwrap();
        assert_eq!(
            no,
            json!({"allowed": false, "reason": "Do Not Contact in Clockwork", "connection_id": cw_conn,
            "provider": "clockwork"})
        );
        assert_eq!(reads(), before + 1, "one provider call");
        let again = app.expect("GET", "/v1/contacts/c-ada/send-permission", None, 200).await.unwrap();
        assert_eq!((again["allowed"].as_bool(), reads()), (Some(false), before + 1), "two asks, one call");

        // Lifted in Clockwork: the cached answer stands until a refresh asks again.
        cw.app().set_do_not_contact(&ada, false);
        let cached = app.expect("GET", "/v1/contacts/c-ada/send-permission", None, 200).await.unwrap();
        assert_eq!(cached["allowed"], false);
        let yes = app.expect("GET", "/v1/contacts/c-ada/send-permission?refresh=true", None, 200).await.unwrap();
        assert_eq!((yes, reads()), (json!({"allowed": true, "reason": null}), before + 2));

        // A provider that cannot be asked never lets the email through.
        cw.core().fail_next(1, 404);
        let (status, body) = app.send("GET", "/v1/contacts/c-ada/send-permission?refresh=1", None).await.unwrap();
        assert_eq!(status, 502, "{body}");
        assert_eq!(body["type"], "https://hiresync.dev/problems/provider-unreachable");
        let (status, body) = app.send("GET", "/v1/contacts/c-ada/send-permission?refresh=maybe", None).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("refresh")));

        // With blocking off the provider is not asked at all.
        cw.app().set_do_not_contact(&ada, true);
        app.expect("PUT", &cw_settings, Some(&json!({"block_off_limits": false})), 200).await.unwrap();
        let calls = cw.core().requests().len();
        let off = app.expect("GET", "/v1/contacts/c-ada/send-permission?refresh=true", None, 200).await.unwrap();
        assert_eq!((off, cw.core().requests().len()), (json!({"allowed": true, "reason": null}), calls));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsubscribed_teamtailor_candidates_may_not_be_emailed() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        let (tt, tt_conn) = teamtailor(app, "workspace").await;
        let settings = format!("/v1/connections/{tt_conn}/settings");
        app.expect("PUT", &settings, Some(&json!({"block_off_limits": true})), 200).await.unwrap();
        let id = tt.app().add_candidate("Alan", "Turing", "alan@example.com");
        tt.with_state(|st| st.candidates.get_mut(&id).unwrap().unsubscribed = true);
        tt.app().add_candidate("Joan", "Clarke", "joan@example.com");
        for (contact, email) in
            [("c-alan", "Alan@Example.com"), ("c-joan", "joan@example.com"), ("c-new", "x@example.com")]
        {
            app.expect("PUT", &format!("/v1/contacts/{contact}"), Some(&json!({"emails": [email]})), 201)
                .await
                .unwrap();
        }
        // Not synced anywhere: the person is found by email.
        let no = app.expect("GET", "/v1/contacts/c-alan/send-permission", None, 200).await.unwrap();
        assert_eq!((no["allowed"].as_bool(), no["reason"].as_str()), (Some(false), Some("Unsubscribed in Teamtailor")));
        let lookups = tt.core().requests_to("GET", "/v1/candidates");
        assert!(
            lookups.iter().any(|r| r.query.as_deref().is_some_and(|q| q.contains("alan%40example.com"))),
            "{lookups:?}"
        );
        for contact in ["c-joan", "c-new"] {
            let yes = app.expect("GET", &format!("/v1/contacts/{contact}/send-permission"), None, 200).await.unwrap();
            assert_eq!(yes, json!({"allowed": true, "reason": null}), "{contact}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_search_keeps_to_filterable_fields() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let app = &s.app;
        let settings = format!("/v1/connections/{}/settings", s.connection_id);
        app.expect("PUT", &settings, Some(&json!({"filterable_fields": ["tags", "company"]})), 200).await.unwrap();
        let sim = &s.sim;
        let a = sim.app().add_candidate("Ada", "Lovelace", "ada@example.com");
        let b = sim.app().add_candidate("Alan", "Turing", "alan@example.com");
        let c = sim.app().add_candidate("Joan", "Clarke", "joan@example.com");
        sim.with_state(|st| {
            for (id, tags, company) in
                [(a, vec!["Rust"], "Engines"), (b, vec!["Rust", "Go"], "Bletchley"), (c, vec![], "Engines")]
            {
                let mut cand = st.candidates.get_mut(&id).unwrap();
                cand.tags = tags.into_iter().map(String::from).collect();
                cand.company = Some(company.into());
            }
        });
        let path = format!("/v1/connections/{}/people", s.connection_id);
        let rust = app.expect("GET", &format!("{path}?tags=Rust"), None, 200).await.unwrap();
        let ids: Vec<&str> = rust.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        let mut want = vec![a.to_string(), b.to_string()];
        want.sort();
        let mut got: Vec<String> = ids.iter().map(|i| (*i).to_owned()).collect();
        got.sort();
        assert_eq!(got, want, "{rust}");
        assert_eq!(rust[0]["emails"].as_array().map(Vec::len), Some(1));
        let asked = sim.core().requests_to("GET", "/v3/candidates");
        assert!(asked.iter().any(|r| r.query.as_deref().is_some_and(|q| q.contains("tag=Rust"))), "{asked:?}");

        let both = app.expect("GET", &format!("{path}?tags=Rust&company=engines"), None, 200).await.unwrap();
        assert_eq!(both.as_array().unwrap().len(), 1, "{both}");
        assert_eq!(both[0]["id"], a.to_string());
        assert_eq!(both[0]["url"], format!("https://app.greenhouse.io/people/{a}"));

        let (status, body) = app.send("GET", &format!("{path}?title=CTO"), None).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("title")), "{body}");
        let (status, body) = app.send("GET", &path, None).await.unwrap();
        assert_eq!(status, 422, "{body}");
        let (status, body) = app.send("GET", &format!("{path}?tags="), None).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("tags")), "{body}");

        // Clockwork: the people list is walked and matched on the firm's own field names.
        let (cw, cw_conn) = clockwork(app, "user").await;
        let dnc = cw.app().add_person("Ada Lovelace", "ada@example.com");
        cw.app().add_person("Alan Turing", "alan@example.com");
        cw.app().set_do_not_contact(&dnc, true);
        let cw_settings = format!("/v1/connections/{cw_conn}/settings");
        app.expect("PUT", &cw_settings, Some(&json!({"filterable_fields": ["doNotContact", "name"]})), 200)
            .await
            .unwrap();
        let found =
            app.expect("GET", &format!("/v1/connections/{cw_conn}/people?doNotContact=true"), None, 200).await.unwrap();
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
        assert_eq!(found[0]["id"], dnc.as_str());
        let named = app
            .expect("GET", &format!("/v1/connections/{cw_conn}/people?name=alan%20turing"), None, 200)
            .await
            .unwrap();
        assert_eq!(named[0]["emails"], json!(["alan@example.com"]), "{named}");
        let searches = cw.core().requests_to("GET", "/v3.0/acme/people_search");
        let texts: Vec<_> = searches.iter().filter_map(|r| r.query.as_deref()).filter(|q| q.contains("q=")).collect();
        assert_eq!(texts.len(), 1, "one full-text search, its hit read as is: {texts:?}");
        assert!(texts[0].contains("q=alan+turing"), "{texts:?}");

        // Oneflow holds no people: search is refused, naming why.
        let of = sims::oneflow().await.unwrap();
        of.app().add_user("Robin", "robin@acme.io");
        let body = json!({"provider": "oneflow", "base_url": of.base_url(), "rate_limit": unthrottled(),
            "credentials": {"api_token": "of-token", "user_email": "robin@acme.io", "webhook_secret": "whsec"}});
        let of_conn = app.expect("POST", "/v1/connections", Some(&body), 201).await.unwrap();
        let (status, body) = app
            .send("GET", &format!("/v1/connections/{}/people?x=1", of_conn["id"].as_str().unwrap()), None)
            .await
            .unwrap();
        assert_eq!(status, 422, "{body}");
        assert!(body["detail"].as_str().unwrap().contains("not supported by Oneflow"), "{body}");
        // And lookup skips it.
        let entries = app.expect("GET", "/v1/lookup?email=ada@example.com", None, 200).await.unwrap();
        assert!(entries.as_array().unwrap().iter().all(|e| e["provider"] != "oneflow"), "{entries}");
    }
}
