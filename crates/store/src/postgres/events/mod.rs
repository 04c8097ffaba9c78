//! Events, enrollments, decisions and sync states on PostgreSQL.

mod decisions;
mod enrollments;
mod stored;
mod syncs;

pub(crate) use decisions::{insert_decisions, mark_carried, to_carry};
pub(crate) use enrollments::{enroll, enrolled, enrollment, enrollments_of, enrollments_of_contacts, put_enrollments};
pub(crate) use stored::{for_contact, get, insert_new};
pub(crate) use syncs::{
    contact_for_person, decided_of_contacts, put_decided, put_sync_states, sync_state, sync_states,
    sync_states_of_contacts,
};
