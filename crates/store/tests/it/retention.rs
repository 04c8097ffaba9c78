use chrono::DateTime;
use hiresync_core::{ConnectionId, Decision, EventIn, EventType, ProviderKind};
use hiresync_store::events::{self, NewDecision};
use hiresync_store::queue::{self, NewJob};
use hiresync_store::sync_log::{self, NewLogEntry};
use hiresync_store::webhooks_out::{self, Attempt, DELIVERED, Endpoint, NewDelivery};
use hiresync_store::{Db, Raw, StoreError, connections, now_ms, retention, webhooks, workspaces};
use hiresync_testkit::databases;
use serde_json::json;

const DAY: i64 = 24 * 60 * 60 * 1000;

/// Runs `sql` with its one parameter, a time, in the backend's own type.
async fn at(c: &mut Db, sql: &str, at: i64) {
    match c.raw() {
        Raw::Sqlite(c) => sqlx::query(sql).bind(at).execute(c).await.map(drop),
        Raw::Postgres(c) => sqlx::query(sql).bind(DateTime::from_timestamp_millis(at)).execute(c).await.map(drop),
    }
    .unwrap();
}

async fn count(c: &mut Db, sql: &str) -> i64 {
    hiresync_store::with_raw!(c, |c| sqlx::query_scalar(sql).fetch_one(c).await.unwrap())
}

fn event(id: &str, contact: &str) -> EventIn {
    EventIn {
        id: id.into(),
        kind: EventType::MessageSent,
        occurred_at: DateTime::from_timestamp_millis(1_000).unwrap(),
        contact: contact.into(),
        sequence: None,
        data: json!({}).as_object().unwrap().clone(),
    }
}

#[tokio::test]
async fn old_events_go_with_their_decisions_unless_a_job_or_an_uncarried_decision_needs_them() {
    for db in databases().await.unwrap() {
        let (store, b) = (&db.store, db.backend);
        let mut c = store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let conn = crate::connection(&ws, ProviderKind::Greenhouse);
        connections::insert(&mut c, &conn).await.unwrap();
        // One contact per event, so each carry mark speaks of one event's decision. Stored in the
        // order they were received, as ingest stores them.
        let stored = [
            ("carried", "k1", Decision::Activity),
            ("skipped", "k2", Decision::Skip { reason: "no".into() }),
            ("dead-job", "k3", Decision::Activity),
            ("uncarried", "k4", Decision::Activity),
            ("no-decision", "k6", Decision::Activity),
            ("recent", "k5", Decision::Activity),
        ];
        let evs: Vec<EventIn> = stored.iter().map(|(id, k, _)| event(id, k)).collect();
        events::insert_new(&mut c, &ws, &evs.iter().collect::<Vec<_>>()).await.unwrap();
        let decisions: Vec<NewDecision<'_>> = stored
            .iter()
            .filter(|(id, ..)| *id != "no-decision")
            .map(|(id, k, d)| NewDecision { event_id: id, connection_id: &conn.id, contact_id: k, decision: d })
            .collect();
        events::insert_decisions(&mut c, &ws, &decisions).await.unwrap();
        for k in ["k1", "k3", "k5"] {
            events::mark_carried(&mut c, &conn.id, k, i64::MAX).await.unwrap();
        }
        // A decision a carrying job split off dead, as its own sync_event_v1 job.
        let payload = json!({"kind": "sync_event_v1", "event_id": "dead-job", "connection_id": conn.id.as_str(),
                             "contact": "k3", "decision": {"action": "activity"}});
        let dead = NewJob {
            workspace_id: ws.as_str().into(),
            connection_id: Some(conn.id.as_str().into()),
            contact_id: Some("k3".into()),
            ordering_key: format!("{}:k3", conn.id.as_str()),
            kind: "sync_event_v1".into(),
            payload: payload.to_string(),
            priority: 0,
            max_attempts: 1,
            run_at: now_ms(),
        };
        queue::bury(&mut c, &dead, 1, "failed").await.unwrap();
        at(&mut c, "update events set received_at = $1 where id <> 'recent'", now_ms() - 100 * DAY).await;
        at(&mut c, "update events set received_at = $1 where id = 'recent'", now_ms() - DAY).await;
        drop(c);

        // Slices of one: each gone event takes a transaction of its own.
        let gone = retention::prune_events(store, now_ms() - 90 * DAY, 1).await.unwrap();
        assert_eq!(gone, 3, "{b}: the carried, the skipped and the undecided old events");
        let mut c = store.db().await.unwrap();
        for id in ["carried", "skipped", "no-decision"] {
            assert!(matches!(events::get(&mut c, &ws, id).await, Err(StoreError::NotFound)), "{b}: {id} is gone");
        }
        for id in ["dead-job", "uncarried", "recent"] {
            assert!(events::get(&mut c, &ws, id).await.is_ok(), "{b}: {id} stays");
        }
        let left = count(&mut c, "select count(*) from decisions where event_id in ('carried', 'skipped')").await;
        assert_eq!(left, 0, "{b}: the gone events' decisions go with them");
        let kept = count(&mut c, "select count(*) from decisions").await;
        assert_eq!(kept, 3, "{b}: the kept events keep theirs");
        let pending = events::to_carry(&mut c, &ws, &conn.id, "k4", 10).await.unwrap();
        assert_eq!(pending.len(), 1, "{b}: the uncarried decision can still be carried out");
        drop(c);
        assert_eq!(retention::prune_events(store, now_ms() - 90 * DAY, 1).await.unwrap(), 0, "{b}");
        // Once its decision is carried out, the uncarried event goes too.
        let mut c = store.db().await.unwrap();
        events::mark_carried(&mut c, &conn.id, "k4", i64::MAX).await.unwrap();
        drop(c);
        assert_eq!(retention::prune_events(store, now_ms() - 90 * DAY, 10).await.unwrap(), 1, "{b}");
        let _: &ConnectionId = &conn.id;
    }
}

