//! The sync decision taken when an event is accepted (SPEC S1-S4): sync the
//! person, write activity on them, push an edit, or skip with a reason.

use crate::{ConnectionSettings, EventType, Target, Trigger};
use serde::{Deserialize, Serialize};

/// A contact's own override (SPEC S3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncOverride {
    /// Sync whatever the trigger and sequence say.
    Sync,
    /// Never sync.
    DontSync,
}

impl SyncOverride {
    /// The override a stored `sync_override` names, if any.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sync" => Some(SyncOverride::Sync),
            "dont_sync" => Some(SyncOverride::DontSync),
            _ => None,
        }
    }
}

/// Where the contact stands with one connection when the event arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Nothing decided yet.
    #[default]
    None,
    /// A sync was decided and is queued or running.
    Pending,
    /// The person exists in the provider and is linked.
    Synced,
    /// Deliberately not synced (see its reason).
    Skipped,
    /// The sync failed (see its reason); retryable.
    Failed,
}

impl SyncState {
    /// Whether the person is, or is about to be, in the provider.
    pub fn is_linked(self) -> bool {
        matches!(self, SyncState::Pending | SyncState::Synced)
    }
}

/// Everything the decision depends on, read in the ingest transaction.
#[derive(Clone, Debug)]
pub struct DecisionInput<'a> {
    /// The event's type.
    pub event: EventType,
    /// The connection's resolved settings.
    pub settings: &'a ConnectionSettings,
    /// The sequence's own target ("Custom Sync"), if any.
    pub sequence_target: Option<&'a Target>,
    /// The contact joined the sequence while it had syncing disabled (S2).
    pub added_while_disabled: bool,
    /// The contact's override (S3).
    pub contact_override: Option<SyncOverride>,
    /// Where the contact stands with this connection.
    pub state: SyncState,
    /// For replies: whether this is the contact's first in the sequence (A2).
    pub first_reply: bool,
}

/// What the worker will do for this event and connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Decision {
    /// Create or link the person and put them on the target, then record the event.
    Sync {
        /// Resolved now and never moved later (S4).
        target: Option<Target>,
    },
    /// Record the event on the linked person (note, stage, progress); for a contact not
    /// synced, only its note, on a record the provider already holds for its email (A4).
    Activity,
    /// Push the contact's hand edits (S8) or refresh their history on a re-sync (S9).
    UpdatePerson,
    /// Do nothing, and say why.
    Skip {
        /// Shown to the user as the contact's status.
        reason: String,
    },
}

impl Decision {
    /// The stored action name.
    pub fn action(&self) -> &'static str {
        match self {
            Decision::Sync { .. } => "sync",
            Decision::Activity => "activity",
            Decision::UpdatePerson => "update_person",
            Decision::Skip { .. } => "skip",
        }
    }
}

fn skip(reason: &str) -> Decision {
    Decision::Skip { reason: reason.to_owned() }
}

/// Whether a contact not synced (yet) still gets this event's note on a record the provider
/// already holds: unless notes go only to synced people (A4), or sync is off altogether.
fn notes_on_existing_record(i: &DecisionInput<'_>) -> bool {
    let s = i.settings;
    s.trigger != Trigger::Off
        && s.activity_tracking
        && !s.notes_only_for_synced
        && s.notes_for.iter().any(|t| t == i.event.as_str())
        && (i.event != EventType::ReplyReceived || i.first_reply)
}

