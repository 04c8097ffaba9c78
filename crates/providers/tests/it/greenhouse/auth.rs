use super::{credentials, options, setup};
use hiresync_core::ProviderKind;
use hiresync_providers::{ErrorKind, connect};

#[tokio::test]
async fn one_token_serves_many_calls() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    for i in 0..5 {
        s.provider.find_person_by_email(&format!("nobody{i}@example.com")).await.unwrap();
    }
    let token_requests = s.sim.core().requests_to("POST", "/token");
    assert_eq!(token_requests.len(), 1);
    assert_eq!(token_requests[0].body, format!("grant_type=client_credentials&sub={}", s.user));
    assert!(token_requests[0].header("authorization").unwrap().starts_with("Basic "));
    let api_calls = s.sim.core().requests_to("GET", "/v3/");
    assert_eq!(api_calls.len(), 6);
    assert!(api_calls.iter().all(|r| r.header("authorization").unwrap().starts_with("Bearer ")));
}

#[tokio::test]
async fn a_revoked_token_is_refreshed_once() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    s.sim.app().expire_tokens();
    s.provider.check_credentials().await.unwrap();
    assert_eq!(s.sim.core().requests_to("POST", "/token").len(), 2);
}

#[tokio::test]
async fn a_wrong_client_secret_is_an_auth_error() {
    let s = setup().await;
    let provider =
        connect(ProviderKind::Greenhouse, &credentials(s.user, "wrong"), &options(&s.sim)).unwrap().people().unwrap();
    let err = provider.check_credentials().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status, Some(401));
    assert_eq!(err.message, "Client authentication failed");
    assert!(!format!("{err:?}").contains("wrong"));
}

#[tokio::test]
async fn an_unknown_acting_user_is_an_auth_error() {
    let s = setup().await;
    let provider = connect(ProviderKind::Greenhouse, &credentials(9_999_999_999, "s3cret"), &options(&s.sim))
        .unwrap()
        .people()
        .unwrap();
    assert_eq!(provider.check_credentials().await.unwrap_err().kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn an_api_401_after_refresh_is_an_auth_error() {
    let s = setup().await;
    s.sim.core().fail_next(3, 401);
    let err = s.provider.find_person_by_email("x@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}
