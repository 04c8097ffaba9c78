//! Outreach events as the outreach app posts them (API.md "Events").

use crate::{ValidationError, validation::Checker, validation::is_external_id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Most events one `POST /v1/events` may carry.
pub const MAX_BATCH: usize = 1000;

/// Contact variables that hold lists and so may map to several fields (SPEC M1).
pub const LIST_VARIABLES: [&str; 3] = ["emails", "phones", "sync_tags"];

/// What happened in the outreach app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// A contact was added to a sequence.
    ContactAdded,
    /// A message of a sequence was sent.
    MessageSent,
    /// The contact replied.
    ReplyReceived,
    /// The recruiter marked the contact interested.
    MarkedInterested,
    /// The recruiter marked the contact not interested.
    MarkedNotInterested,
    /// The contact unsubscribed.
    Unsubscribed,
    /// A message bounced.
    Bounced,
    /// A manual task of a sequence was completed.
    TaskCompleted,
    /// The contact was edited by hand.
    ContactUpdated,
}

impl EventType {
    /// Every type, in a stable order.
    pub const ALL: [EventType; 9] = [
        EventType::ContactAdded,
        EventType::MessageSent,
        EventType::ReplyReceived,
        EventType::MarkedInterested,
        EventType::MarkedNotInterested,
        EventType::Unsubscribed,
        EventType::Bounced,
        EventType::TaskCompleted,
        EventType::ContactUpdated,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ContactAdded => "contact_added",
            EventType::MessageSent => "message_sent",
            EventType::ReplyReceived => "reply_received",
            EventType::MarkedInterested => "marked_interested",
            EventType::MarkedNotInterested => "marked_not_interested",
            EventType::Unsubscribed => "unsubscribed",
            EventType::Bounced => "bounced",
            EventType::TaskCompleted => "task_completed",
            EventType::ContactUpdated => "contact_updated",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The outreach stage this event moves a contact to (SPEC A5), if any.
    pub fn stage(self) -> Option<&'static str> {
        match self {
            EventType::MessageSent => Some("messaged"),
            EventType::ReplyReceived => Some("replied"),
            EventType::MarkedInterested => Some("interested"),
            EventType::MarkedNotInterested => Some("not_interested"),
            EventType::Unsubscribed => Some("unsubscribed"),
            EventType::Bounced => Some("bounced"),
            _ => None,
        }
    }
}

/// One validated event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventIn {
    /// The app's idempotency key.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The contact's external id.
    pub contact: String,
    /// The sequence's external id, if the event belongs to one.
    pub sequence: Option<String>,
    /// Type-specific data.
    pub data: Map<String, Value>,
}

impl EventIn {
    /// Validates one raw event; field paths are relative to the event.
    pub fn parse(raw: &Value) -> Result<Self, ValidationError> {
        let Some(obj) = raw.as_object() else {
            return Err(ValidationError::field("", "must be an object"));
        };
        let mut c = Checker::default();
        let str_of = |k: &str| obj.get(k).and_then(Value::as_str);
        let id = str_of("id").unwrap_or_default();
        c.check(is_external_id(id), "id", "required: a string of 1 to 255 characters");
        let kind = str_of("type").and_then(EventType::parse);
        c.check(kind.is_some(), "type", "unknown event type");
        let occurred_at = str_of("occurred_at").and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        c.check(occurred_at.is_some(), "occurred_at", "required: an RFC 3339 time");
        let contact = str_of("contact").unwrap_or_default();
        c.check(is_external_id(contact), "contact", "required: the contact's external id");
        let sequence = match obj.get("sequence") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if is_external_id(s) => Some(s.clone()),
            Some(_) => {
                c.check(false, "sequence", "must be a sequence external id or null");
                None
            }
        };
        let data = match obj.get("data") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => {
                c.check(false, "data", "must be an object");
                Map::new()
            }
        };
        if let Some(kind) = kind {
            check_data(kind, &data, &mut c);
        }
        c.finish()?;
        let (Some(kind), Some(occurred_at)) = (kind, occurred_at) else {
            return Err(ValidationError::field("type", "unknown event type"));
        };
        Ok(Self {
            id: id.to_owned(),
            kind,
            occurred_at: occurred_at.with_timezone(&Utc),
            contact: contact.to_owned(),
            sequence,
            data,
        })
    }
}

