//! Legacy Harvest v1 credentials: every People method speaks v1 (Basic key,
//! `On-Behalf-Of` on writes, `Link` pages) against the simulator's v1 routes.

use super::options;
use hiresync_core::{Employment, NoteDraft, PersonDraft, PlacedStage, ProviderKind, Target};
use hiresync_providers::{Credentials, ErrorKind, People, Placement, connect};
use hiresync_sim::greenhouse::{GreenhouseSim, SeededTarget};
use hiresync_sim::{Fault, ScriptedFault};
use serde_json::json;
use std::sync::Arc;

struct V1 {
    sim: GreenhouseSim,
    provider: Arc<dyn People>,
    user: i64,
    job: SeededTarget,
    pool: SeededTarget,
}

fn credentials(key: &str, user: i64) -> Credentials {
    Credentials(json!({"api_key": key, "on_behalf_of_user_id": user}).to_string().into())
}

async fn setup() -> V1 {
    let sim = GreenhouseSim::start().await.unwrap();
    sim.app().add_api_key("legacy-key");
    let user = sim.app().add_user("Rita", "Recruiter", "rita@example.com");
    let job = sim.app().add_job("Rust Engineer", &["Application Review", "Phone Screen", "Offer"]);
    let pool = sim.app().add_prospect_pool("Talent Pool", &["New", "Contacted", "Replied"]);
    let provider =
        connect(ProviderKind::Greenhouse, &credentials("legacy-key", user), &options(&sim)).unwrap().people().unwrap();
    V1 { sim, provider, user, job, pool }
}

/// Nothing went to v3 or the token endpoint; every write named the acting user.
fn assert_spoke_only_v1(s: &V1) {
    let requests = s.sim.core().requests();
    assert!(!requests.is_empty());
    for r in &requests {
        assert!(r.path.starts_with("/v1/"), "{} {}", r.method, r.path);
        assert!(r.header("authorization").unwrap().starts_with("Basic "));
        if r.method != "GET" {
            assert_eq!(r.header("on-behalf-of"), Some(s.user.to_string().as_str()), "{} {}", r.method, r.path);
        }
    }
}

fn draft(email: &str) -> PersonDraft {
    PersonDraft {
        emails: vec![email.into()],
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        tags: vec!["outreach".into()],
        as_prospect: true,
        ..PersonDraft::default()
    }
}

fn target(v: serde_json::Value) -> Target {
    serde_json::from_value::<Target>(v).unwrap()
}

#[tokio::test]
async fn a_v1_person_is_created_found_and_updated_without_losing_data() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    s.sim.app().add_custom_field("seniority", "Seniority", "single_select", &["Junior", "Senior"]);
    let created = s.provider.create_person(&draft("ada@example.com"), None).await.unwrap().person;
    let state = s.sim.state();
    assert!(state.applications.values().any(|a| a.prospect && a.candidate_id.to_string() == created.id));
    let found = s.provider.find_person_by_email("ADA@example.com").await.unwrap().unwrap();
    assert_eq!(found.id, created.id);

    let mut first = PersonDraft { tags: vec!["rust".into()], ..PersonDraft::default() };
    first.fields.insert("seniority".into(), json!("Senior"));
    s.provider.update_person(&created.id, &first).await.unwrap();
    let second = PersonDraft { emails: vec!["ada@home.example".into()], ..PersonDraft::default() };
    let updated = s.provider.update_person(&created.id, &second).await.unwrap();
    assert_eq!(updated.emails, ["ada@example.com", "ada@home.example"]);
    assert_eq!(updated.fields["tags"], json!(["outreach", "rust"]));
    assert_eq!(updated.fields["seniority"], json!("Senior"));
    assert_eq!(s.sim.core().requests_to("POST", "/v1/prospects").len(), 1);
    assert_eq!(s.sim.core().requests_to("PATCH", "/v1/candidates/").len(), 2);
    assert_spoke_only_v1(&s);
}

