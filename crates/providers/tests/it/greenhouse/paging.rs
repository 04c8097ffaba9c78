use super::setup;
use hiresync_core::Target;
use hiresync_providers::greenhouse::{GreenhouseClient, GreenhouseConfig, wire::Job};
use serde_json::json;

#[tokio::test]
async fn listings_follow_cursor_links_verbatim_across_pages() {
    let s = setup().await;
    for i in 0..6 {
        s.sim.app().add_job(&format!("Job {i}"), &["Review"]);
    }
    let config =
        GreenhouseConfig::from_credentials(&super::credentials(s.user, "s3cret"), &super::options(&s.sim)).unwrap();
    let client = GreenhouseClient::new(config).unwrap();
    let url = client.url("/v3/jobs?per_page=2").unwrap();
    let jobs: Vec<Job> = client.all(url, "list jobs").await.unwrap();
    assert_eq!(jobs.len(), 7);
    assert!(jobs.windows(2).all(|w| w[0].id > w[1].id), "newest id first");
    let requests = s.sim.core().requests_to("GET", "/v3/jobs");
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].query.as_deref(), Some("per_page=2"));
    for r in &requests[1..] {
        let query = r.query.as_deref().unwrap();
        assert!(query.starts_with("cursor=") && !query.contains('&'), "cursor requests carry nothing else: {query}");
    }
}

#[tokio::test]
async fn a_jobs_people_are_listed_page_by_page() {
    let s = setup().await;
    let target = serde_json::from_value::<Target>(json!({"job_id": s.job.id, "stage_id": s.job.stage_ids[0]})).unwrap();
    for i in 0..130 {
        let id = s.sim.app().add_candidate("P", &format!("{i}"), &format!("p{i}@example.com"));
        s.sim.app().add_application(id, s.job.id).unwrap();
    }
    let first = s.provider.list_target_people(&target, None).await.unwrap();
    assert_eq!(first.items.len(), 100);
    let second = s.provider.list_target_people(&target, first.next.as_deref()).await.unwrap();
    assert_eq!(second.items.len(), 30);
    assert_eq!(second.next, None);
    let mut emails: Vec<_> = first.items.iter().chain(&second.items).map(|p| p.emails[0].clone()).collect();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), 130);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let s = setup().await;
    let target = serde_json::from_value::<Target>(json!({"job_id": s.job.id, "stage_id": s.job.stage_ids[0]})).unwrap();
    let err = s
        .provider
        .list_target_people(&target, Some("https://evil.example/v3/applications?cursor=x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), hiresync_providers::ErrorKind::Permanent);
}
