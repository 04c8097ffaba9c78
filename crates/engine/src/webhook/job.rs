//! The job that makes one attempt at a delivery. Every attempt settles
//! itself in one fenced transaction: it records the attempt on the delivery,
//! notes the endpoint failing or well, and when the endpoint did not take it
//! enqueues the next attempt's job at the schedule's next delay, or fails the
//! delivery when the schedule is used up (and disables an endpoint failing
//! for days, or one that answered 410 Gone).

use super::send::Sent;
use crate::job::{Context, JobError, JobKind, Outcome};
use crate::metrics::ENGINE_METRICS;
use crate::outbox::{DELIVERY_KIND, delivery_ordering_key};
use async_trait::async_trait;
use hiresync_store::queue::{self, ClaimedJob};
use hiresync_store::webhooks_out::{self, Attempt, DELIVERED, Delivery, Endpoint, FAILED, PENDING};
use hiresync_store::{Store, Tx, now_ms};
use serde::{Deserialize, Serialize};

/// Make the next attempt at one delivery of a webhook out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliverWebhook {
    /// The delivery (`whd_...`).
    pub delivery_id: String,
}

#[async_trait]
impl JobKind for DeliverWebhook {
    fn kind(&self) -> &'static str {
        DELIVERY_KIND
    }

    fn operation(&self) -> &'static str {
        "deliver webhook"
    }

    fn ordering_key(&self) -> String {
        delivery_ordering_key(&self.delivery_id)
    }

    #[tracing::instrument(skip_all, fields(delivery_id = %self.delivery_id))]
    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let store = cx.store();
        let mut db = store.db().await?;
        let Some(delivery) = webhooks_out::delivery(&mut db, &self.delivery_id).await? else {
            return finish(fenced(store, job).await?, job).await;
        };
        // Delivered, failed, or redelivered since (which enqueued a job of its own).
        if delivery.state != PENDING {
            return finish(fenced(store, job).await?, job).await;
        }
        let endpoint = webhooks_out::endpoint(&mut db, &delivery.workspace_id, &delivery.endpoint_id).await?;
        drop(db);
        let Some(endpoint) = endpoint.filter(|e| e.disabled_at.is_none()) else {
            // Deleting an endpoint deletes its deliveries; disabling it fails them.
            return finish(fenced(store, job).await?, job).await;
        };
        let hooks = cx.webhooks();
        let Some(_turn) = hooks.turn(&endpoint.id) else {
            // The endpoint has its share of this process's slots: this attempt waits a request's length.
            let later = now_ms() + millis(hooks.config().timeout).max(1000);
            let next = crate::outbox::delivery_job(&delivery.workspace_id, &delivery.id, later)?;
            let mut tx = fenced(store, job).await?;
            queue::enqueue(&mut tx, &next).await?;
            return finish(tx, job).await;
        };
        let secret = cx
            .clients()
            .vault()
            .open(&endpoint.id, &endpoint.key_id, &endpoint.sealed_secret)
            .map_err(|e| JobError::Broken(format!("the endpoint's secret does not open: {e}")))?;
        let sent = hooks.send(&endpoint.url, &secret, &delivery.message_id, &delivery.body).await;
        let schedule = &hooks.config().schedule;
        let disable_after = millis(hooks.config().disable_after);
        let next = next_step(&delivery, &endpoint, &sent, schedule, disable_after, now_ms());
        log(&delivery, &sent, &next);
        let job_row = match next.retry_at {
            Some(at) => Some(crate::outbox::delivery_job(&delivery.workspace_id, &delivery.id, at)?),
            None => None,
        };
        let mut tx = fenced(store, job).await?;
        let attempt = Attempt {
            state: next.state,
            response_status: next.status,
            error: next.error.as_deref(),
            next_attempt_at: next.retry_at,
        };
        webhooks_out::record_attempt(&mut tx, &delivery.id, &attempt).await?;
        if next.state == DELIVERED {
            webhooks_out::endpoint_succeeded(&mut tx, &endpoint.id).await?;
        } else {
            webhooks_out::endpoint_failed(&mut tx, &endpoint.id).await?;
        }
        if let Some(row) = &job_row {
            queue::enqueue(&mut tx, row).await?;
        }
        if let Some(reason) = &next.disable {
            webhooks_out::disable_endpoint(&mut tx, &endpoint.id, reason).await?;
            tracing::warn!(endpoint_id = %endpoint.id, reason, "Webhook endpoint disabled.");
        }
        finish(tx, job).await
    }
}

/// What an attempt leaves behind.
#[derive(Debug, PartialEq)]
struct Next {
    state: &'static str,
    status: Option<i64>,
    error: Option<String>,
    retry_at: Option<i64>,
    disable: Option<String>,
}

