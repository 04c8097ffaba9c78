//! People search over candidates: documented filters on the server, other
//! attributes matched across pages, custom fields refused with a reason.

use super::setup;
use hiresync_providers::ErrorKind;

fn filters(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn candidates_are_matched_across_pages_and_custom_fields_are_refused() {
    let s = setup().await;
    let mut wanted = Vec::new();
    for i in 0..40 {
        let id = s.sim.app().add_candidate(
            if i % 10 == 3 { "Ada" } else { "Someone" },
            "Test",
            &format!("p{i}@example.com"),
        );
        if i % 10 == 3 {
            wanted.push(id.to_string());
        }
    }
    let found = s.provider.search_people(&filters(&[("first-name", "ada")])).await.unwrap();
    assert_eq!(found.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), wanted);
    assert_eq!(s.sim.core().requests_to("GET", "/v1/candidates").len(), 2, "40 candidates are two pages of 30");

    let one = s.provider.search_people(&filters(&[("email", "p13@example.com"), ("first-name", "Ada")])).await.unwrap();
    assert_eq!(one.len(), 1);
    let last = s.sim.core().requests_to("GET", "/v1/candidates").pop().unwrap();
    assert!(last.query.unwrap().contains("filter%5Bemail%5D=p13%40example.com"));

    let e = s.provider.search_people(&filters(&[("salary-expectation", "1")])).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permanent);
    assert!(e.message.contains("salary-expectation"), "{e}");
}
