use super::setup;
use hiresync_core::PersonDraft;
use hiresync_providers::ErrorKind;
use hiresync_sim::{Fault, ScriptedFault};
use std::time::{Duration, Instant};

fn on_reads(fault: Fault, count: u32) -> ScriptedFault {
    ScriptedFault { fault, count, path_prefix: Some("/v3/".into()), method: Some("GET".into()) }
}

#[tokio::test]
async fn a_5xx_read_is_retried_until_it_succeeds() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Status { status: 503 }, 2));
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    let reads = s.sim.core().requests_to("GET", "/v3/candidates");
    assert_eq!(reads.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200]);
}

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::RateLimited { retry_after_secs: 1 }, 1));
    let started = Instant::now();
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "retried before Retry-After");
    assert_eq!(s.sim.core().requests_to("GET", "/v3/candidates").len(), 2);
}

#[tokio::test]
async fn a_long_retry_after_surfaces_as_rate_limited() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::RateLimited { retry_after_secs: 600 }, 1));
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(600)) });
    assert_eq!(err.status, Some(429));
}

#[tokio::test]
async fn a_dropped_connection_on_a_read_is_retried() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Drop, 1));
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    let reads = s.sim.core().requests_to("GET", "/v3/candidates");
    assert_eq!(reads.len(), 2);
    assert_eq!(reads[0].fault.as_deref(), Some("drop"));
}

#[tokio::test]
async fn persistent_5xx_surface_as_transient_after_the_retry_cap() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Status { status: 500 }, 10));
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(s.sim.core().requests_to("GET", "/v3/candidates").len(), 4);
}

#[tokio::test]
async fn a_failed_create_is_not_blindly_repeated() {
    let s = setup().await;
    s.provider.check_credentials().await.unwrap();
    s.sim.core().inject(ScriptedFault {
        fault: Fault::Drop,
        count: 1,
        path_prefix: Some("/v3/candidates".into()),
        method: Some("POST".into()),
    });
    let draft = PersonDraft {
        first_name: Some("A".into()),
        last_name: Some("B".into()),
        emails: vec!["ab@example.com".into()],
        ..PersonDraft::default()
    };
    let err = s.provider.create_person(&draft, None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(s.sim.core().requests_to("POST", "/v3/candidates").len(), 1);
}

#[tokio::test]
async fn latency_and_slow_pages_still_succeed() {
    let s = setup().await;
    s.sim.core().delay_next(2, Duration::from_millis(200));
    s.sim.core().set_fault_rates(hiresync_sim::FaultRates { slow_page_ms: 50, ..Default::default() });
    let targets = s.provider.list_targets().await.unwrap();
    assert_eq!(targets.len(), 2);
}

#[tokio::test]
async fn a_validation_error_is_permanent_with_greenhouses_message() {
    let s = setup().await;
    let draft = PersonDraft {
        first_name: Some("Only".into()),
        emails: vec!["only@example.com".into()],
        ..PersonDraft::default()
    };
    let err = s.provider.create_person(&draft, None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Permanent);
    assert_eq!(err.status, Some(422));
    assert_eq!(err.message, "Validation error: last_name: Missing required field: last_name");
}

#[tokio::test]
async fn the_sims_rate_limit_is_honoured_through_its_headers() {
    let s = setup().await;
    let mut limits = s.sim.core().rate_limits();
    limits.rules[1].limit = 2;
    limits.rules[1].window_secs = 1;
    s.sim.core().set_rate_limits(limits);
    for i in 0..4 {
        s.provider.find_person_by_email(&format!("p{i}@example.com")).await.unwrap();
    }
    let reads = s.sim.core().requests_to("GET", "/v3/candidates");
    assert!(reads.iter().filter(|r| r.status == 429).count() <= 1, "the limiter should pause on Remaining: 0");
}
