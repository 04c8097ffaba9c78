use super::setup;
use hiresync_core::PersonDraft;
use hiresync_providers::ErrorKind;
use hiresync_sim::{Fault, ScriptedFault};
use std::time::{Duration, Instant};

fn on_reads(fault: Fault, count: u32) -> ScriptedFault {
    ScriptedFault { fault, count, path_prefix: Some("/v1/".into()), method: Some("GET".into()) }
}

fn draft(email: &str) -> PersonDraft {
    PersonDraft {
        emails: vec![email.into()],
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        ..PersonDraft::default()
    }
}

#[tokio::test]
async fn a_5xx_read_is_retried_until_it_succeeds() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Status { status: 502 }, 2));
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    let reads = s.sim.core().requests_to("GET", "/v1/candidates");
    assert_eq!(reads.iter().map(|r| r.status).collect::<Vec<_>>(), [502, 502, 200]);
}

#[tokio::test]
async fn persistent_5xx_surface_as_transient_after_the_retry_cap() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Status { status: 500 }, 10));
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Transient, Some(500)));
    assert_eq!(s.sim.core().requests_to("GET", "/v1/candidates").len(), 4);
}

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::RateLimited { retry_after_secs: 1 }, 1));
    let started = Instant::now();
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "retried before Retry-After");
    let reads = s.sim.core().requests_to("GET", "/v1/candidates");
    assert_eq!(reads.iter().map(|r| r.status).collect::<Vec<_>>(), [429, 200]);
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
    let reads = s.sim.core().requests_to("GET", "/v1/candidates");
    assert_eq!(reads.len(), 2);
    assert_eq!(reads[0].fault.as_deref(), Some("drop"));
}

#[tokio::test]
async fn a_dropped_create_is_not_blindly_repeated() {
    let s = setup().await;
    s.sim.core().inject(ScriptedFault {
        fault: Fault::Drop,
        count: 1,
        path_prefix: Some("/v1/candidates".into()),
        method: Some("POST".into()),
    });
    let err = s.provider.create_person(&draft("ab@example.com"), None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(s.sim.core().requests_to("POST", "/v1/candidates").len(), 1);
    assert!(s.sim.state().candidates.is_empty(), "the cut request never reached Teamtailor");
    let created = s.provider.create_person(&draft("ab@example.com"), None).await.unwrap().person;
    // A create racing an existing record is merged (`merge: true`), never duplicated.
    let again = s.provider.create_person(&draft("AB@example.com"), None).await.unwrap().person;
    assert_eq!((s.sim.state().candidates.len(), again.id), (1, created.id.clone()));
    assert_eq!(created.emails, ["ab@example.com"]);
}

#[tokio::test]
async fn a_validation_error_is_permanent_with_teamtailors_detail() {
    let s = setup().await;
    let mut d = draft("pitch@example.com");
    d.fields.insert("pitch".into(), serde_json::json!("x".repeat(141)));
    let err = s.provider.create_person(&d, None).await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(422)));
    assert_eq!(err.message, "pitch - is too long (maximum is 140 characters)");
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
    let reads = s.sim.core().requests_to("GET", "/v1/candidates");
    assert!(reads.iter().filter(|r| r.status == 429).count() <= 1, "the limiter should pause on Remaining: 0");
}

#[tokio::test]
async fn latency_still_succeeds() {
    let s = setup().await;
    s.sim.core().delay_next(2, Duration::from_millis(150));
    assert_eq!(s.provider.list_targets().await.unwrap().len(), 1);
}
