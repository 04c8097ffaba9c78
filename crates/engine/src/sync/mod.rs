//! Carrying out one decision against a provider: what it reads when its job
//! runs ([`carry_out_event`]), the order of its steps ([`Syncing`]), and the
//! steps themselves: the person, their placement and stage, and the activity
//! written on them. Every job kind that syncs a contact goes through here.

mod acting;
mod activity;
mod dead;
mod decide;
mod load;
mod note;
mod person;
mod placement;
mod steps;
mod writes;

pub(crate) use acting::acting_for;
pub(crate) use dead::mark_failed;
pub(crate) use decide::{contact_override, own_target};
pub(crate) use load::carry_out_event;
pub use steps::{Carried, Syncing, skipped};
pub use writes::{Rehearsal, Write, Writes};
