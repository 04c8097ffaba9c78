//! Imports (SPEC R2, R3): the people of a provider target become contacts
//! enrolled in a sequence, already linked to their person for the connection,
//! so nothing is ever created back in the provider for them.
//!
//! A run is a chain of jobs, one per page, each following the provider's
//! cursor verbatim and committing its page's people with its own completion:
//! a crash resumes at the page it was on. The last page of a recurring
//! import's run enqueues the next run an hour later; a stopped import's
//! pending run finds it stopped and does nothing.
//!
//! A new contact's external id is `<provider>-<person id>` (`greenhouse-4012`),
//! or `<provider>-<person id>-<connection id>` when that id is already held by
//! a contact sharing none of the person's emails (another tenant's person).

mod page;
mod people;
mod start;

pub use page::{INTERVAL, ImportPage};
pub use start::{ImportRequest, ordering_key, start};
