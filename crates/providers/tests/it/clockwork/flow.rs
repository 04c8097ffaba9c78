use super::setup;
use hiresync_core::{Employment, NoteDraft, PersonDraft, PlacedStage, Target};
use hiresync_providers::clockwork::webhook;
use hiresync_testkit::{Polled, eventually};
use serde_json::json;
use std::time::Duration;

pub fn draft(email: &str) -> PersonDraft {
    PersonDraft {
        emails: vec![email.into()],
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        company: Some("Engines".into()),
        title: Some("Engineer".into()),
        phones: vec!["+44 20 7946 0000".into()],
        social: [("linkedin".to_owned(), "https://www.linkedin.com/in/ada".to_owned())].into(),
        tags: vec!["outreach".into()],
        ..PersonDraft::default()
    }
}

fn target(v: serde_json::Value) -> Target {
    serde_json::from_value::<Target>(v).unwrap()
}

#[tokio::test]
async fn a_person_is_created_found_and_updated_without_losing_data() {
    let s = setup().await;
    let created = s.provider.create_person(&draft("ada@example.com"), None).await.unwrap().person;
    let state = s.sim.state();
    let stored = &state.people[&created.id];
    assert_eq!(stored.name, "Ada Lovelace");
    assert_eq!(state.phones.len(), 1);
    assert_eq!(state.linkedin_urls.len(), 1);
    let position = state.positions.values().next().unwrap();
    assert_eq!((position.title.as_deref(), position.company_name.as_deref()), (Some("Engineer"), Some("Engines")));
    assert!(position.is_current);

    let found = s.provider.find_person_by_email("ADA@example.com").await.unwrap().unwrap();
    assert_eq!(found.id, created.id);
    assert_eq!(
        found.url.as_deref(),
        Some(format!("https://acme.clockworkrecruiting.com/people/{}", created.id).as_str())
    );
    assert_eq!((found.first_name.as_deref(), found.last_name.as_deref()), (Some("Ada"), Some("Lovelace")));

    s.sim.app().add_tag("Rust");
    let mut update = PersonDraft {
        emails: vec!["ada@example.com".into(), "ada@home.example".into()],
        tags: vec!["outreach".into(), "rust".into(), "brand-new".into()],
        ..PersonDraft::default()
    };
    update.fields.insert("nickName".into(), json!("Countess"));
    let updated = s.provider.update_person(&created.id, &update).await.unwrap();
    assert_eq!(updated.emails, ["ada@example.com", "ada@home.example"]);
    assert_eq!(updated.fields["tags"], json!(["outreach", "Rust", "brand-new"]));
    assert_eq!(updated.fields["nickName"], json!("Countess"));
    assert_eq!(updated.last_name.as_deref(), Some("Lovelace"), "a draft without names keeps the stored one");
    assert_eq!(s.sim.core().requests_to("POST", &format!("/v3.0/acme/people/{}/tags", created.id)).len(), 1);

    let before = s.sim.core().requests().len();
    let again = s.provider.update_person(&created.id, &update).await.unwrap();
    assert_eq!(again, updated);
    assert_eq!(s.sim.core().requests().len(), before + 1, "an unchanged draft costs one read");
}

#[tokio::test]
async fn lookup_counts_only_exact_addresses_and_opens_partial_hits() {
    let s = setup().await;
    assert_eq!(s.provider.find_person_by_email("ada@example.com").await.unwrap(), None);
    s.sim.app().add_person("Ada Byron", "ada.byron@example.com");
    let second = s.sim.app().add_person("Grace Hopper", "grace@navy.example");
    s.sim.app().add_email(&second, "amazing.grace@example.com");
    assert_eq!(s.provider.find_person_by_email("byron@example.com").await.unwrap(), None);
    let found = s.provider.find_person_by_email("Amazing.Grace@example.com").await.unwrap().unwrap();
    assert_eq!(found.id, second);
    assert_eq!(found.emails, ["grace@navy.example", "amazing.grace@example.com"]);
    assert_eq!(s.provider.find_person_by_email("  ").await.unwrap(), None);
}

