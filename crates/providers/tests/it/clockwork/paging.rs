use super::{project_target, setup};
use hiresync_providers::ErrorKind;
use hiresync_providers::clockwork::{ClockworkClient, ClockworkConfig, wire};

#[tokio::test]
async fn a_projects_people_are_listed_page_by_page_with_offset_cursors() {
    let s = setup().await;
    for i in 0..130 {
        let person = s.sim.app().add_person(&format!("Person {i}"), &format!("p{i}@example.com"));
        s.sim.app().add_candidacy(&person, &s.project, None).unwrap();
    }
    let target = project_target(&s.project);
    let first = s.provider.list_target_people(&target, None).await.unwrap();
    assert_eq!((first.items.len(), first.next.as_deref()), (100, Some("100")));
    let second = s.provider.list_target_people(&target, first.next.as_deref()).await.unwrap();
    assert_eq!((second.items.len(), second.next), (30, None));
    let mut emails: Vec<_> = first.items.iter().chain(&second.items).map(|p| p.emails[0].clone()).collect();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), 130);
    let reads = s.sim.core().requests_to("GET", &format!("/v3.0/acme/projects/{}/candidacies", s.project));
    assert_eq!(reads[1].query_param("offset").as_deref(), Some("100"));
    assert_eq!(reads[1].query_param("include").as_deref(), Some("person"));
}

#[tokio::test]
async fn people_without_an_included_email_are_read_in_full_and_bad_cursors_refused() {
    let s = setup().await;
    let nameless = s.sim.app().add_person("No Mail", "");
    s.sim.app().add_candidacy(&nameless, &s.project, None).unwrap();
    let page = s.provider.list_target_people(&project_target(&s.project), None).await.unwrap();
    assert!(page.items[0].emails.is_empty(), "the import counts it as skipped, not as an error");
    assert_eq!(s.sim.core().requests_to("GET", &format!("/v3.0/acme/people/{nameless}")).len(), 1);
    let err = s.provider.list_target_people(&project_target(&s.project), Some("https://x")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Permanent);
}

#[tokio::test]
async fn listings_walk_every_page_when_the_server_clamps_the_page_size() {
    let s = setup().await;
    for i in 0..229 {
        s.sim.app().add_project(&format!("Search {i}"), "Active");
    }
    assert_eq!(s.provider.list_targets().await.unwrap().len(), 230);
    let config =
        ClockworkConfig::from_credentials(&super::credentials("acme", "s3cret"), &super::options(&s.sim)).unwrap();
    let client = ClockworkClient::new(config).unwrap();
    s.sim.core().clear_requests();
    // Ask for more than the simulator serves: the short pages must not end the walk.
    let all: Vec<wire::Project> = client
        .all(|offset| hiresync_providers::clockwork::endpoints::projects(250, offset), "projects", "list projects")
        .await
        .unwrap();
    assert_eq!(all.len(), 230);
    let offsets: Vec<_> = s
        .sim
        .core()
        .requests_to("GET", "/v3.0/acme/projects")
        .iter()
        .map(|r| r.query_param("offset").unwrap())
        .collect();
    assert_eq!(offsets, ["0", "100", "200"], "the reported total ends the walk without an empty page");
}
