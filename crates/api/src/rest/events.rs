//! `POST /v1/events`: a batch of up to 1000 outreach events, validated whole,
//! stored with their decisions and jobs all or nothing, answered after commit.

use crate::body::common::AtMost;
use crate::body::events::{EventIn, EventsOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use hiresync_core::event::MAX_BATCH;
use hiresync_core::{EventType, ValidationError};
use hiresync_store::workspaces::User;
use serde_json::{Map, Value};

/// Accepts a batch of events.
#[utoipa::path(post, path = "/v1/events", tag = "events",
    request_body(content = [EventIn], description = "Up to 1000 events, stored all or nothing"), responses(
    (status = 202, description = "Durable", body = EventsOut),
    (status = 422, description = "An invalid event (named by its index) rejected the whole batch")))]
pub async fn post(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Json(AtMost(raw)): Json<AtMost<EventIn, MAX_BATCH>>,
) -> ApiResult<(StatusCode, Json<EventsOut>)> {
    let mut batch: Vec<hiresync_core::EventIn> = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    // Core holds the rules beyond types (id lengths, each type's data), naming every field at fault at once.
    for (i, r) in raw.iter().enumerate() {
        match hiresync_core::EventIn::parse(&r.to_json()) {
            Ok(e) => batch.push(e),
            Err(e) => errors.extend(e.within(&format!("[{i}]")).errors),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(ValidationError { errors }));
    }
    for (i, e) in batch.iter_mut().enumerate() {
        if let Err(invalid) = checked_hand_edit(&state, &caller, e).await {
            match invalid {
                ApiError::Invalid(v) => errors.extend(v.within(&format!("[{i}].data.changed")).errors),
                other => return Err(other),
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(ValidationError { errors }));
    }
    let done = state.intake.submit(&caller.workspace_id, &caller.id, batch).await?;
    state.metrics.events_accepted.inc_by(done.accepted as u64);
    state.metrics.events_duplicate.inc_by(done.duplicates as u64);
    if done.jobs > 0 {
        state.wake.notify_one();
    }
    Ok((StatusCode::ACCEPTED, Json(EventsOut { accepted: done.accepted, duplicates: done.duplicates })))
}

/// A hand edit's displayed-field values (`{"field_values": {..}}` or `{"field_values.<key>": ..}`
/// in `changed`) checked as a contact's are (SPEC M3), and replaced by the values as stored.
async fn checked_hand_edit(state: &AppState, caller: &User, e: &mut hiresync_core::EventIn) -> ApiResult<()> {
    if e.kind != EventType::ContactUpdated {
        return Ok(());
    }
    let Some(Value::Object(changed)) = e.data.get_mut("changed") else { return Ok(()) };
    let mut values = Map::new();
    if let Some(Value::Object(inner)) = changed.get("field_values") {
        values.extend(inner.clone());
    }
    for (k, v) in changed.iter() {
        if let Some(key) = k.strip_prefix("field_values.") {
            values.insert(key.to_owned(), v.clone());
        }
    }
    if values.is_empty() {
        return Ok(());
    }
    let checked = super::fields::checked_values(state, caller, &values).await?;
    if let Some(Value::Object(inner)) = changed.get_mut("field_values") {
        for (k, v) in inner.iter_mut() {
            if let Some(c) = checked.get(k) {
                *v = c.clone();
            }
        }
    }
    for (k, v) in changed.iter_mut() {
        if let Some(c) = k.strip_prefix("field_values.").and_then(|key| checked.get(key)) {
            *v = c.clone();
        }
    }
    Ok(())
}
