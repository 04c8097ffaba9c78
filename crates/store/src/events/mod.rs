//! Accepted events, enrollments, the decisions taken for them and each
//! contact's sync state per connection (SPEC L2).

mod decisions;
mod enrollments;
mod stored;
mod syncs;

pub use decisions::{NewDecision, ToCarry, insert_decisions, mark_carried, to_carry};
pub use enrollments::{
    Enrolled, Enrollment, enroll, enrolled, enrollment, enrollments_of, enrollments_of_contacts, put_enrollments,
};
pub use stored::{for_contact, get, insert_new};
pub use syncs::{
    ContactSync, Decided, contact_for_person, decided_of_contacts, put_decided, put_sync_state, put_sync_states,
    state_name, sync_state, sync_states, sync_states_of_contacts,
};

pub(crate) use decisions::{MARK_CARRIED, written_parts};
pub(crate) use stored::kind;
pub(crate) use syncs::{parse_state, placed_stage, stage_text};
