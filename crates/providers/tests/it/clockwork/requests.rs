//! The exact requests the client sends, as the simulator logged them: the
//! shapes `clockwork/ASSUMPTIONS.md` lists.

use super::flow::draft;
use super::{project_target, setup};
use base64::Engine;
use serde_json::json;

#[tokio::test]
async fn every_request_carries_both_auth_headers_on_the_firm_path() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    s.provider.create_person(&draft("ada@example.com"), None).await.unwrap();
    let token = base64::engine::general_purpose::STANDARD.encode("cw-key:s3cret");
    let requests = s.sim.core().requests();
    assert!(requests.len() > 3);
    for r in &requests {
        assert!(r.path.starts_with("/v3.0/acme/"), "{}", r.path);
        assert_eq!(r.header("authorization"), Some(format!("Token {token}").as_str()));
        assert_eq!(r.header("x-api-key"), Some("firm-key"));
        assert_eq!(r.header("accept"), Some("application/json"));
    }
    assert_eq!(requests[0].query.as_deref(), Some("limit=1"));
}

#[tokio::test]
async fn bodies_have_the_documented_wrappers_and_casing() {
    let s = setup().await;
    let person = s.provider.create_person(&draft("ada@example.com"), None).await.unwrap().person;
    let body = |method: &str, path: &str| {
        let r = s.sim.core().requests_to(method, path);
        r.iter().rev().find(|r| r.path == path).and_then(|r| r.json()).unwrap_or_else(|| panic!("no {method} {path}"))
    };
    assert_eq!(
        body("POST", "/v3.0/acme/people"),
        json!({"person": {"name": "Ada Lovelace", "tag_names": ["outreach"]}})
    );
    let base = format!("/v3.0/acme/people/{}", person.id);
    assert_eq!(
        body("POST", &format!("{base}/email_addresses")),
        json!({"email": {"address": "ada@example.com", "location": "work"}})
    );
    assert_eq!(
        body("POST", &format!("{base}/phone_numbers")),
        json!({"phone_number": {"digits": "+44 20 7946 0000", "location": "mobile"}})
    );
    assert_eq!(
        body("POST", &format!("{base}/linkedin_urls")),
        json!({"linkedin_url": {"url": "https://www.linkedin.com/in/ada"}})
    );
    assert_eq!(
        body("POST", &format!("{base}/positions")),
        json!({"position": {"title": "Engineer", "companyName": "Engines"}})
    );
    let placed = s.provider.place_person(&person.id, &project_target(&s.project), false).await.unwrap();
    assert_eq!(
        body("POST", &format!("/v3.0/acme/projects/{}/candidacies", s.project)),
        json!({"candidacy": {"personId": person.id}})
    );
    s.provider.move_stage(&person.id, &placed, None, &s.statuses[3]).await.unwrap();
    assert_eq!(
        body("PATCH", &format!("/v3.0/acme/candidacies/{}", placed.id)),
        json!({"candidacy": {"statusId": s.statuses[3]}})
    );
}

#[tokio::test]
async fn ids_are_percent_encoded_path_segments() {
    let s = setup().await;
    let err = s.provider.off_limits("../../other-firm/people/x?y").await.unwrap_err();
    assert_eq!(err.status, Some(404));
    let logged = s.sim.core().requests();
    assert_eq!(logged[0].path, "/v3.0/acme/people/..%2F..%2Fother-firm%2Fpeople%2Fx%3Fy");
}
