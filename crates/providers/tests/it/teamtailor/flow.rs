use super::{client, setup};
use hiresync_core::{NoteDraft, PersonDraft, PlacedStage, Target};
use hiresync_providers::{ErrorKind, Placement};
use serde_json::json;

fn target(job: i64, stage: Option<i64>) -> Target {
    let mut t = json!({ "job_id": job.to_string() });
    if let Some(stage) = stage {
        t["stage_id"] = json!(stage.to_string());
    }
    serde_json::from_value::<Target>(t).unwrap()
}

fn note(body: &str) -> NoteDraft {
    NoteDraft {
        outreach_type: "message_sent".into(),
        note_type: None,
        subject: Some("Intro".into()),
        body: body.into(),
        from: None,
        to: None,
        occurred_at: chrono::Utc::now(),
    }
}

#[tokio::test]
async fn a_person_is_created_found_updated_and_linked() {
    let s = setup().await;
    let field = s.sim.app().add_custom_field("github-profile", "Github profile", "CustomField::Url", &[]);
    let langs = s.sim.app().add_custom_field("languages", "Languages", "CustomField::MultiSelect", &["Rust", "Go"]);
    assert_eq!(s.provider.find_person_by_email("ada@example.com").await.unwrap(), None);
    let mut draft = PersonDraft {
        emails: vec!["ada@example.com".into()],
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phones: vec!["+44 20 7946 0000".into()],
        tags: vec!["rust".into()],
        ..PersonDraft::default()
    };
    draft.fields.insert("github-profile".into(), json!("https://github.com/ada"));
    draft.fields.insert("languages".into(), json!(["Rust", "go"]));
    let created = s.provider.create_person(&draft, None).await.unwrap().person;
    let found = s.provider.find_person_by_email("ADA@example.com").await.unwrap().unwrap();
    assert_eq!(found.id, created.id);
    assert_eq!(found.fields.get("phone"), Some(&json!("+44 20 7946 0000")));
    let state = s.sim.state();
    let values: Vec<_> = state.custom_field_values.values().map(|v| (v.custom_field_id, v.value.clone())).collect();
    assert!(values.contains(&(field.id, json!("https://github.com/ada"))));
    let option_ids: Vec<String> = langs.option_ids.iter().map(i64::to_string).collect();
    assert!(values.contains(&(langs.id, json!(option_ids))));

    let posted = s.sim.core().requests_to("POST", "/v1/candidates")[0].json().unwrap();
    assert_eq!(posted["data"]["attributes"]["merge"], json!(true));
    assert_eq!(posted["data"]["attributes"]["first-name"], json!("Ada"));

    draft.tags = vec!["math".into()];
    draft.fields.insert("github-profile".into(), json!("https://github.com/countess"));
    let updated = s.provider.update_person(&created.id, &draft).await.unwrap();
    assert_eq!(updated.fields.get("tags"), Some(&json!(["rust", "math"])));
    let state = s.sim.state();
    assert_eq!(state.custom_field_values.len(), 2, "existing values are updated in place");
    assert!(state.custom_field_values.values().any(|v| v.value == json!("https://github.com/countess")));

    s.sim.core().clear_requests();
    s.provider.update_person(&created.id, &draft).await.unwrap();
    assert!(s.sim.core().requests_to("PATCH", "/v1/").is_empty(), "an unchanged person writes nothing");
    assert!(s.sim.core().requests_to("POST", "/v1/").is_empty());
}

#[tokio::test]
async fn an_unknown_or_mistyped_custom_field_is_a_permanent_error() {
    let s = setup().await;
    s.sim.app().add_custom_field("start", "Start", "CustomField::Date", &[]);
    let id = s.sim.app().add_candidate("A", "B", "ab@example.com").to_string();
    let mut draft = PersonDraft::default();
    draft.fields.insert("nope".into(), json!("x"));
    let err = s.provider.update_person(&id, &draft).await.unwrap_err();
    assert!(err.message.contains("no custom field `nope`"));
    draft.fields.clear();
    draft.fields.insert("start".into(), json!("next week"));
    assert_eq!(s.provider.update_person(&id, &draft).await.unwrap_err().kind(), ErrorKind::Permanent);
}

#[tokio::test]
async fn placing_lands_in_the_inbox_moves_and_never_applies_twice() {
    let s = setup().await;
    let id = s.sim.app().add_candidate("Ada", "Lovelace", "ada@example.com").to_string();
    let inbox = s.job.stage_ids[0];
    let screen = s.job.stage_ids[1];
    let placement = s.provider.place_person(&id, &target(s.job.id, None), false).await.unwrap();
    assert_eq!(placement.stage, PlacedStage::At(inbox.to_string()));
    let again = s.provider.place_person(&id, &target(s.job.id, Some(screen)), false).await.unwrap();
    assert_eq!(again.id, placement.id, "the existing application is reused");
    assert_eq!(s.sim.state().job_applications.len(), 1);

    s.sim.core().clear_requests();
    let moved = s.provider.move_stage(&id, &placement, None, &screen.to_string()).await.unwrap();
    assert_eq!(s.sim.core().requests().len(), 1, "the stage known, the move is one write");
    let app_id: i64 = placement.id.parse().unwrap();
    assert_eq!(s.sim.state().job_applications[&app_id].stage_id, screen);
    s.sim.core().clear_requests();
    s.provider.move_stage(&id, &moved, None, &screen.to_string()).await.unwrap();
    assert!(s.sim.core().requests().is_empty(), "already there: nothing sent");
    let unknown = Placement { id: placement.id.clone(), stage: PlacedStage::Unknown };
    s.provider.move_stage(&id, &unknown, None, &screen.to_string()).await.unwrap();
    assert!(s.sim.core().requests_to("PATCH", "/v1/").is_empty(), "read, found there: no write");

    let other = s.sim.app().add_job("Other", &[]);
    let err = s.provider.move_stage(&id, &moved, None, &other.stage_ids[0].to_string()).await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(422)));
}

