use super::setup;
use hiresync_core::{Employment, NoteDraft, PersonDraft, PlacedStage, Target};
use hiresync_providers::Placement;
use serde_json::json;

fn draft(email: &str) -> PersonDraft {
    PersonDraft {
        emails: vec![email.into()],
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        company: Some("Engines".into()),
        title: Some("Engineer".into()),
        tags: vec!["outreach".into()],
        as_prospect: true,
        ..PersonDraft::default()
    }
}

fn target(v: serde_json::Value) -> Target {
    serde_json::from_value::<Target>(v).unwrap()
}

#[tokio::test]
async fn a_prospect_is_created_found_and_updated_without_losing_data() {
    let s = setup().await;
    s.sim.app().add_custom_field("seniority", "Seniority", "single_select", &["Junior", "Senior"]);
    s.sim.app().add_custom_field("source_channel", "Source channel", "short_text", &[]);
    let created = s.provider.create_person(&draft("ada@example.com"), None).await.unwrap().person;
    assert!(created.id.parse::<i64>().unwrap() > i64::from(u32::MAX));
    let state = s.sim.state();
    assert!(state.applications.values().any(|a| a.prospect && a.candidate_id.to_string() == created.id));

    let found = s.provider.find_person_by_email("ADA@example.com").await.unwrap().unwrap();
    assert_eq!(found.id, created.id);
    assert_eq!(found.url.as_deref(), Some(s.provider.person_url(&created.id).as_str()));

    let mut first = PersonDraft { tags: vec!["rust".into()], ..PersonDraft::default() };
    first.fields.insert("seniority".into(), json!("Senior"));
    s.provider.update_person(&created.id, &first).await.unwrap();
    let mut second = PersonDraft { emails: vec!["ada@home.example".into()], ..PersonDraft::default() };
    second.fields.insert("source_channel".into(), json!("LinkedIn"));
    let updated = s.provider.update_person(&created.id, &second).await.unwrap();

    assert_eq!(updated.emails, ["ada@example.com", "ada@home.example"]);
    assert_eq!(updated.fields["tags"], json!(["outreach", "rust"]));
    assert_eq!(updated.fields["seniority"], json!("Senior"));
    assert_eq!(updated.fields["source_channel"], json!("LinkedIn"));
}

#[tokio::test]
async fn placing_and_moving_is_idempotent_on_pools_and_jobs() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("grace@example.com"), None).await.unwrap().person;
    let pool = target(json!({"prospect_pool_id": s.pool.id, "prospect_pool_stage_id": s.pool.stage_ids[0]}));
    let placed = s.provider.place_person(&person.id, &pool, false).await.unwrap();
    assert_eq!(s.provider.place_person(&person.id, &pool, false).await.unwrap().id, placed.id);
    assert_eq!(s.sim.state().applications.len(), 1, "the jobless prospect application was reused");
    s.provider.move_stage(&person.id, &placed, None, &s.pool.stage_ids[2].to_string()).await.unwrap();
    let detail = s.sim.state().prospect_details.values().next().cloned().unwrap();
    assert_eq!(detail.pool_stage_id, Some(s.pool.stage_ids[2]));

    let job = target(json!({"job_id": s.job.id, "stage_id": s.job.stage_ids[0]}));
    let on_job = s.provider.place_person(&person.id, &job, false).await.unwrap();
    assert_eq!(on_job.stage, PlacedStage::At(s.job.stage_ids[0].to_string()));
    assert_eq!(s.provider.place_person(&person.id, &job, false).await.unwrap().id, on_job.id);
    let to = s.job.stage_ids[1].to_string();
    s.sim.core().clear_requests();
    let moved = s.provider.move_stage(&person.id, &on_job, Some(&job), &to).await.unwrap();
    assert_eq!(moved, Placement { id: on_job.id.clone(), stage: PlacedStage::At(to.clone()) });
    assert_eq!(s.sim.core().requests().len(), 1, "target and stage known, the move is one request");
    s.provider.move_stage(&person.id, &moved, Some(&job), &to).await.unwrap();
    assert_eq!(s.sim.core().requests().len(), 1, "already there: nothing sent");
    // A stage gone stale (someone moved it since): Greenhouse refuses the move, the stage is read.
    s.provider.move_stage(&person.id, &on_job, Some(&job), &to).await.unwrap();
    let state = s.sim.state();
    let current = state.current_stage(on_job.id.parse().unwrap()).unwrap();
    assert_eq!(current.job_interview_stage_id, s.job.stage_ids[1]);
    assert_eq!(s.sim.core().requests_to("GET", "/v3/application_stages").len(), 1);
    let unknown = Placement { id: on_job.id.clone(), stage: PlacedStage::Unknown };
    s.provider.move_stage(&person.id, &unknown, Some(&job), &to).await.unwrap();
    assert_eq!(s.sim.core().requests_to("GET", "/v3/application_stages").len(), 2, "not known: read first");
    let moves = s.sim.core().requests_to("POST", "/v3/applications/");
    assert_eq!(moves.iter().filter(|r| r.status == 200).count(), 1, "moved once");
}

