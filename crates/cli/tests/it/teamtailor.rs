//! Teamtailor as a sync target through the same engine (issue 6, part 1),
//! driven over HTTP as the outreach app would, asserting on the Teamtailor
//! simulator's state.

use crate::support::*;
use hiresync_testkit::sims::teamtailor_connection as connection;
use hiresync_testkit::{databases, wait_idle};
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) fn event(id: &str, kind: &str, contact: &str, data: &Value) -> Value {
    json!({"id": id, "type": kind, "occurred_at": "2026-11-23T09:00:00Z", "contact": contact, "sequence": "backend",
        "data": data})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_candidates_are_sourced_placed_moved_noted_and_custom_fields_filled() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let (status, body) = app.send("POST", "/v1/connections", Some(&connection(&tt.sim, "nope"))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("credentials")), "{body}");

        let targets =
            app.expect("GET", &format!("/v1/connections/{}/targets", tt.connection_id), None, 200).await.unwrap();
        assert_eq!(targets[0]["name"], "Backend Developer");
        let salary =
            tt.sim.app().add_custom_field("salary-expectation", "Salary expectation", "CustomField::Text", &[]);
        let (job, stages) = (tt.job.id.to_string(), &tt.job.stage_ids);
        let settings = json!({
            "default_target": {"job_id": job, "stage_id": stages[0].to_string()},
            "dedup_warning": true,
            "stage_map": {"replied": stages[1].to_string()},
            "field_map": [{"source": "variables.salary", "targets": ["salary-expectation"]}],
            "mandatory_fields": ["first_name"],
        });
        app.expect("PUT", &format!("/v1/connections/{}/settings", tt.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();

        let grace = tt.sim.app().add_candidate("Grace", "Hopper", "grace@example.com");
        for (id, email, first, salary) in [
            ("alan", "alan@example.com", Some("Alan"), Some("70k")),
            ("grace", "grace@example.com", Some("Grace"), None),
            ("anon", "anon@example.com", None, None),
        ] {
            let mut body = json!({"emails": [email], "first_name": first, "last_name": "Test"});
            if let Some(s) = salary {
                body["variables"] = json!({"salary": s});
            }
            app.expect("PUT", &format!("/v1/contacts/{id}"), Some(&body), 201).await.unwrap();
        }
        let events = json!([
            event("1", "contact_added", "alan", &json!({})),
            event("2", "contact_added", "grace", &json!({})),
            event("3", "contact_added", "anon", &json!({})),
            event("4", "message_sent", "alan", &json!({"subject": "Backend role", "body": "Hi Alan", "step": 1})),
            event("5", "reply_received", "alan", &json!({"subject": "Re: Backend role", "body": "Keen!"})),
            event("6", "reply_received", "alan", &json!({"subject": "Re: Backend role", "body": "Still keen"})),
        ]);
        app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();

        let state = tt.sim.state();
        let alan = state.candidate_by_email("alan@example.com").expect("Alan is a Teamtailor candidate").clone();
        let apps: Vec<_> = state.job_applications.values().filter(|a| a.candidate_id == alan.id).collect();
        assert_eq!(apps.len(), 1);
        assert!(apps[0].sourced, "outreach applications are sourced (the candidate's flag is read-only)");
        assert_eq!((apps[0].job_id, apps[0].stage_id), (tt.job.id, stages[1]), "his reply moved him to Phone screen");
        let notes: Vec<&str> =
            state.notes.values().filter(|n| n.candidate_id == alan.id).map(|n| n.note.as_str()).collect();
        assert_eq!(notes.len(), 2, "the sent message and the first reply: {notes:?}");
        let value =
            state.custom_field_values.values().find(|v| v.candidate_id == alan.id && v.custom_field_id == salary.id);
        assert_eq!(value.map(|v| v.value.clone()), Some(json!("70k")));
        let sync = app.expect("GET", "/v1/contacts/alan/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["person_id"], alan.id.to_string());
        assert!(sync[0]["person_url"].as_str().unwrap().ends_with(&format!("/candidates/{}", alan.id)));

        let graces = state.candidates.values().filter(|c| c.email.as_deref() == Some("grace@example.com")).count();
        assert_eq!(graces, 1, "Grace is linked, not duplicated");
        let sync = app.expect("GET", "/v1/contacts/grace/sync", None, 200).await.unwrap();
        assert_eq!(
            (sync[0]["person_id"].clone(), sync[0]["errors"].clone()),
            (json!(grace.to_string()), json!(["Exists in Teamtailor"]))
        );

        assert!(state.candidate_by_email("anon@example.com").is_none(), "a missing mandatory field blocks the sync");
        let sync = app.expect("GET", "/v1/contacts/anon/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "skipped");
        assert!(sync[0]["reason"].as_str().unwrap().contains("first_name"), "{sync}");

        let lookup = app.expect("GET", "/v1/lookup?email=alan@example.com", None, 200).await.unwrap();
        assert_eq!(lookup[0]["message"], "Duplicate found in Teamtailor");
    }
}

/// Issue 25: one normalisation of emails everywhere. Teamtailor finds `Émile@…` for `émile@…`,
/// and hiresync must take that answer as the same person rather than create a duplicate.
#[tokio::test]
async fn a_candidate_whose_email_differs_only_in_non_ascii_case_is_linked_not_duplicated() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let settings = json!({"default_target": {"job_id": tt.job.id.to_string()}});
        app.expect("PUT", &format!("/v1/connections/{}/settings", tt.connection_id), Some(&settings), 200)
            .await
            .unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();
        let emile = tt.sim.app().add_candidate("Émile", "Zola", "Émile@example.com");
        let body = json!({"emails": ["ÉMILE@example.com"], "first_name": "Émile", "last_name": "Zola"});
        app.expect("PUT", "/v1/contacts/emile", Some(&body), 201).await.unwrap();
        app.expect("POST", "/v1/events", Some(&json!([event("1", "contact_added", "emile", &json!({}))])), 202)
            .await
            .unwrap();
        let c = wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        assert_eq!(c.dead, 0, "{}", db.backend);
        let sync = app.expect("GET", "/v1/contacts/emile/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["person_id"], emile.to_string(), "{}: {sync}", db.backend);
        assert_eq!(tt.sim.state().candidates.len(), 1, "{}: no second Émile", db.backend);
    }
}
