//! A hostile or broken provider (issue 25): whatever it answers costs a bounded amount of
//! memory and time, and an API root whose name resolves to an internal address is never
//! reached, however the name was checked before.

use super::{credentials, options, setup};
use hiresync_core::ProviderKind;
use hiresync_providers::http::MAX_RETRY_AFTER;
use hiresync_providers::{ConnectOptions, ErrorKind, connect};
use hiresync_sim::{Fault, ScriptedFault};
use std::time::{Duration, Instant};

fn on_reads(fault: Fault) -> ScriptedFault {
    ScriptedFault { fault, count: 1, path_prefix: Some("/v3/".into()), method: Some("GET".into()) }
}

#[tokio::test]
async fn a_body_past_the_cap_is_refused_without_being_read() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Huge { bytes: 40 << 20 }));
    let started = Instant::now();
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert!(err.message.contains("larger than 32 MiB"), "{err}");
    assert_eq!(err.kind(), ErrorKind::Permanent, "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_retry_after_of_1e12_puts_the_work_off_an_hour_at_most() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Throttled { retry_after: "1e12".into() }));
    let started = Instant::now();
    let err = s.provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited { retry_after: Some(MAX_RETRY_AFTER) }, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "it surfaced instead of sleeping");
}

#[tokio::test]
async fn garbage_in_retry_after_is_a_short_wait_not_a_hang() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Throttled { retry_after: "soon-ish".into() }));
    let started = Instant::now();
    s.provider.find_person_by_email("a@example.com").await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(s.sim.core().requests_to("GET", "/v3/candidates").len(), 2, "retried once it had waited");
}

/// `localhost` stands for any name that passed a check once and resolves to an internal
/// address now (DNS rebinding): every request resolves it again and is refused.
#[tokio::test]
async fn an_api_root_whose_name_resolves_to_loopback_is_refused_at_connect_time() {
    let s = setup().await;
    let port = s.sim.base_url().rsplit(':').next().unwrap().to_owned();
    let auth_port = s.sim.auth_base_url().rsplit(':').next().unwrap().to_owned();
    let rebinding = ConnectOptions {
        base_url: Some(format!("http://localhost:{port}")),
        auth_base_url: Some(format!("http://localhost:{auth_port}")),
        ..options(&s.sim)
    };
    let provider =
        connect(ProviderKind::Greenhouse, &credentials(s.user, "s3cret"), &rebinding).unwrap().people().unwrap();
    s.sim.core().clear_requests();
    let err = provider.find_person_by_email("a@example.com").await.unwrap_err();
    assert!(s.sim.core().requests().is_empty(), "the simulator was reached: {err}");
    assert!(
        !err.message.contains("Internal") && !err.message.contains("{"),
        "nothing of an answer is reflected: {err}"
    );
}