/// Where a delivery stands after an attempt that ended `sent` at `now`.
fn next_step(
    d: &Delivery,
    e: &Endpoint,
    sent: &Sent,
    schedule: &[std::time::Duration],
    disable_after: i64,
    now: i64,
) -> Next {
    let (status, error) = match sent {
        Sent::Delivered(code) => {
            return Next {
                state: DELIVERED,
                status: Some(i64::from(*code)),
                error: None,
                retry_at: None,
                disable: None,
            };
        }
        Sent::Refused(code) => (Some(i64::from(*code)), format!("the endpoint answered {code}")),
        Sent::Failed(why) => (None, why.clone()),
    };
    // Standard Webhooks: a receiver answering 410 Gone asks not to be sent anything more.
    if status == Some(410) {
        let disable = Some("the endpoint answered 410 Gone".to_owned());
        return Next { state: FAILED, status, error: Some(error), retry_at: None, disable };
    }
    let made = usize::try_from(d.attempts + 1).unwrap_or(usize::MAX);
    if let Some(delay) = schedule.get(made - 1) {
        let retry_at = Some(now + millis(*delay));
        return Next { state: PENDING, status, error: Some(error), retry_at, disable: None };
    }
    let since = e.failing_since.unwrap_or(now);
    let disable = (now - since >= disable_after)
        .then(|| format!("deliveries failed for {} hours; the last: {error}", (now - since) / 3_600_000));
    Next { state: FAILED, status, error: Some(error), retry_at: None, disable }
}

fn log(d: &Delivery, sent: &Sent, next: &Next) {
    ENGINE_METRICS.delivery(match sent {
        Sent::Delivered(_) => "delivered",
        Sent::Refused(_) => "refused",
        Sent::Failed(_) => "failed",
    });
    match sent {
        Sent::Delivered(code) => tracing::debug!(delivery_id = %d.id, status = code, "Webhook delivered."),
        _ => tracing::info!(delivery_id = %d.id, endpoint_id = %d.endpoint_id, attempt = d.attempts + 1,
            error = next.error.as_deref().unwrap_or(""), retry_at = next.retry_at,
            "Webhook delivery attempt failed."),
    }
}

/// A write transaction in which the job is still ours: the check takes the job's row lock.
async fn fenced(store: &Store, job: &ClaimedJob) -> Result<Tx, JobError> {
    let mut tx = store.begin().await?;
    if !queue::fence(&mut tx, job.id, &job.lease_token).await? {
        tx.rollback().await.map_err(hiresync_store::StoreError::from)?;
        return Err(JobError::LeaseLost);
    }
    Ok(tx)
}

/// Completes the job with what `tx` holds.
async fn finish(mut tx: Tx, job: &ClaimedJob) -> Result<Outcome, JobError> {
    if !queue::complete(&mut tx, job.id, &job.lease_token).await? {
        tx.rollback().await.map_err(hiresync_store::StoreError::from)?;
        return Err(JobError::LeaseLost);
    }
    tx.commit().await?;
    Ok(Outcome::Completed)
}

fn millis(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn delivery(attempts: i64) -> Delivery {
        Delivery {
            id: "whd_1".into(),
            workspace_id: "ws_1".into(),
            endpoint_id: "whe_1".into(),
            message_id: "msg_1".into(),
            event_type: "contact.synced".into(),
            body: "{}".into(),
            state: PENDING.into(),
            attempts,
            next_attempt_at: None,
            last_attempt_at: None,
            response_status: None,
            last_error: None,
            created_at: 0,
            delivered_at: None,
        }
    }

    fn endpoint(failing_since: Option<i64>) -> Endpoint {
        Endpoint {
            id: "whe_1".into(),
            workspace_id: "ws_1".into(),
            url: "https://example.com".into(),
            events: vec![],
            description: None,
            sealed_secret: String::new(),
            key_id: String::new(),
            created_at: 0,
            failing_since,
            disabled_at: None,
            disabled_reason: None,
        }
    }

    const SCHEDULE: [Duration; 2] = [Duration::from_secs(5), Duration::from_secs(60)];

    #[test]
    fn failures_follow_the_schedule_then_fail_and_a_long_failing_endpoint_is_disabled() {
        let day = 86_400_000;
        let e = endpoint(Some(0));
        let first = next_step(&delivery(0), &e, &Sent::Refused(500), &SCHEDULE, 5 * day, 1000);
        assert_eq!((first.state, first.retry_at, first.status), (PENDING, Some(6000), Some(500)));
        let second = next_step(&delivery(1), &e, &Sent::Failed("timeout".into()), &SCHEDULE, 5 * day, 1000);
        assert_eq!(second.retry_at, Some(61_000));
        let last = next_step(&delivery(2), &e, &Sent::Refused(503), &SCHEDULE, 5 * day, day);
        assert_eq!((last.state, last.retry_at, last.disable.is_none()), (FAILED, None, true), "failing a day only");
        let days = next_step(&delivery(2), &e, &Sent::Refused(503), &SCHEDULE, 5 * day, 6 * day);
        assert!(days.disable.is_some_and(|r| r.contains("503")));
    }

    #[test]
    fn a_2xx_delivers_and_a_410_disables_at_once() {
        let ok = next_step(&delivery(3), &endpoint(Some(0)), &Sent::Delivered(204), &SCHEDULE, 0, 1);
        assert_eq!((ok.state, ok.status, ok.disable), (DELIVERED, Some(204), None));
        let gone = next_step(&delivery(0), &endpoint(None), &Sent::Refused(410), &SCHEDULE, i64::MAX, 1);
        assert_eq!(gone.state, FAILED);
        assert!(gone.disable.is_some());
    }
}