#[tokio::test]
async fn a_person_and_their_placement_are_created_in_one_request() {
    let s = setup().await;
    let job = target(json!({"job_id": s.job.id, "stage_id": s.job.stage_ids[1]}));
    let prospect = s.provider.create_person(&draft("ada@example.com"), Some(&job)).await.unwrap();
    let candidate = PersonDraft { as_prospect: false, ..draft("grace@example.com") };
    let applied = s.provider.create_person(&candidate, Some(&job)).await.unwrap();
    let pool = target(json!({"prospect_pool_id": s.pool.id, "prospect_pool_stage_id": s.pool.stage_ids[1]}));
    let pooled = s.provider.create_person(&draft("linus@example.com"), Some(&pool)).await.unwrap();
    assert_eq!(s.sim.core().requests_to("POST", "/v3/").len(), 3, "one write per person, placement included");
    let state = s.sim.state();
    assert_eq!(state.applications.len(), 3);
    let app =
        |p: &hiresync_providers::Created| state.applications[&p.placement.clone().unwrap().id.parse().unwrap()].clone();
    let considered = app(&prospect);
    assert!(considered.prospect && considered.job_id.is_none());
    assert_eq!(considered.prospective_job_ids, [s.job.id]);
    let on_job = app(&applied);
    assert!(!on_job.prospect);
    assert_eq!(state.current_stage(on_job.id).unwrap().job_interview_stage_id, s.job.stage_ids[1]);
    assert_eq!(state.prospect_detail(app(&pooled).id).unwrap().pool_stage_id, Some(s.pool.stage_ids[1]));

    // A prospect considered for the job reaching a job stage (named) becomes a candidate on the job.
    let placement = prospect.placement.unwrap();
    let converted = s.provider.move_stage(&prospect.person.id, &placement, Some(&job), "phone screen").await.unwrap();
    let state = s.sim.state();
    assert_eq!(state.applications[&placement.id.parse().unwrap()].status, "converted");
    let new_id: i64 = converted.id.parse().unwrap();
    assert_eq!(state.current_stage(new_id).unwrap().job_interview_stage_id, s.job.stage_ids[1]);
    // Asked again with the old placement (its answer lost), the conversion is found, not repeated.
    let again = s.provider.move_stage(&prospect.person.id, &placement, Some(&job), "Phone Screen").await.unwrap();
    assert_eq!(again.id, converted.id);
    let applied_at = applied.placement.clone().unwrap();
    let e = s.provider.move_stage(&applied.person.id, &applied_at, Some(&job), "Hired").await.unwrap_err();
    assert!(e.message.contains("Application Review, Phone Screen, Offer"), "{}", e.message);
}

#[tokio::test]
async fn notes_and_email_records_are_written_once() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("linus@example.com"), None).await.unwrap().person;
    let email = NoteDraft {
        outreach_type: "message_sent".into(),
        note_type: Some("email".into()),
        subject: Some("Hello".into()),
        body: "Are you open to a chat?".into(),
        from: Some("rita@example.com".into()),
        to: Some("linus@example.com".into()),
        occurred_at: chrono::Utc::now(),
    };
    let first = s.provider.write_note(&person.id, &email).await.unwrap();
    assert_eq!(s.provider.find_note(&person.id, &email).await.unwrap(), Some(first.clone()), "read back");
    let note = NoteDraft {
        note_type: None,
        from: None,
        to: None,
        subject: None,
        body: "Replied positively".into(),
        ..email.clone()
    };
    s.provider.write_note(&person.id, &note).await.unwrap();
    let state = s.sim.state();
    assert_eq!(state.notes.len(), 2);
    let recorded = state.notes.values().find(|n| n.kind == "EMAIL").unwrap();
    assert_eq!((recorded.email_to.clone(), recorded.user_id), (vec!["linus@example.com".to_owned()], Some(s.user)));
    assert_eq!(recorded.visibility, "publicly_visible");
}

#[tokio::test]
async fn history_is_replaced_by_deleting_and_creating_only_differences() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("barbara@example.com"), None).await.unwrap().person;
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
    s.provider
        .write_history(&person.id, &[role("C", "2024-02-01", None), role("A", "2020-01", Some("2024-01"))])
        .await
        .unwrap();
    let mut rows: Vec<_> = s
        .sim
        .state()
        .employments
        .values()
        .map(|e| (e.company_name.clone(), e.start_date.clone(), e.end_date.clone()))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [("A".into(), "2020-01-01".into(), Some("2024-01-01".into())), ("C".into(), "2024-02-01".into(), None)]
    );
    s.provider
        .write_history(&person.id, &[role("C", "2024-02-01", None), role("A", "2020-01", Some("2024-01"))])
        .await
        .unwrap();
    assert_eq!(s.sim.core().requests_to("POST", "/v3/candidate_employments").len(), 4);
}

#[tokio::test]
async fn targets_custom_fields_and_capabilities_are_listed() {
    let s = setup().await;
    s.sim.app().add_custom_field("seniority", "Seniority", "single_select", &["Junior", "Senior"]);
    let targets = s.provider.list_targets().await.unwrap();
    let job = targets.iter().find(|t| t.kind == "job").unwrap();
    assert_eq!(job.stages.len(), 3);
    assert_eq!(job.target.id("job_id"), Some(s.job.id.to_string()));
    let pool = targets.iter().find(|t| t.kind == "prospect_pool").unwrap();
    assert_eq!(pool.target.id("prospect_pool_stage_id"), Some(s.pool.stage_ids[0].to_string()));
    let fields = s.provider.custom_fields().await.unwrap();
    assert_eq!(fields[0].options.iter().map(|o| o.label.as_str()).collect::<Vec<_>>(), ["Junior", "Senior"]);
    assert!(!s.provider.capabilities().off_limits);
    assert_eq!(s.provider.off_limits("1").await.unwrap(), None);
}