#[tokio::test]
async fn old_sync_log_entries_and_webhook_deliveries_go_and_recent_ones_stay() {
    for db in databases().await.unwrap() {
        let (store, b) = (&db.store, db.backend);
        let mut c = store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let conn = crate::connection(&ws, ProviderKind::Oneflow);
        connections::insert(&mut c, &conn).await.unwrap();

        let entry = |operation| NewLogEntry {
            workspace_id: ws.as_str(),
            connection_id: Some(conn.id.as_str()),
            contact_id: Some("k1"),
            job_id: None,
            operation,
            outcome: "ok",
            detail: None,
        };
        let now = now_ms();
        let entries =
            [(entry("old 1"), now - 100 * DAY), (entry("old 2"), now - 95 * DAY), (entry("recent"), now - DAY)];
        sync_log::append_at(&mut c, &entries).await.unwrap();

        let delivery = |key| webhooks::Delivery {
            connection_id: conn.id.as_str(),
            key,
            workspace_id: ws.as_str(),
            provider: "oneflow",
        };
        for key in ["ten days", "three days", "now"] {
            assert!(webhooks::record(&mut c, &delivery(key)).await.unwrap());
        }
        at(&mut c, "update webhook_deliveries set received_at = $1 where delivery_key = 'ten days'", now - 10 * DAY)
            .await;
        at(&mut c, "update webhook_deliveries set received_at = $1 where delivery_key = 'three days'", now - 3 * DAY)
            .await;

        let endpoint = Endpoint {
            id: "we1".into(),
            workspace_id: ws.as_str().into(),
            url: "https://example.com/hook".into(),
            events: vec!["contact.synced".into()],
            description: None,
            sealed_secret: "sealed".into(),
            key_id: "k1".into(),
            created_at: now,
            failing_since: None,
            disabled_at: None,
            disabled_reason: None,
        };
        webhooks_out::insert_endpoint(&mut c, &endpoint).await.unwrap();
        let out = |id| NewDelivery {
            id,
            workspace_id: ws.as_str(),
            endpoint_id: "we1",
            message_id: id,
            event_type: "contact.synced",
            body: "{}",
        };
        webhooks_out::insert_deliveries(&mut c, &[out("old delivered"), out("old pending"), out("recent delivered")])
            .await
            .unwrap();
        let delivered = Attempt { state: DELIVERED, response_status: Some(200), error: None, next_attempt_at: None };
        for id in ["old delivered", "recent delivered"] {
            webhooks_out::record_attempt(&mut c, id, &delivered).await.unwrap();
        }
        at(
            &mut c,
            "update webhook_out_deliveries set created_at = $1, last_attempt_at = $1 where id like 'old%'",
            now - 8 * DAY,
        )
        .await;
        drop(c);

        assert_eq!(retention::prune_sync_log(store, now - 90 * DAY, 1).await.unwrap(), 2, "{b}");
        // Retention of a day still keeps a received delivery a week: a replay is recognised that long.
        assert_eq!(retention::prune_webhooks_in(store, now - DAY, now, 1).await.unwrap(), 1, "{b}");
        assert_eq!(retention::prune_webhooks_out(store, now - 7 * DAY, 1).await.unwrap(), 1, "{b}");

        let mut c = store.db().await.unwrap();
        let log = sync_log::for_contact(&mut c, ws.as_str(), "k1").await.unwrap();
        assert_eq!(log.iter().map(|e| e.operation.as_str()).collect::<Vec<_>>(), ["recent"], "{b}");
        assert_eq!(webhooks::count(&mut c, conn.id.as_str()).await.unwrap(), 2, "{b}");
        assert!(!webhooks::record(&mut c, &delivery("three days")).await.unwrap(), "{b}: still a replay");
        assert!(webhooks::record(&mut c, &delivery("ten days")).await.unwrap(), "{b}: forgotten, so new");
        let left: Vec<String> =
            webhooks_out::deliveries(&mut c, ws.as_str(), "we1", 10).await.unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(left.len(), 2, "{b}: {left:?}");
        assert!(!left.contains(&"old delivered".to_string()), "{b}: a pending delivery stays however old");
    }
}