/// Decides for one event and one connection.
pub fn decide(i: &DecisionInput<'_>) -> Decision {
    if i.contact_override == Some(SyncOverride::DontSync) {
        return skip("contact is set to don't sync");
    }
    let forced = i.contact_override == Some(SyncOverride::Sync);
    if i.added_while_disabled && !forced {
        return skip("sequence had sync disabled when the contact was added");
    }
    if i.state.is_linked() {
        return match i.event {
            EventType::ContactAdded if i.settings.update_history => Decision::UpdatePerson,
            EventType::ContactAdded => skip("already synced"),
            EventType::ContactUpdated if i.settings.sync_manual_updates || i.settings.update_history => {
                Decision::UpdatePerson
            }
            EventType::ContactUpdated => skip("pushing hand edits is off"),
            EventType::ReplyReceived if !i.first_reply => skip("only the first reply is written"),
            _ => Decision::Activity,
        };
    }
    let fires = forced
        || match i.settings.trigger {
            Trigger::Off => false,
            Trigger::OnAdd => {
                matches!(i.event, EventType::ContactAdded | EventType::ReplyReceived | EventType::MarkedInterested)
            }
            Trigger::OnReply => matches!(i.event, EventType::ReplyReceived | EventType::MarkedInterested),
            Trigger::OnInterested => i.event == EventType::MarkedInterested,
        };
    if !fires {
        if notes_on_existing_record(i) {
            return Decision::Activity;
        }
        return skip(match i.settings.trigger {
            Trigger::Off => "sync is off",
            Trigger::OnAdd => "not synced yet",
            Trigger::OnReply => "waiting for a reply",
            Trigger::OnInterested => "waiting for the contact to be marked interested",
        });
    }
    Decision::Sync { target: i.sequence_target.or(i.settings.default_target.as_ref()).cloned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(s: &ConnectionSettings, event: EventType) -> DecisionInput<'_> {
        DecisionInput {
            event,
            settings: s,
            sequence_target: None,
            added_while_disabled: false,
            contact_override: None,
            state: SyncState::None,
            first_reply: true,
        }
    }

    #[test]
    fn triggers_fire_on_their_events_only() {
        let mut s = ConnectionSettings { notes_only_for_synced: true, ..Default::default() };
        assert_eq!(decide(&input(&s, EventType::ContactAdded)).action(), "sync");
        s.trigger = Trigger::OnReply;
        assert_eq!(decide(&input(&s, EventType::ContactAdded)).action(), "skip");
        assert_eq!(decide(&input(&s, EventType::ReplyReceived)).action(), "sync");
        s.trigger = Trigger::OnInterested;
        assert_eq!(decide(&input(&s, EventType::ReplyReceived)).action(), "skip");
        assert_eq!(decide(&input(&s, EventType::MarkedInterested)).action(), "sync");
        s.trigger = Trigger::Off;
        assert_eq!(decide(&input(&s, EventType::MarkedInterested)).action(), "skip");
    }

    #[test]
    fn sequence_target_wins_over_default_and_overrides_apply() {
        let s = ConnectionSettings {
            default_target: Some(Target::Job { job_id: 1.into(), stage_id: None }),
            ..Default::default()
        };
        let seq = Target::Job { job_id: 2.into(), stage_id: None };
        let mut i = input(&s, EventType::ContactAdded);
        i.sequence_target = Some(&seq);
        assert_eq!(decide(&i), Decision::Sync { target: Some(seq.clone()) });
        i.added_while_disabled = true;
        assert_eq!(decide(&i).action(), "skip");
        i.contact_override = Some(SyncOverride::Sync);
        assert_eq!(decide(&i).action(), "sync");
        i.contact_override = Some(SyncOverride::DontSync);
        assert_eq!(decide(&i).action(), "skip");
    }

    #[test]
    fn linked_contacts_get_activity_but_only_their_first_reply() {
        let s = ConnectionSettings::default();
        let mut i = input(&s, EventType::MessageSent);
        i.state = SyncState::Pending;
        assert_eq!(decide(&i), Decision::Activity);
        i.event = EventType::ReplyReceived;
        i.first_reply = false;
        assert_eq!(decide(&i).action(), "skip");
    }

    #[test]
    fn unsynced_contacts_get_notes_on_existing_records_unless_notes_are_only_for_synced() {
        let mut s = ConnectionSettings { trigger: Trigger::OnReply, ..Default::default() };
        assert_eq!(decide(&input(&s, EventType::MessageSent)), Decision::Activity);
        assert_eq!(decide(&input(&s, EventType::ContactAdded)).action(), "skip");
        s.notes_only_for_synced = true;
        assert_eq!(decide(&input(&s, EventType::MessageSent)).action(), "skip");
        s.notes_only_for_synced = false;
        s.trigger = Trigger::Off;
        assert_eq!(decide(&input(&s, EventType::MessageSent)).action(), "skip");
    }

    #[test]
    fn resyncs_and_edits_update_the_person_only_when_enabled() {
        let mut s = ConnectionSettings::default();
        let mut i = input(&s, EventType::ContactAdded);
        i.state = SyncState::Synced;
        assert_eq!(decide(&i).action(), "skip");
        i.event = EventType::ContactUpdated;
        assert_eq!(decide(&i).action(), "skip");
        s.update_history = true;
        let mut i = input(&s, EventType::ContactAdded);
        i.state = SyncState::Synced;
        assert_eq!(decide(&i), Decision::UpdatePerson);
    }
}
