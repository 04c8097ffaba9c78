//! Contracts both ways between Teamtailor and Oneflow (SPEC B): a contract is
//! created from a template prefilled with the candidate's mapped custom
//! fields; verified webhooks from either side are recorded once and become a
//! job per contract (or, for a contract made in Oneflow, a job that ties it to
//! a candidate and follows it); the job reads both sides again (a webhook body is never
//! trusted), carries each changed field across, and attaches the signed file
//! once every party has signed. A change is a value that differs from the one
//! last synced on that side, so hiresync's own writes, echoed back, change nothing.

mod create;
mod error;
mod fields;
mod follow;
mod inbox;
mod job;
mod link;
mod sync;

pub use create::{Created, NewContract, create};
pub use error::ContractError;
pub use follow::FollowContract;
pub use inbox::{Received, receive_oneflow, receive_teamtailor};
pub use job::SyncContract;
pub use link::{Link, link};
pub use sync::{Synced, sync};
