//! The outbox of webhooks out (API.md "Webhooks out"): every state change the
//! outreach app may hear about is written here as one delivery per endpoint
//! that wants its type, with the job that sends it, in the same transaction
//! as the change itself. So an event is never announced before it is true and
//! never lost after. The job that sends them is [`crate::webhook`].
//!
//! Built on the store alone, so any job kind, the worker and the API can
//! announce from inside their own transactions.

mod announce;
mod changes;
mod event;

pub(crate) use announce::delivery_job;
pub use announce::{DELIVERY_KIND, announce, delivery_ordering_key};
pub use changes::{
    connection_failing, connection_recovered, contract_changes, import_finished, put_sync_state, resync_finished,
    sync_failed,
};
pub use event::{
    ConnectionFailing, ConnectionRecovered, ContactExists, ContactSyncFailed, ContactSynced, ContractFieldChanged,
    ContractSigned, EVENT_TYPES, Event, ImportFinished, ResyncFinished,
};