#[tokio::test]
async fn placing_is_idempotent_and_moving_sets_the_status() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("grace@example.com"), None).await.unwrap().person;
    let on_project = target(json!({"project_id": s.project, "status_id": s.statuses[2]}));
    let placed = s.provider.place_person(&person.id, &on_project, false).await.unwrap();
    assert_eq!(placed.stage, PlacedStage::At(s.statuses[2].clone()));
    assert_eq!(s.provider.place_person(&person.id, &on_project, false).await.unwrap(), placed);
    assert_eq!(s.sim.state().candidacies.len(), 1);

    let other = s.sim.app().add_project("VP Engineering", "Pitch");
    let defaulted = s.provider.place_person(&person.id, &target(json!({"project_id": other})), false).await.unwrap();
    assert_eq!(defaulted.stage, PlacedStage::At(s.statuses[0].clone()), "Research is Clockwork's default");

    let hook = reqwest::Client::new()
        .post(format!("{}/v3.0/acme/webhooks", s.sim.base_url()))
        .header("authorization", format!("Token {}", base64_token()))
        .header("x-api-key", "firm-key")
        .json(&json!({"hook_url": "http://127.0.0.1:9/hooks/clockwork"}))
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), 201);
    s.provider.move_stage(&person.id, &placed, None, &s.statuses[5]).await.unwrap();
    s.provider.move_stage(&person.id, &placed, None, &s.statuses[5]).await.unwrap();
    assert_eq!(s.sim.state().candidacies[&placed.id].status_id.as_deref(), Some(s.statuses[5].as_str()));
    // A later change's event shows the unchanged move's turn has passed: it emitted nothing.
    s.provider.move_stage(&person.id, &placed, None, &s.statuses[4]).await.unwrap();

    {
        let mut statuses = eventually("the later change delivered", Duration::from_secs(5), || async {
            let statuses: Vec<Option<String>> = s
                .sim
                .core()
                .webhooks()
                .deliveries()
                .iter()
                .map(|d| webhook::parse(d.body.as_bytes()).unwrap().candidacy.unwrap())
                .inspect(|c| assert_eq!(c.id, placed.id))
                .map(|c| c.status_id)
                .collect();
            Ok(if statuses.contains(&Some(s.statuses[4].clone())) {
                Polled::Ready(statuses)
            } else {
                Polled::Waiting(format!("{statuses:?}"))
            })
        })
        .await
        .unwrap();
        // Deliveries are recorded as each is answered, not necessarily in the order they were sent.
        statuses.sort();
        let mut expected = vec![Some(s.statuses[5].clone()), Some(s.statuses[4].clone())];
        expected.sort();
        assert_eq!(statuses, expected, "an unchanged status emits nothing");
    }
}

fn base64_token() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode("cw-key:s3cret")
}

#[tokio::test]
async fn notes_are_written_once_on_the_person_record() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("linus@example.com"), None).await.unwrap().person;
    let note = NoteDraft {
        outreach_type: "message_sent".into(),
        note_type: None,
        subject: Some("Hello".into()),
        body: "Are you open to a chat?\nBest, Rita".into(),
        from: Some("rita@example.com".into()),
        to: Some("linus@example.com".into()),
        occurred_at: chrono::Utc::now(),
    };
    let first = s.provider.write_note(&person.id, &note).await.unwrap();
    assert_eq!(s.provider.find_note(&person.id, &note).await.unwrap(), Some(first.clone()), "read back");
    let task = NoteDraft { outreach_type: "task_completed".into(), subject: None, body: "Called".into(), ..note };
    s.provider.write_note(&person.id, &task).await.unwrap();
    let state = s.sim.state();
    assert_eq!(state.notes.len(), 2);
    let email = &state.notes[&first];
    assert_eq!(email.content, "<p><strong>Hello</strong></p><p>Are you open to a chat?<br>Best, Rita</p>");
    assert_eq!((email.category.as_deref(), email.content_type.as_str()), (Some("Email"), "text/html"));
    assert!(state.notes.values().any(|n| n.category.as_deref() == Some("Follow Up")));
}

