use super::setup;
use hiresync_providers::ErrorKind;
use hiresync_providers::oneflow::wire::CreateContract;
use hiresync_sim::{Fault, ScriptedFault};
use std::time::{Duration, Instant};

fn on_reads(fault: Fault, count: u32) -> ScriptedFault {
    ScriptedFault { fault, count, path_prefix: Some("/v1/".into()), method: Some("GET".into()) }
}

#[tokio::test]
async fn a_5xx_read_is_retried_until_it_succeeds() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Status { status: 503 }, 2));
    s.provider.check_credentials().await.unwrap();
    let pings = s.sim.core().requests_to("GET", "/v1/ping");
    assert_eq!(pings.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200]);
}

#[tokio::test]
async fn persistent_5xx_surface_as_transient_with_oneflows_error_code() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Status { status: 500 }, 10));
    let err = s.provider.check_credentials().await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Transient, Some(500)));
    assert!(err.message.contains("error_code 5000000"));
    assert_eq!(s.sim.core().requests_to("GET", "/v1/ping").len(), 4);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_and_carries_the_documented_body() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::RateLimited { retry_after_secs: 1 }, 1));
    let started = Instant::now();
    s.client.workspaces().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
    s.sim.core().inject(on_reads(Fault::RateLimited { retry_after_secs: 900 }, 1));
    let err = s.client.workspaces().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(900)) });
    assert!(err.message.starts_with("You have reached the 5 minute rate limit"), "{}", err.message);
}

#[tokio::test]
async fn a_spent_window_answers_429_without_rate_limit_headers() {
    let s = setup().await;
    let mut limits = s.sim.core().rate_limits();
    limits.rules[0].limit = 1;
    s.sim.core().set_rate_limits(limits);
    s.client.ping().await.unwrap();
    let err = s.client.ping().await.unwrap_err();
    assert_eq!(err.status, Some(429));
    assert!(matches!(err.kind(), ErrorKind::RateLimited { retry_after: Some(wait) } if wait > Duration::from_secs(30)));
    let raw = reqwest::Client::new()
        .get(format!("{}/v1/ping", s.sim.base_url()))
        .header("x-oneflow-api-token", super::TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 429);
    assert!(raw.headers().keys().all(|k| !k.as_str().contains("rate")), "Oneflow documents no rate-limit headers");
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["error_code"], 4_290_000);
}

#[tokio::test]
async fn a_dropped_read_is_retried_but_a_dropped_create_is_not() {
    let s = setup().await;
    s.sim.core().inject(on_reads(Fault::Drop, 1));
    s.client.users().await.unwrap();
    assert_eq!(s.sim.core().requests_to("GET", "/v1/users").len(), 2);
    s.sim.core().inject(ScriptedFault {
        fault: Fault::Drop,
        count: 1,
        path_prefix: Some("/v1/contracts/create".into()),
        method: Some("POST".into()),
    });
    let body = CreateContract {
        workspace_id: s.template.workspace_id,
        template_id: s.template.template_id,
        ..CreateContract::default()
    };
    let err = s.client.create_contract(&body).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(s.sim.core().requests_to("POST", "/v1/contracts/create").len(), 1);
    assert!(s.sim.state().contracts.is_empty());
}

#[tokio::test]
async fn parameter_problems_are_permanent_and_named() {
    let s = setup().await;
    let err = s.client.contracts(&[("filter[colour]", "red")]).await.unwrap_err();
    assert_eq!((err.kind(), err.status), (ErrorKind::Permanent, Some(400)));
    assert!(err.message.contains("filter[colour]: Unknown filter."), "{}", err.message);
    let body =
        CreateContract { workspace_id: s.template.workspace_id, template_id: 999_999, ..CreateContract::default() };
    assert_eq!(s.client.create_contract(&body).await.unwrap_err().status, Some(404));
}