#[tokio::test]
async fn a_placement_may_start_at_a_later_stage() {
    let s = setup().await;
    let id = s.sim.app().add_candidate("Ada", "Lovelace", "ada@example.com").to_string();
    let offer = s.job.stage_ids[2];
    let placement = s.provider.place_person(&id, &target(s.job.id, Some(offer)), false).await.unwrap();
    assert_eq!(placement.stage, PlacedStage::At(offer.to_string()));
    let app_id: i64 = placement.id.parse().unwrap();
    assert_eq!(s.sim.state().job_applications[&app_id].stage_id, offer);
    let posted = s.sim.core().requests_to("POST", "/v1/job-applications")[0].json().unwrap();
    assert_eq!(posted["data"]["relationships"]["job"]["data"]["id"], json!(s.job.id.to_string()));
    assert_eq!(posted["data"]["attributes"]["send-user-notifications"], json!(false));
}

#[tokio::test]
async fn notes_are_written_once_with_their_subject() {
    let s = setup().await;
    let id = s.sim.app().add_candidate("Ada", "Lovelace", "ada@example.com").to_string();
    let first = s.provider.write_note(&id, &note("Hello Ada")).await.unwrap();
    let second = s.provider.find_note(&id, &note("Hello Ada")).await.unwrap().unwrap();
    assert_eq!(first, second);
    let notes: Vec<_> = s.sim.state().notes.into_values().collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].note, "Intro\n\nHello Ada");
}

#[tokio::test]
async fn targets_list_open_jobs_with_ordered_stages() {
    let s = setup().await;
    s.sim.app().add_job_with_status("Archived", "archived", &[]);
    s.sim.app().add_job_with_status("Hidden", "unlisted", &[]);
    let targets = s.provider.list_targets().await.unwrap();
    let names: Vec<_> = targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Rust Engineer", "Hidden"]);
    let stages: Vec<_> = targets[0].stages.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(stages, ["Inbox", "Phone screen", "Offer", "Hired"]);
    assert_eq!(targets[0].target.id("stage_id"), Some(s.job.stage_ids[0].to_string()));
    assert_eq!(targets[0].status.as_deref(), Some("published"));
}

#[tokio::test]
async fn custom_fields_list_with_their_options_and_off_limits_reads_unsubscribed() {
    let s = setup().await;
    s.sim.app().add_custom_field("level", "Level", "CustomField::Select", &["Junior", "Senior"]);
    s.sim.app().add_custom_field("remote", "Remote?", "CustomField::Checkbox", &[]);
    let fields = s.provider.custom_fields().await.unwrap();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0].key, "level");
    assert_eq!(fields[0].options.iter().map(|o| o.label.as_str()).collect::<Vec<_>>(), ["Junior", "Senior"]);
    assert!(fields[0].options.iter().all(|o| !o.id.is_empty()), "options carry their ids");
    assert_eq!(fields[1].value_type, "CustomField::Checkbox");

    let id = s.sim.app().add_candidate("A", "B", "ab@example.com");
    assert_eq!(s.provider.off_limits(&id.to_string()).await.unwrap(), None);
    s.sim.with_state(|st| st.candidates.get_mut(&id).unwrap().unsubscribed = true);
    assert_eq!(s.provider.off_limits(&id.to_string()).await.unwrap().as_deref(), Some("Unsubscribed in Teamtailor"));
    assert_eq!(s.provider.write_history(&id.to_string(), &[]).await.unwrap_err().kind(), ErrorKind::Permanent);
    assert!(!s.provider.capabilities().history && s.provider.capabilities().off_limits);
}

#[tokio::test]
async fn the_contracts_feature_reads_and_writes_custom_fields_and_attaches_files() {
    let s = setup().await;
    let salary = s.sim.app().add_custom_field("salary", "Salary", "CustomField::Number", &[]);
    let id = s.sim.app().add_candidate("Ada", "Lovelace", "ada@example.com");
    let client = client(&s.sim);
    let cid = id.to_string();
    assert!(client.candidate_custom_field_values(&cid).await.unwrap().is_empty());
    let created = client.upsert_custom_field_value(&cid, &salary.id.to_string(), &json!(52000)).await.unwrap();
    let values = client.candidate_custom_field_values(&cid).await.unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].field.as_ref().unwrap().attributes.api_name.as_deref(), Some("salary"));
    assert_eq!(values[0].value.attributes.value, json!(52000));
    let updated = client.upsert_custom_field_value(&cid, &salary.id.to_string(), &json!(55000)).await.unwrap();
    assert_eq!(updated.id, created.id);
    s.sim.core().clear_requests();
    client.upsert_custom_field_value(&cid, &salary.id.to_string(), &json!(55000)).await.unwrap();
    assert!(s.sim.core().requests_to("PATCH", "/v1/").is_empty(), "a replay writes nothing");

    let upload =
        client.create_upload(&cid, "https://files.example.com/offer.pdf", "Offer (signed).pdf", true).await.unwrap();
    assert_eq!(upload.attributes.file_name.as_deref(), Some("Offer (signed).pdf"));
    let uploads = client.candidate_uploads(&cid).await.unwrap();
    assert_eq!((uploads.len(), uploads[0].attributes.internal), (1, Some(true)));
    let err = client.create_upload(&cid, "ftp://x/y.pdf", "y.pdf", false).await.unwrap_err();
    assert_eq!(err.status, Some(422));
}
