use super::setup;
use hiresync_core::PersonDraft;
use hiresync_providers::teamtailor::webhook::{Acceptance, WebhookError, WebhookEvent, parse as parse_at};
use hiresync_sim::{Delivery, WebhookEndpoint};
use hiresync_testkit::{Polled, eventually};
use std::time::Duration;

const SECRET: &str = "tt-signature-key";

/// The deliveries made, once there are at least `count`.
async fn deliveries(sim: &hiresync_sim::teamtailor::TeamtailorSim, count: usize) -> Vec<Delivery> {
    eventually(&format!("{count} deliveries"), Duration::from_secs(5), || async {
        let d = sim.core().webhooks().deliveries();
        Ok(if d.len() >= count { Polled::Ready(d) } else { Polled::Waiting(format!("{} made", d.len())) })
    })
    .await
    .unwrap()
}

/// Verifies as a receiver does now, v2 only.
fn parse(key: &[u8], body: &[u8], signature: Option<&str>) -> Result<WebhookEvent, WebhookError> {
    parse_at(key, body, signature, Acceptance { now: chrono::Utc::now().timestamp(), v1: false })
}

fn header<'a>(d: &'a Delivery, name: &str) -> Option<&'a str> {
    d.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn company_webhooks_are_v2_signed_and_verify_with_the_client() {
    let s = setup().await;
    let receiver = format!("{}/_sim/receiver", s.sim.base_url());
    s.sim.core().webhooks().register(WebhookEndpoint { url: receiver, secret: SECRET.into() });
    let draft = PersonDraft { emails: vec!["ada@example.com".into()], ..PersonDraft::default() };
    let person = s.provider.create_person(&draft, None).await.unwrap().person;
    let sent = deliveries(&s.sim, 1).await;
    let signature = header(&sent[0], "tt-signature").unwrap();
    let event = parse(SECRET.as_bytes(), sent[0].body.as_bytes(), Some(signature)).unwrap();
    assert_eq!((event.event_name.as_str(), event.id.as_str()), ("candidate.create", person.id.as_str()));
    assert_eq!(event.attributes["email"], "ada@example.com");
    assert!(event.signed_at.is_some());
    assert_eq!(parse(b"wrong", sent[0].body.as_bytes(), Some(signature)), Err(WebhookError::BadSignature));

    let candidate: i64 = person.id.parse().unwrap();
    let application = s.sim.app().add_application(candidate, s.job.id).unwrap();
    s.sim.app().move_application(application, s.job.stage_ids[1]).unwrap();
    let sent = deliveries(&s.sim, 2).await;
    let moved = parse(SECRET.as_bytes(), sent[1].body.as_bytes(), header(&sent[1], "tt-signature")).unwrap();
    assert_eq!(moved.event_name, "job_application.update");
    assert_eq!(moved.attributes["job_id"], s.job.id);
    assert_eq!(moved.attributes["stage_name"], "Phone screen");
}
