use super::{TOKEN, USER_EMAIL, credentials, options, setup};
use hiresync_core::ProviderKind;
use hiresync_providers::oneflow::contract_url;
use hiresync_providers::{ErrorKind, connect};

#[tokio::test]
async fn the_credential_check_pings_with_token_and_acting_user() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    let pings = s.sim.core().requests_to("GET", "/v1/ping");
    assert_eq!(pings.len(), 1);
    assert_eq!(pings[0].header("x-oneflow-api-token"), Some(TOKEN));
    assert_eq!(pings[0].header("x-oneflow-user-email"), Some(USER_EMAIL));
}

#[tokio::test]
async fn a_wrong_token_or_unknown_user_is_an_auth_error() {
    let s = setup().await;
    let wrong = connect(ProviderKind::Oneflow, &credentials("hunter2", USER_EMAIL), &options(&s.sim)).unwrap();
    let err = wrong.check_credentials().await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Auth, Some(401)));
    assert!(err.message.contains("error_code 4010000"), "{}", err.message);
    assert!(!format!("{err:?} {err}").contains("hunter2"));
    let stranger =
        connect(ProviderKind::Oneflow, &credentials(TOKEN, "mallory@example.com"), &options(&s.sim)).unwrap();
    assert_eq!(stranger.check_credentials().await.unwrap_err().kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn oneflow_holds_no_people_only_contracts() {
    let s = setup().await;
    assert!(!ProviderKind::Oneflow.syncs_people());
    assert_eq!(s.provider.kind(), ProviderKind::Oneflow);
    assert!(s.provider.people().is_none(), "no people capability to call");
    assert!(s.provider.oneflow().is_some() && s.provider.teamtailor().is_none());
    assert_eq!(contract_url(42), "https://app.oneflow.com/contracts/42");
    assert!(s.sim.core().requests().is_empty(), "nothing reached Oneflow");
}