#[tokio::test]
async fn placing_and_moving_over_v1_is_idempotent_on_pools_and_jobs() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("grace@example.com"), None).await.unwrap().person;
    let pool = target(json!({"prospect_pool_id": s.pool.id, "prospect_pool_stage_id": s.pool.stage_ids[0]}));
    let placed = s.provider.place_person(&person.id, &pool, false).await.unwrap();
    assert_eq!(s.provider.place_person(&person.id, &pool, false).await.unwrap().id, placed.id);
    assert_eq!(s.sim.state().applications.len(), 1, "the jobless prospect application was reused");
    s.provider.move_stage(&person.id, &placed, None, &s.pool.stage_ids[2].to_string()).await.unwrap();
    let detail = s.sim.state().prospect_details.values().next().cloned().unwrap();
    assert_eq!(detail.pool_stage_id, Some(s.pool.stage_ids[2]));
    s.provider.move_stage(&person.id, &placed, None, &s.pool.stage_ids[2].to_string()).await.unwrap();
    assert_eq!(s.sim.core().requests_to("PATCH", "/v1/applications/").len(), 2, "one placement, one move");

    let job = target(json!({"job_id": s.job.id, "stage_id": s.job.stage_ids[0]}));
    let on_job = s.provider.place_person(&person.id, &job, false).await.unwrap();
    assert_eq!(on_job.stage, PlacedStage::At(s.job.stage_ids[0].to_string()));
    assert_eq!(s.provider.place_person(&person.id, &job, false).await.unwrap().id, on_job.id);
    for _ in 0..2 {
        s.provider.move_stage(&person.id, &on_job, None, &s.job.stage_ids[1].to_string()).await.unwrap();
    }
    let state = s.sim.state();
    let current = state.current_stage(on_job.id.parse().unwrap()).unwrap();
    assert_eq!(current.job_interview_stage_id, s.job.stage_ids[1]);
    assert_eq!(s.sim.core().requests_to("POST", "/v1/applications/").len(), 1, "the second move was a no-op");
    let missing = Placement { id: "4000000000001".into(), stage: PlacedStage::Unknown };
    let err = s.provider.move_stage(&person.id, &missing, None, "1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Permanent);
    assert_spoke_only_v1(&s);
}

#[tokio::test]
async fn notes_and_email_records_are_written_once_over_v1() {
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
    let note = NoteDraft { note_type: None, from: None, to: None, body: "Replied positively".into(), ..email.clone() };
    let written = s.provider.write_note(&person.id, &note).await.unwrap();
    assert_eq!(s.provider.find_note(&person.id, &note).await.unwrap(), Some(written), "read back");
    let state = s.sim.state();
    assert_eq!(state.notes.len(), 2);
    let recorded = state.notes.values().find(|n| n.kind == "EMAIL").unwrap();
    assert_eq!((recorded.email_to.clone(), recorded.user_id), (vec!["linus@example.com".to_owned()], Some(s.user)));
    let plain = state.notes.values().find(|n| n.kind == "NOTE").unwrap();
    assert_eq!((plain.body.as_str(), plain.visibility.as_str()), ("Hello\n\nReplied positively", "publicly_visible"));
    assert_spoke_only_v1(&s);
}

#[tokio::test]
async fn history_over_v1_is_replaced_by_deleting_and_creating_only_differences() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("barbara@example.com"), None).await.unwrap().person;
    let role = |c: &str, start: &str, end: Option<&str>| Employment {
        company: Some(c.into()),
        title: Some("Engineer".into()),
        start: Some(start.into()),
        end: end.map(Into::into),
    };
    let first = [role("A", "2020-01", None), role("B", "2015", Some("2019-12"))];
    s.provider.write_history(&person.id, &first).await.unwrap();
    let wanted = [role("C", "2024-02-01", None), role("A", "2020-01", Some("2024-01"))];
    s.provider.write_history(&person.id, &wanted).await.unwrap();
    s.provider.write_history(&person.id, &wanted).await.unwrap();
    let mut rows: Vec<_> =
        s.sim.state().employments.values().map(|e| (e.company_name.clone(), e.end_date.clone())).collect();
    rows.sort();
    assert_eq!(rows, [("A".into(), Some("2024-01-01".into())), ("C".into(), None)]);
    let employments = format!("/v1/candidates/{}/employments", person.id);
    assert_eq!(s.sim.core().requests_to("POST", &employments).len(), 4);
    assert_eq!(s.sim.core().requests_to("DELETE", &employments).len(), 2);
    assert_spoke_only_v1(&s);
}

