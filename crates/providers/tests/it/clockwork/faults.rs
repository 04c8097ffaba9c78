use super::flow::draft;
use super::{credentials, options, setup};
use hiresync_core::{PersonDraft, PlacedStage, ProviderKind};
use hiresync_providers::{ErrorKind, Placement, connect};
use hiresync_sim::{Fault, ScriptedFault};
use std::time::{Duration, Instant};

const SEARCH: &str = "/v3.0/acme/people_search";

fn on_search(fault: Fault, count: u32) -> ScriptedFault {
    ScriptedFault { fault, count, path_prefix: Some(SEARCH.into()), method: Some("GET".into()) }
}

#[tokio::test]
async fn a_5xx_read_is_retried_until_it_succeeds() {
    let s = setup().await;
    s.sim.core().inject(on_search(Fault::Status { status: 503 }, 2));
    assert_eq!(s.provider.find_person_by_email("a@example.com").await.unwrap(), None);
    let reads = s.sim.core().requests_to("GET", SEARCH);
    assert_eq!(reads.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200]);
}

#[tokio::test]
async fn persistent_5xx_surface_as_transient_with_clockworks_message() {
    let s = setup().await;
    s.sim.core().inject(on_search(Fault::Status { status: 500 }, 10));
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Transient, Some(500)));
    assert_eq!(err.message, "Internal Server Error");
    assert_eq!(s.sim.core().requests_to("GET", SEARCH).len(), 4);
}

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let s = setup().await;
    s.sim.core().inject(on_search(Fault::RateLimited { retry_after_secs: 1 }, 1));
    let started = Instant::now();
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "retried before Retry-After");
    assert_eq!(s.sim.core().requests_to("GET", SEARCH).len(), 2);
}

#[tokio::test]
async fn a_long_retry_after_surfaces_as_rate_limited() {
    let s = setup().await;
    s.sim.core().inject(on_search(Fault::RateLimited { retry_after_secs: 600 }, 1));
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(600)) });
    assert_eq!(err.status, Some(429));
}

#[tokio::test]
async fn a_dropped_connection_on_a_read_is_retried() {
    let s = setup().await;
    s.sim.core().inject(on_search(Fault::Drop, 1));
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    let reads = s.sim.core().requests_to("GET", SEARCH);
    assert_eq!(reads.len(), 2);
    assert_eq!(reads[0].fault.as_deref(), Some("drop"));
}

#[tokio::test]
async fn a_dropped_create_is_not_blindly_repeated() {
    let s = setup().await;
    s.sim.core().inject(ScriptedFault {
        fault: Fault::Drop,
        count: 1,
        path_prefix: Some("/v3.0/acme/people".into()),
        method: Some("POST".into()),
    });
    let err = s.provider.create_person(&draft("ab@example.com"), None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(s.sim.core().requests_to("POST", "/v3.0/acme/people").len(), 1);
}

#[tokio::test]
async fn a_wrong_secret_is_an_auth_error_that_never_echoes_it() {
    let s = setup().await;
    let provider = connect(ProviderKind::Clockwork, &credentials(&s.sim.firm(), "hunter2"), &options(&s.sim))
        .unwrap()
        .people()
        .unwrap();
    let err = provider.check_credentials().await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Auth, Some(401)));
    assert_eq!(err.message, "Invalid API credentials");
    assert!(!format!("{err:?} {err}").contains("hunter2"));
    assert_eq!(s.sim.core().requests_to("GET", SEARCH).len(), 1, "auth failures are not retried");
    s.provider.check_credentials().await.unwrap();
}

#[tokio::test]
async fn an_unknown_firm_or_service_key_fails_the_credential_check_as_auth() {
    let s = setup().await;
    let provider =
        connect(ProviderKind::Clockwork, &credentials("globex", "s3cret"), &options(&s.sim)).unwrap().people().unwrap();
    let err = provider.check_credentials().await.unwrap_err();
    assert_eq!((err.kind(), err.status, err.message.as_str()), (ErrorKind::Auth, Some(404), "Firm not found"));
    s.sim.with_state(|state| state.firm_service_keys.clear());
    assert_eq!(s.provider.check_credentials().await.unwrap_err().kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn an_injected_401_mid_flow_is_an_auth_error() {
    let s = setup().await;
    s.sim.core().fail_next(1, 401);
    let err = s.provider.find_person_by_email("x@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn a_validation_error_is_permanent_with_clockworks_message() {
    let s = setup().await;
    let nameless = PersonDraft { emails: vec!["x@example.com".into()], ..PersonDraft::default() };
    let err = s.provider.create_person(&nameless, None).await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(400)));
    assert_eq!(err.message, "name can't be blank");
}

#[tokio::test]
async fn a_404_on_an_unconfirmed_route_points_at_the_assumptions() {
    let s = setup().await;
    let missing = Placement { id: "no-such-candidacy".into(), stage: PlacedStage::Unknown };
    let err = s.provider.move_stage("p", &missing, None, &s.statuses[1]).await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(404)));
    assert_eq!(err.message, "Candidacy not found (this Clockwork route is unconfirmed; see clockwork/ASSUMPTIONS.md)");
    let err = s.provider.list_target_people(&super::project_target("nope"), None).await.unwrap_err();
    assert_eq!(err.message, "Project not found", "a [S] route gets no hint");
}

#[tokio::test]
async fn the_sims_rate_limit_is_honoured_through_its_headers() {
    let s = setup().await;
    let mut limits = s.sim.core().rate_limits();
    limits.rules[0].limit = 2;
    limits.rules[0].window_secs = 1;
    s.sim.core().set_rate_limits(limits);
    for i in 0..4 {
        s.provider.find_person_by_email(&format!("p{i}@example.com")).await.unwrap();
    }
    let reads = s.sim.core().requests_to("GET", SEARCH);
    assert!(reads.iter().filter(|r| r.status == 429).count() <= 1, "the limiter should pause on Remaining: 0");
    assert_eq!(reads.iter().filter(|r| r.status == 200).count(), 4);
}

#[tokio::test]
async fn latency_and_slow_pages_still_succeed() {
    let s = setup().await;
    s.sim.core().delay_next(2, Duration::from_millis(200));
    s.sim.core().set_fault_rates(hiresync_sim::FaultRates { slow_page_ms: 50, ..Default::default() });
    assert_eq!(s.provider.list_targets().await.unwrap().len(), 1);
}