/// Longest short text in an event's data (a subject, an address, a title).
const MAX_LINE: usize = 1000;
/// Longest long text (a message body, a task's notes): a long email, not a file.
const MAX_BODY: usize = 100_000;
/// Most keys of an event's data, and its largest size as JSON.
const MAX_DATA_KEYS: usize = 50;
const MAX_DATA_BYTES: usize = 256 * 1024;

fn check_data(kind: EventType, data: &Map<String, Value>, c: &mut Checker) {
    let string_or_absent = |k: &str| data.get(k).is_none_or(|v| v.is_string() || v.is_null());
    let bounded = |k: &str, max: usize, c: &mut Checker| {
        let long = data.get(k).and_then(Value::as_str).is_some_and(|s| s.chars().count() > max);
        c.check(!long, &format!("data.{k}"), &format!("must be at most {max} characters"));
    };
    c.check(data.len() <= MAX_DATA_KEYS, "data", &format!("must hold at most {MAX_DATA_KEYS} keys"));
    let bytes = serde_json::to_string(data).map_or(usize::MAX, |s| s.len());
    c.check(bytes <= MAX_DATA_BYTES, "data", "must be at most 256 KiB as JSON");
    match kind {
        EventType::MessageSent | EventType::ReplyReceived => {
            for k in ["subject", "body", "to", "from", "message_id"] {
                c.check(string_or_absent(k), &format!("data.{k}"), "must be a string");
                bounded(k, if k == "body" { MAX_BODY } else { MAX_LINE }, c);
            }
            c.check(
                data.get("step").is_none_or(|v| v.is_u64() || v.is_null()),
                "data.step",
                "must be a non-negative integer",
            );
        }
        EventType::TaskCompleted => {
            for k in ["title", "notes"] {
                c.check(string_or_absent(k), &format!("data.{k}"), "must be a string");
                bounded(k, if k == "notes" { MAX_BODY } else { MAX_LINE }, c);
            }
        }
        EventType::ContactUpdated => {
            c.check(
                data.get("changed").is_some_and(Value::is_object),
                "data.changed",
                "required: an object of changed fields",
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(t: &str) -> Value {
        json!({"id": "e1", "type": t, "occurred_at": "2026-11-02T09:00:00Z", "contact": "c1", "sequence": "s1", "data": {}})
    }

    #[test]
    fn valid_event_parses() {
        let e = EventIn::parse(&ev("contact_added")).unwrap();
        assert_eq!(e.kind, EventType::ContactAdded);
        assert_eq!(e.sequence.as_deref(), Some("s1"));
    }

    #[test]
    fn unknown_type_and_bad_time_name_their_fields() {
        let mut raw = ev("contact_teleported");
        raw["occurred_at"] = json!("yesterday");
        let e = EventIn::parse(&raw).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["type", "occurred_at"]);
    }

    #[test]
    fn contact_updated_needs_changed() {
        let e = EventIn::parse(&ev("contact_updated")).unwrap_err();
        assert_eq!(e.errors[0].field, "data.changed");
    }

    #[test]
    fn long_texts_in_an_event_are_refused_by_name() {
        let mut e = json!({"id": "e1", "type": "message_sent", "occurred_at": "2026-11-02T09:00:00Z",
            "contact": "c1", "data": {"subject": "x".repeat(1001), "body": "y".repeat(100_000)}});
        let err = EventIn::parse(&e).unwrap_err();
        assert_eq!(err.errors.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["data.subject"]);
        e["data"] = json!({"body": "y".repeat(100_001)});
        assert_eq!(EventIn::parse(&e).unwrap_err().errors[0].field, "data.body");
        e["data"] = Value::Object((0..51).map(|i| (format!("k{i}"), json!(1))).collect());
        assert_eq!(EventIn::parse(&e).unwrap_err().errors[0].field, "data");
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in ".*", n in proptest::num::i64::ANY) {
            let _ = EventIn::parse(&json!({"id": s, "type": s, "occurred_at": s, "contact": n, "data": s}));
        }
    }
}
