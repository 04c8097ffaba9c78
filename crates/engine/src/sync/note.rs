//! The note written on a person for an outreach event (SPEC A1-A4).

use hiresync_core::{ConnectionSettings, EventIn, EventType, NoteDraft};
use serde_json::Value;

/// The note for this event under these settings; none when the settings say not to write one.
pub fn for_event(event: &EventIn, settings: &ConnectionSettings) -> Option<NoteDraft> {
    let kind = event.kind.as_str();
    if !settings.activity_tracking || !settings.notes_for.iter().any(|t| t == kind) {
        return None;
    }
    let text = |k: &str| event.data.get(k).and_then(Value::as_str).map(str::to_owned);
    let when = event.occurred_at.format("%Y-%m-%d %H:%M UTC");
    let (subject, body) = match event.kind {
        EventType::MessageSent | EventType::ReplyReceived => {
            let verb = if event.kind == EventType::MessageSent { "Sent" } else { "Reply received" };
            let step =
                event.data.get("step").and_then(Value::as_u64).map(|s| format!(" (step {s})")).unwrap_or_default();
            (text("subject"), format!("{verb}{step} {when}\n\n{}", text("body").unwrap_or_default()))
        }
        EventType::TaskCompleted => {
            (text("title"), format!("Task completed {when}\n\n{}", text("notes").unwrap_or_default()))
        }
        EventType::ContactUpdated => {
            let changed = event.data.get("changed").map(Value::to_string).unwrap_or_default();
            (None, format!("Contact updated {when}: {changed}"))
        }
        other => (None, format!("{} {when}", other.as_str().replace('_', " "))),
    };
    Some(NoteDraft {
        outreach_type: kind.to_owned(),
        note_type: settings.note_types.get(kind).cloned(),
        subject,
        body: body.trim_end().to_owned(),
        from: text("from"),
        to: text("to"),
        occurred_at: event.occurred_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, data: &Value) -> EventIn {
        EventIn::parse(&json!({"id": "e1", "type": kind, "occurred_at": "2026-11-02T09:00:00Z", "contact": "c1",
            "sequence": "s1", "data": data}))
        .unwrap()
    }

    #[test]
    fn sent_message_becomes_a_note_with_its_step_and_time() {
        let e = event("message_sent", &json!({"subject": "Hi", "body": "Hello Ada", "step": 2, "to": "a@x.io"}));
        let n = for_event(&e, &ConnectionSettings::default()).unwrap();
        assert_eq!(n.subject.as_deref(), Some("Hi"));
        assert_eq!(n.body, "Sent (step 2) 2026-11-02 09:00 UTC\n\nHello Ada");
        assert_eq!(n.to.as_deref(), Some("a@x.io"));
    }

    #[test]
    fn no_note_when_tracking_is_off_or_the_type_is_not_chosen() {
        let e = event("message_sent", &json!({}));
        let off = ConnectionSettings { activity_tracking: false, ..ConnectionSettings::default() };
        assert!(for_event(&e, &off).is_none());
        let bounced = event("bounced", &json!({}));
        assert!(for_event(&bounced, &ConnectionSettings::default()).is_none());
    }
}
