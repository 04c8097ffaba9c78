//! Bodies of `/v1/events`.

use super::common::FreeForm;
use chrono::{DateTime, Utc};
use hiresync_core::EventType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// What happened in the outreach app.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A contact was added to a sequence.
    ContactAdded,
    /// A message was sent: `data` `{subject, body, step, to, from, message_id}`.
    MessageSent,
    /// The contact replied: `data` as for `message_sent`.
    ReplyReceived,
    /// The recruiter marked the contact interested.
    MarkedInterested,
    /// The recruiter marked the contact not interested.
    MarkedNotInterested,
    /// The contact unsubscribed.
    Unsubscribed,
    /// A message bounced.
    Bounced,
    /// A manual task was completed: `data` `{title, notes}`.
    TaskCompleted,
    /// The contact was edited by hand: `data` `{changed: {field: value}}`.
    ContactUpdated,
}

/// One event of a batch. Every field but `sequence` and `data` is required; they are optional
/// to the parser only so that one answer names every field at fault in every event.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "an event object")]
#[schema(example = json!({"id": "evt-9f2", "type": "reply_received", "occurred_at": "2026-11-02T09:00:00Z",
    "contact": "c-1", "sequence": "seq-1", "data": {"subject": "Re: Rust at Acme", "body": "Sounds good!",
    "step": 2, "to": "recruiter@acme.io", "from": "ada@example.com", "message_id": "<m1@example.com>"}}))]
pub struct EventIn {
    /// The app's idempotency key (1 to 255 characters): an id seen before is a duplicate.
    #[schema(required)]
    pub id: Option<String>,
    /// What happened.
    #[serde(rename = "type")]
    #[schema(required, value_type = EventKind)]
    pub kind: Option<EventType>,
    /// When it happened (RFC 3339).
    #[schema(required)]
    pub occurred_at: Option<DateTime<Utc>>,
    /// The contact's external id; the contact must have been PUT first.
    #[schema(required)]
    pub contact: Option<String>,
    /// The sequence's external id, if the event belongs to one.
    pub sequence: Option<String>,
    /// Type-specific data (see `type`).
    pub data: Option<FreeForm>,
}

impl EventIn {
    /// The event as JSON, for core's checks ([`hiresync_core::EventIn::parse`]).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// What a batch did, once it is durable.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"accepted": 998, "duplicates": 2}))]
pub struct EventsOut {
    /// Events stored.
    pub accepted: usize,
    /// Events whose id was seen before; they changed nothing.
    pub duplicates: usize,
}
