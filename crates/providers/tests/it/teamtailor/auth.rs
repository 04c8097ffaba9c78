use super::{KEY, credentials, options, setup};
use hiresync_core::ProviderKind;
use hiresync_providers::teamtailor::{TeamtailorClient, TeamtailorConfig};
use hiresync_providers::{ErrorKind, connect};

#[tokio::test]
async fn every_request_carries_the_token_the_version_and_the_media_type() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    s.provider.find_person_by_email("nobody@example.com").await.unwrap();
    let requests = s.sim.core().requests_to("GET", "/v1/candidates");
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.header("authorization"), Some(format!("Token token={KEY}").as_str()));
        assert_eq!(r.header("x-api-version"), Some("20240404"));
        assert_eq!(r.header("accept"), Some("application/vnd.api+json"));
    }
    assert_eq!(requests[1].query_param("filter[email]").as_deref(), Some("nobody@example.com"));
}

#[tokio::test]
async fn a_wrong_key_is_an_auth_error_that_never_shows_the_key() {
    let s = setup().await;
    let provider =
        connect(ProviderKind::Teamtailor, &credentials("hunter2"), &options(&s.sim)).unwrap().people().unwrap();
    let err = provider.check_credentials().await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Auth, Some(401)));
    assert!(!format!("{err:?} {err}").contains("hunter2"));
}

#[tokio::test]
async fn a_missing_api_version_is_a_permanent_406_with_teamtailors_message() {
    let s = setup().await;
    let mut config = TeamtailorConfig::from_credentials(&credentials(KEY), &options(&s.sim)).unwrap();
    config.api_version = String::new();
    let client = TeamtailorClient::new(config).unwrap();
    let err = client.probe().await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(406)));
    assert!(err.message.contains("Current version is: 20240404"), "{}", err.message);
    // A permanent failure is not retried.
    assert_eq!(s.sim.core().requests_to("GET", "/v1/candidates").len(), 1);
}

#[tokio::test]
async fn an_unknown_api_version_is_refused_like_a_missing_one() {
    let s = setup().await;
    let mut config = TeamtailorConfig::from_credentials(&credentials(KEY), &options(&s.sim)).unwrap();
    config.api_version = "19990101".into();
    let err = TeamtailorClient::new(config).unwrap().probe().await.unwrap_err();
    assert_eq!(err.status, Some(406));
}

#[tokio::test]
async fn a_key_revoked_mid_flight_surfaces_as_auth() {
    let s = setup().await;
    s.sim.core().fail_next(1, 401);
    let err = s.provider.find_person_by_email("x@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}
