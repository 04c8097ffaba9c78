//! Durable ingest (DESIGN "Ingest is cheap and durable"): one transaction
//! stores a batch of events (or several of one workspace posted at once, see
//! [`Intake`]), the decision taken for each event and connection at that moment
//! (SPEC S1-S4), each contact's sync state, and the jobs that carry the
//! decisions out. Nothing is half stored: an invalid reference refuses the
//! whole batch.
//!
//! A batch costs a fixed number of statements per few hundred events, not a
//! few per event: it reads what the events name, stores the new events, reads
//! their contacts' enrollments and sync states, applies the events to those in
//! memory in batch order, and writes the results with multi-row statements.

mod batch;
mod changes;
mod connections;
mod intake;
mod referenced;

pub use batch::{Accepted, Batch, IngestError, ingest, ingest_many};
pub use intake::Intake;
