//! Teamtailor keeps what a contact holds (issue 29 item 5; SPEC M1, S5, A4):
//! secondary emails and phones, social links beyond LinkedIn, company, title
//! and location reach custom fields as the field map says; records hiresync
//! made are not flagged "Exists in Teamtailor"; note types are honoured.

use crate::support::*;
use crate::teamtailor::event;
use hiresync_testkit::sims::teamtailor_connection;
use hiresync_testkit::{databases, wait_idle};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamtailor_gets_every_detail_the_field_map_names_and_flags_only_records_it_did_not_make() {
    for db in databases().await.unwrap() {
        let tt = harness(&db).teamtailor().await.unwrap();
        let app = &tt.app;
        let fields = [
            ("secondary-email", "CustomField::Email"),
            ("other-emails", "CustomField::Text"),
            ("secondary-phone", "CustomField::Phone"),
            ("github", "CustomField::Url"),
            ("twitter", "CustomField::Url"),
            ("current-company", "CustomField::Text"),
            ("job-title", "CustomField::Text"),
            ("city", "CustomField::Text"),
        ];
        let ids: BTreeMap<i64, &str> = fields
            .iter()
            .map(|(api_name, kind)| (tt.sim.app().add_custom_field(api_name, api_name, kind, &[]).id, *api_name))
            .collect();
        let settings = json!({
            "default_target": {"job_id": tt.job.id},
            "dedup_warning": true,
            "notes_for": ["message_sent", "reply_received"],
            "note_types": {"message_sent": "private", "reply_received": "Note"},
            "field_map": [
                {"source": "emails", "targets": ["email", "secondary-email", "other-emails"]},
                {"source": "phones", "targets": ["phone", "secondary-phone"]},
                {"source": "social.github", "targets": ["github"]},
                {"source": "social.twitter", "targets": ["twitter"]},
                {"source": "company", "targets": ["current-company"]},
                {"source": "title", "targets": ["job-title"]},
                {"source": "location", "targets": ["city"]},
            ],
        });
        let path = format!("/v1/connections/{}/settings", tt.connection_id);
        let (status, body) =
            app.send("PUT", &path, Some(&json!({"note_types": {"message_sent": "memo"}}))).await.unwrap();
        assert_eq!((status.as_u16(), body["errors"][0]["field"].as_str()), (422, Some("note_types.message_sent")));
        app.expect("PUT", &path, Some(&settings), 200).await.unwrap();
        app.expect("PUT", "/v1/sequences/backend", Some(&json!({"name": "Backend"})), 201).await.unwrap();

        let grace = tt.sim.app().add_candidate("Grace", "Hopper", "grace@example.com");
        let ada = json!({
            "emails": ["ada@engines.example", "ada@home.example", "countess@home.example"],
            "first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines", "title": "CTO",
            "location": "London, UK", "phones": ["+44 20 7946 0001", "+44 7700 900001"],
            "social": {"linkedin": "https://www.linkedin.com/in/ada", "github": "https://github.com/ada",
                "twitter": "https://twitter.com/ada"},
        });
        app.expect("PUT", "/v1/contacts/ada", Some(&ada), 201).await.unwrap();
        let grace_contact = json!({"emails": ["grace@example.com"], "first_name": "Grace", "last_name": "Hopper"});
        app.expect("PUT", "/v1/contacts/grace", Some(&grace_contact), 201).await.unwrap();
        let events = json!([
            event("1", "contact_added", "ada", &json!({})),
            event("2", "contact_added", "grace", &json!({})),
            event("3", "message_sent", "ada", &json!({"subject": "Hello", "body": "Hi Ada", "step": 1})),
            event("4", "reply_received", "ada", &json!({"subject": "Re: Hello", "body": "Keen"})),
        ]);
        app.expect("POST", "/v1/events", Some(&events), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();

        // The same company, shared with the workspace later: a resync finds Ada by email there.
        let mut shared = teamtailor_connection(&tt.sim, "tt-key");
        shared["scope"] = json!("workspace");
        let shared = app.connect(&shared).await.unwrap();
        let shared_settings = json!({"default_target": {"job_id": tt.job.id}, "dedup_warning": true});
        app.expect("PUT", &format!("/v1/connections/{shared}/settings"), Some(&shared_settings), 200).await.unwrap();
        let resync = json!({"connection_id": shared, "contacts": ["ada", "grace"]});
        app.expect("POST", "/v1/resyncs", Some(&resync), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(120)).await.unwrap();

        let state = tt.sim.state();
        let adas: Vec<_> =
            state.candidates.values().filter(|c| c.email.as_deref() == Some("ada@engines.example")).collect();
        assert_eq!(adas.len(), 1, "one record for both connections");
        let c = adas[0];
        assert_eq!(c.phone.as_deref(), Some("+44 20 7946 0001"));
        assert_eq!(c.linkedin_url.as_deref(), Some("https://www.linkedin.com/in/ada"));
        let values: BTreeMap<&str, serde_json::Value> = state
            .custom_field_values
            .values()
            .filter(|v| v.candidate_id == c.id)
            .map(|v| (ids[&v.custom_field_id], v.value.clone()))
            .collect();
        assert_eq!(
            values,
            BTreeMap::from([
                ("city", json!("London, UK")),
                ("current-company", json!("Analytical Engines")),
                ("github", json!("https://github.com/ada")),
                ("job-title", json!("CTO")),
                ("other-emails", json!("countess@home.example")),
                ("secondary-email", json!("ada@home.example")),
                ("secondary-phone", json!("+44 7700 900001")),
                ("twitter", json!("https://twitter.com/ada")),
            ])
        );

        // S5: Grace was there before; Ada is hiresync's own, whichever connection found her.
        let sync = app.expect("GET", "/v1/contacts/ada/sync", None, 200).await.unwrap();
        assert_eq!(sync.as_array().unwrap().len(), 2, "{sync}");
        for s in sync.as_array().unwrap() {
            assert_eq!((s["state"].as_str(), &s["errors"]), (Some("synced"), &json!([])), "{sync}");
        }
        let sync = app.expect("GET", "/v1/contacts/grace/sync", None, 200).await.unwrap();
        assert!(sync.as_array().unwrap().iter().all(|s| s["errors"] == json!(["Exists in Teamtailor"])), "{sync}");
        assert_eq!(sync[0]["person_id"], json!(grace.to_string()));

        // A4: the message went in as a private note, the reply as a note the team sees (the shared
        // connection's backfill maps no note types, so its own notes are plain ones).
        let mut notes: Vec<(bool, &str)> = state
            .notes
            .values()
            .filter(|n| n.candidate_id == c.id)
            .map(|n| (n.private_note, n.note.lines().next().unwrap_or_default()))
            .collect();
        notes.sort();
        notes.dedup();
        assert_eq!(notes, [(false, "Hello"), (false, "Re: Hello"), (true, "Hello")], "{notes:?}");
    }
}
