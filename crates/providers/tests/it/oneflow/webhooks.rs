use super::{SECRET, setup};
use hiresync_providers::oneflow::webhook::{WebhookError, parse};
use hiresync_providers::oneflow::wire::{CreateWebhook, Filter, FilterRule};
use hiresync_providers::oneflow::{DataFieldRef, parse_time};
use hiresync_testkit::{Polled, eventually};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A receiver answering every POST with `status` and keeping the bodies.
async fn receiver(status: u16) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/oneflow", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = socket.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if body.len() >= length {
                            kept.lock().unwrap().push(body.to_owned());
                            let reply =
                                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                            let _ = socket.write_all(reply.as_bytes()).await;
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, bodies)
}

/// The bodies received, once there are at least `count`.
async fn wait_for(bodies: &Arc<Mutex<Vec<String>>>, count: usize) -> Vec<String> {
    eventually(&format!("{count} notifications"), Duration::from_secs(5), || async {
        let seen = bodies.lock().unwrap().clone();
        Ok(if seen.len() >= count { Polled::Ready(seen) } else { Polled::Waiting(format!("{} received", seen.len())) })
    })
    .await
    .unwrap()
}

fn filtered(url: &str, events: &[&str]) -> CreateWebhook {
    CreateWebhook {
        callback_url: url.to_owned(),
        sign_key: Some(SECRET.into()),
        filters: vec![Filter {
            filter_rules: vec![FilterRule {
                kind: "EVENT_TYPE".into(),
                values: events.iter().map(|e| json!(e)).collect(),
            }],
        }],
    }
}

#[tokio::test]
async fn a_participants_data_field_change_is_notified_signed_and_verifies() {
    let s = setup().await;
    let (url, bodies) = receiver(200).await;
    let hook = s.client.create_webhook(&filtered(&url, &["data_field:update", "contract:sign"])).await.unwrap();
    assert_eq!(s.client.webhooks().await.unwrap()[0].webhook_id, hook.webhook_id);
    let id = s.sim.app().add_contract(s.template.template_id, &[("salary", "50000")]).unwrap();
    s.sim.app().participant_sets_field(id, "salary", "52000").unwrap();
    let seen = wait_for(&bodies, 1).await;
    let notification = parse(SECRET, seen[0].as_bytes()).unwrap();
    assert_eq!(notification.contract.id, id);
    assert!(notification.has("data_field:update"));
    assert!(parse_time(notification.events[0].created_time.as_deref().unwrap()).is_some(), "+0000 offsets parse");
    assert_eq!(parse("wrong", seen[0].as_bytes()), Err(WebhookError::BadSignature));
    // The notification carries no values: the change is read back over REST.
    let events = s.client.contract_events(id).await.unwrap();
    let changed = events.iter().find(|e| e.kind.as_deref() == Some("data_field:update")).unwrap();
    assert_eq!(changed.data.as_ref().unwrap()["changes"][0]["to"], "52000");

    // Our own API write echoes back as the same kind of event (the engine must ignore it, SPEC B4).
    s.client.update_data_field(id, &DataFieldRef::CustomId("salary".into()), Some("53000")).await.unwrap();
    assert_eq!(wait_for(&bodies, 2).await.len(), 2);
    // An unchanged value is no change: no event, so nothing to notify.
    let before = s.client.contract_events(id).await.unwrap().len();
    s.client.update_data_field(id, &DataFieldRef::CustomId("salary".into()), Some("53000")).await.unwrap();
    assert_eq!(s.client.contract_events(id).await.unwrap().len(), before);
    s.client.delete_webhook(hook.webhook_id).await.unwrap();
    assert!(s.client.webhooks().await.unwrap().is_empty());
    assert!(s.sim.state().webhooks.is_empty(), "a deleted webhook has no receiver left");
}

#[tokio::test]
async fn filters_drop_unlisted_events() {
    let s = setup().await;
    let (url, bodies) = receiver(200).await;
    s.client.create_webhook(&filtered(&url, &["contract:sign"])).await.unwrap();
    let id = s.sim.app().add_contract(s.template.template_id, &[]).unwrap();
    s.sim.app().add_counterparty(id, "Ada", "ada@example.com").unwrap();
    s.client.publish_contract(id, "Offer", "Sign please").await.unwrap();
    s.sim.app().sign_all(id).unwrap();
    let seen = wait_for(&bodies, 1).await;
    assert_eq!(seen.len(), 1);
    let n = parse(SECRET, seen[0].as_bytes()).unwrap();
    let kinds: Vec<_> = n.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["contract:sign"], "publish and participant events are filtered out");
}

#[tokio::test]
async fn anything_but_200_is_retried_with_the_same_callback_id() {
    let s = setup().await;
    s.sim.app().set_retry_delays(vec![Duration::from_millis(20); 9]);
    let (url, bodies) = receiver(201).await;
    s.client.create_webhook(&filtered(&url, &["data_field:update"])).await.unwrap();
    let id = s.sim.app().add_contract(s.template.template_id, &[]).unwrap();
    s.sim.app().participant_sets_field(id, "salary", "1").unwrap();
    let seen = wait_for(&bodies, 10).await;
    assert_eq!(seen.len(), 10, "ten attempts in all");
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "every retry repeats the notification");
    let statuses: Vec<_> = s.sim.core().webhooks().deliveries().iter().map(|d| d.status).collect();
    assert_eq!(statuses, vec![Some(201); 10], "a 201 is not the 200 Oneflow requires");
}