#[tokio::test]
async fn targets_custom_fields_and_a_jobs_people_are_listed_over_v1() {
    let s = setup().await;
    s.sim.app().add_custom_field("seniority", "Seniority", "single_select", &["Junior", "Senior"]);
    let targets = s.provider.list_targets().await.unwrap();
    let job = targets.iter().find(|t| t.kind == "job").unwrap();
    assert_eq!(
        job.stages.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
        ["Application Review", "Phone Screen", "Offer"]
    );
    assert_eq!(job.target.id("stage_id"), Some(s.job.stage_ids[0].to_string()));
    let pool = targets.iter().find(|t| t.kind == "prospect_pool").unwrap();
    assert_eq!(pool.target.id("prospect_pool_stage_id"), Some(s.pool.stage_ids[0].to_string()));
    let fields = s.provider.custom_fields().await.unwrap();
    assert_eq!(
        (fields[0].key.as_str(), fields[0].options.iter().map(|o| o.label.as_str()).collect::<Vec<_>>()),
        ("seniority", vec!["Junior", "Senior"])
    );

    for i in 0..130 {
        let id = s.sim.app().add_candidate("P", &format!("{i}"), &format!("p{i}@example.com"));
        s.sim.app().add_application(id, s.job.id).unwrap();
    }
    s.sim.app().add_candidate("Not", "Placed", "elsewhere@example.com");
    let on_job = target(json!({"job_id": s.job.id, "stage_id": s.job.stage_ids[0]}));
    let first = s.provider.list_target_people(&on_job, None).await.unwrap();
    assert_eq!(first.items.len(), 100);
    let second = s.provider.list_target_people(&on_job, first.next.as_deref()).await.unwrap();
    assert_eq!((second.items.len(), second.next), (30, None));
    assert_spoke_only_v1(&s);
}

#[tokio::test]
async fn v1_failures_classify_like_v3() {
    let s = setup().await;
    let wrong = connect(ProviderKind::Greenhouse, &credentials("not-a-key", s.user), &options(&s.sim))
        .unwrap()
        .people()
        .unwrap();
    let err = wrong.check_credentials().await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Auth, Some(401)));
    assert!(!format!("{err:?}").contains("not-a-key"));

    let stranger =
        connect(ProviderKind::Greenhouse, &credentials("legacy-key", 99), &options(&s.sim)).unwrap().people().unwrap();
    stranger.check_credentials().await.unwrap();
    let err = stranger.create_person(&draft("x@example.com"), None).await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(404)), "an unknown On-Behalf-Of is a 404");
    assert_eq!(s.sim.core().requests_to("POST", "/v1/prospects")[0].header("on-behalf-of"), Some("99"));
    s.sim.core().clear_requests();

    s.sim.core().inject(ScriptedFault {
        fault: Fault::Drop,
        count: 1,
        path_prefix: Some("/v1/candidates".into()),
        method: Some("GET".into()),
    });
    assert_eq!(s.provider.find_person_by_email("nobody@example.com").await.unwrap(), None);
    assert_eq!(s.sim.core().requests_to("GET", "/v1/candidates").len(), 2);
    assert_spoke_only_v1(&s);
}

#[tokio::test]
async fn v1_people_search_filters_email_on_the_server_and_the_rest_here() {
    let s = setup().await;
    let ada = s.sim.app().add_candidate("Ada", "Lovelace", "ada@example.com");
    let alan = s.sim.app().add_candidate("Alan", "Turing", "alan@example.com");
    s.sim.with_state(|st| st.candidates.get_mut(&alan).unwrap().tags = vec!["Rust".into()]);
    let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    };
    let by_email = s.provider.search_people(&f(&[("email", "ADA@example.com")])).await.unwrap();
    assert_eq!(by_email.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), [ada.to_string()]);
    let asked = s.sim.core().requests_to("GET", "/v1/candidates");
    assert!(asked[0].query.as_deref().unwrap().contains("email=ADA%40example.com"), "{asked:?}");
    let tagged = s.provider.search_people(&f(&[("tags", "rust")])).await.unwrap();
    assert_eq!(tagged.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), [alan.to_string()]);
    assert!(s.provider.search_people(&f(&[("tags", "rust"), ("last_name", "Lovelace")])).await.unwrap().is_empty());
    assert_spoke_only_v1(&s);
}