#[tokio::test]
async fn history_is_replaced_by_deleting_and_creating_only_differences() {
    let s = setup().await;
    let person = s
        .provider
        .create_person(&PersonDraft { company: None, ..draft("barbara@example.com") }, None)
        .await
        .unwrap()
        .person;
    assert!(s.sim.state().positions.is_empty(), "no company, no role");
    let role = |c: &str, start: &str, end: Option<&str>| Employment {
        company: Some(c.into()),
        title: Some("Engineer".into()),
        start: Some(start.into()),
        end: end.map(Into::into),
    };
    s.provider
        .write_history(&person.id, &[role("A", "2020-01", None), role("B", "2015", Some("2019-12"))])
        .await
        .unwrap();
    let wanted = [role("C", "2024-02-01", None), role("A", "2020-01", Some("2024-01"))];
    s.provider.write_history(&person.id, &wanted).await.unwrap();
    let mut rows: Vec<_> = s
        .sim
        .state()
        .positions
        .values()
        .map(|p| (p.company_name.clone().unwrap(), p.start_year, p.start_month, p.end_year, p.is_current))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [("A".into(), Some(2020), Some(1), Some(2024), false), ("C".into(), Some(2024), Some(2), None, true)]
    );
    s.provider.write_history(&person.id, &wanted).await.unwrap();
    let positions = format!("/v3.0/acme/people/{}/positions", person.id);
    assert_eq!(s.sim.core().requests_to("POST", &positions).len(), 4);
    assert_eq!(s.sim.core().requests_to("DELETE", &positions).len(), 2);
}

#[tokio::test]
async fn targets_are_open_projects_with_the_firms_statuses() {
    let s = setup().await;
    s.sim.app().add_project("VP Engineering", "Pitch");
    s.sim.app().add_project("Board search", "On Hold");
    s.sim.app().add_project("Old search", "Closed");
    let targets = s.provider.list_targets().await.unwrap();
    let names: Vec<_> = targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["CFO, Analytical Engines", "VP Engineering", "Board search"]);
    let first = &targets[0];
    assert_eq!((first.kind.as_str(), first.status.as_deref()), ("project", Some("Active")));
    assert_eq!(first.target.id("project_id"), Some(s.project.clone()));
    assert_eq!(first.target.id("status_id"), Some(s.statuses[0].clone()));
    assert_eq!(first.stages.len(), 23);
    assert_eq!(first.stages[18].1, "On Hold");
}

#[tokio::test]
async fn do_not_contact_is_reported_as_off_limits_and_capabilities_are_honest() {
    let s = setup().await;
    let person = s.sim.app().add_person("Kept Away", "away@example.com");
    assert_eq!(s.provider.off_limits(&person).await.unwrap(), None);
    s.sim.app().set_do_not_contact(&person, true);
    assert_eq!(s.provider.off_limits(&person).await.unwrap().as_deref(), Some("Do Not Contact"));
    let found = s.provider.find_person_by_email("away@example.com").await.unwrap().unwrap();
    assert_eq!(found.fields["doNotContact"], json!(true));
    let caps = s.provider.capabilities();
    assert!(caps.off_limits && caps.targets && caps.stages && caps.notes && caps.history && caps.list_people);
    assert!(caps.custom_fields && !caps.email_records);
    assert!(s.provider.custom_fields().await.unwrap().is_empty());
    let (level, options) = s.sim.app().add_custom_field("Level", "single_select", &["Junior", "Senior"]);
    let fields = s.provider.custom_fields().await.unwrap();
    assert_eq!((fields[0].key.clone(), fields[0].name.as_str()), (format!("custom_fields.{level}"), "Level"));
    assert_eq!(fields[0].options.iter().map(|o| o.id.clone()).collect::<Vec<_>>(), options);
    assert_eq!(s.provider.kind(), hiresync_core::ProviderKind::Clockwork);
}
