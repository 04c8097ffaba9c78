//! Webhook endpoints and outbound deliveries on PostgreSQL.

use super::types::{from_json, ms, ms_opt, ts, ts_opt};
use crate::webhooks_out::{Attempt, DELIVERED, Delivery, Endpoint, FAILED, NewDelivery, PENDING};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;
use sqlx::types::Json;

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: String,
    workspace_id: String,
    url: String,
    events: Value,
    description: Option<String>,
    sealed_secret: String,
    key_id: String,
    created_at: DateTime<Utc>,
    failing_since: Option<DateTime<Utc>>,
    disabled_at: Option<DateTime<Utc>>,
    disabled_reason: Option<String>,
}

impl TryFrom<EndpointRow> for Endpoint {
    type Error = StoreError;
    fn try_from(r: EndpointRow) -> Result<Self> {
        Ok(Endpoint {
            id: r.id,
            workspace_id: r.workspace_id,
            url: r.url,
            events: from_json("webhook_endpoints.events", r.events)?,
            description: r.description,
            sealed_secret: r.sealed_secret,
            key_id: r.key_id,
            created_at: ms(r.created_at),
            failing_since: ms_opt(r.failing_since),
            disabled_at: ms_opt(r.disabled_at),
            disabled_reason: r.disabled_reason,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: String,
    workspace_id: String,
    endpoint_id: String,
    message_id: String,
    event_type: String,
    body: String,
    state: String,
    attempts: i64,
    next_attempt_at: Option<DateTime<Utc>>,
    last_attempt_at: Option<DateTime<Utc>>,
    response_status: Option<i32>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Self {
        Delivery {
            id: r.id,
            workspace_id: r.workspace_id,
            endpoint_id: r.endpoint_id,
            message_id: r.message_id,
            event_type: r.event_type,
            body: r.body,
            state: r.state,
            attempts: r.attempts,
            next_attempt_at: ms_opt(r.next_attempt_at),
            last_attempt_at: ms_opt(r.last_attempt_at),
            response_status: r.response_status.map(i64::from),
            last_error: r.last_error,
            created_at: ms(r.created_at),
            delivered_at: ms_opt(r.delivered_at),
        }
    }
}

const ENDPOINT: &str = "id, workspace_id, url, events, description, sealed_secret, key_id, created_at, \
                        failing_since, disabled_at, disabled_reason";

const DELIVERY: &str = "id, workspace_id, endpoint_id, message_id, event_type, body, state, attempts, \
                        next_attempt_at, last_attempt_at, response_status, last_error, created_at, delivered_at";

pub(crate) async fn insert_endpoint(c: &mut PgConnection, e: &Endpoint) -> Result<()> {
    sqlx::query(&format!(
        "insert into webhook_endpoints ({ENDPOINT}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&e.id)
    .bind(&e.workspace_id)
    .bind(&e.url)
    .bind(Json(&e.events))
    .bind(e.description.as_deref())
    .bind(&e.sealed_secret)
    .bind(&e.key_id)
    .bind(ts(e.created_at))
    .bind(ts_opt(e.failing_since))
    .bind(ts_opt(e.disabled_at))
    .bind(e.disabled_reason.as_deref())
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn endpoints(c: &mut PgConnection, ws: &str, id: Option<&str>) -> Result<Vec<Endpoint>> {
    let rows: Vec<EndpointRow> = sqlx::query_as(&format!(
        "select {ENDPOINT} from webhook_endpoints where workspace_id = $1 and ($2::text is null or id = $2) order by id"
    ))
    .bind(ws)
    .bind(id)
    .fetch_all(c)
    .await?;
    rows.into_iter().map(Endpoint::try_from).collect()
}

pub(crate) async fn delete_endpoint(c: &mut PgConnection, ws: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("delete from webhook_endpoints where workspace_id = $1 and id = $2")
        .bind(ws)
        .bind(id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn set_secret(c: &mut PgConnection, ws: &str, id: &str, sealed: &str, key: &str) -> Result<bool> {
    let done =
        sqlx::query("update webhook_endpoints set sealed_secret = $3, key_id = $4 where workspace_id = $1 and id = $2")
            .bind(ws)
            .bind(id)
            .bind(sealed)
            .bind(key)
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn endpoint_failed(c: &mut PgConnection, id: &str, now: i64) -> Result<()> {
    sqlx::query("update webhook_endpoints set failing_since = coalesce(failing_since, $2) where id = $1")
        .bind(id)
        .bind(ts(now))
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn endpoint_succeeded(c: &mut PgConnection, id: &str) -> Result<()> {
    sqlx::query("update webhook_endpoints set failing_since = null where id = $1 and failing_since is not null")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn disable_endpoint(c: &mut PgConnection, id: &str, reason: &str, now: i64) -> Result<()> {
    sqlx::query("update webhook_endpoints set disabled_at = $2, disabled_reason = $3 where id = $1")
        .bind(id)
        .bind(ts(now))
        .bind(reason)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "update webhook_out_deliveries set state = $2, next_attempt_at = null, last_error = $3
         where endpoint_id = $1 and state = $4",
    )
    .bind(id)
    .bind(FAILED)
    .bind(format!("the endpoint was disabled: {reason}"))
    .bind(PENDING)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn insert_delivery(c: &mut PgConnection, d: &NewDelivery<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "insert into webhook_out_deliveries
           (id, workspace_id, endpoint_id, message_id, event_type, body, state, attempts, next_attempt_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)",
    )
    .bind(d.id)
    .bind(d.workspace_id)
    .bind(d.endpoint_id)
    .bind(d.message_id)
    .bind(d.event_type)
    .bind(d.body)
    .bind(PENDING)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn delivery(c: &mut PgConnection, ws: Option<&str>, id: &str) -> Result<Option<Delivery>> {
    let row: Option<DeliveryRow> = sqlx::query_as(&format!(
        "select {DELIVERY} from webhook_out_deliveries where id = $1 and ($2::text is null or workspace_id = $2)"
    ))
    .bind(id)
    .bind(ws)
    .fetch_optional(c)
    .await?;
    Ok(row.map(Delivery::from))
}

pub(crate) async fn record_attempt(c: &mut PgConnection, id: &str, a: &Attempt<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "update webhook_out_deliveries set state = $2, attempts = attempts + 1, response_status = $3, last_error = $4,
           next_attempt_at = $5, last_attempt_at = $6, delivered_at = case when $2 = $7 then $6 else delivered_at end
         where id = $1",
    )
    .bind(id)
    .bind(a.state)
    .bind(a.response_status.and_then(|s| i32::try_from(s).ok()))
    .bind(a.error)
    .bind(ts_opt(a.next_attempt_at))
    .bind(ts(now))
    .bind(DELIVERED)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn redeliver(c: &mut PgConnection, ws: &str, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "update webhook_out_deliveries set state = $3, attempts = 0, next_attempt_at = $4
         where workspace_id = $1 and id = $2",
    )
    .bind(ws)
    .bind(id)
    .bind(PENDING)
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn deliveries(c: &mut PgConnection, ws: &str, endpoint_id: &str, limit: i64) -> Result<Vec<Delivery>> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "select {DELIVERY} from webhook_out_deliveries where workspace_id = $1 and endpoint_id = $2
         order by id desc limit $3"
    ))
    .bind(ws)
    .bind(endpoint_id)
    .bind(limit)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}

pub(crate) async fn sealed_secrets(c: &mut PgConnection) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as("select id, key_id, sealed_secret from webhook_endpoints order by id").fetch_all(c).await?)
}

pub(crate) async fn replace_secret(
    c: &mut PgConnection,
    id: &str,
    was: &str,
    key_id: &str,
    sealed: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "update webhook_endpoints set sealed_secret = $4, key_id = $3 where id = $1 and sealed_secret = $2",
    )
    .bind(id)
    .bind(was)
    .bind(key_id)
    .bind(sealed)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}
