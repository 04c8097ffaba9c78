//! Resyncs (SPEC R1): contacts never synced to a connection are synced now and
//! their stored activity is backfilled as notes, in the order it happened.
//!
//! One job per contact, keyed like the contact's event jobs so the two never
//! interleave. The job replays what ingest would have done had the connection
//! been there: the same decision (`decide`), the same sync steps (link by
//! email, place on the target, move the stage, write the note through the
//! ledger). A resync is the user's explicit request, so the connection's
//! trigger does not hold it back; a contact's "don't sync" and a sequence's
//! "Sync Disabled" (S2) still do.

mod contact;
mod start;

pub use contact::ResyncContact;
pub(crate) use contact::rehearse;
pub use start::{ResyncRequest, ResyncSlice, Scope, Started, start};
