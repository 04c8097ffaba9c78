use super::{client, setup};
use hiresync_core::Target;
use hiresync_providers::teamtailor::wire::CandidateAttributes;
use serde_json::json;

#[tokio::test]
async fn listings_follow_links_next_verbatim_thirty_at_a_time() {
    let s = setup().await;
    for i in 0..65 {
        s.sim.app().add_candidate("P", &i.to_string(), &format!("p{i}@example.com"));
    }
    let client = client(&s.sim);
    let url = client.url("/v1/candidates", &[("page[size]", "30")]).unwrap();
    let all = client.all::<CandidateAttributes>(url, "list").await.unwrap();
    assert_eq!(all.data.len(), 65);
    let requests = s.sim.core().requests_to("GET", "/v1/candidates");
    assert_eq!(requests.len(), 3);
    let pages: Vec<_> = requests.iter().map(|r| r.query_param("page[number]")).collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);
    assert!(requests.iter().all(|r| r.query_param("page[size]").as_deref() == Some("30")));
}

#[tokio::test]
async fn a_jobs_people_are_listed_page_by_page() {
    let s = setup().await;
    for i in 0..33 {
        let c = s.sim.app().add_candidate("P", &i.to_string(), &format!("p{i}@example.com"));
        s.sim.app().add_application(c, s.job.id).unwrap();
    }
    let target = serde_json::from_value::<Target>(json!({ "job_id": s.job.id.to_string() })).unwrap();
    let first = s.provider.list_target_people(&target, None).await.unwrap();
    assert_eq!(first.items.len(), 30);
    let next = first.next.clone().unwrap();
    let second = s.provider.list_target_people(&target, Some(&next)).await.unwrap();
    assert_eq!(second.items.len(), 3);
    assert_eq!(second.next, None);
    assert!(first.items[0].url.as_deref().unwrap().starts_with("https://app.teamtailor.com/candidates/"));
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let s = setup().await;
    let client = client(&s.sim);
    let err = client.follow("https://evil.example.com/v1/candidates?page%5Bnumber%5D=2").unwrap_err();
    assert!(err.message.contains("another host"));
}
