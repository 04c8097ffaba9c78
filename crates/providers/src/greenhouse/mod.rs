//! Greenhouse Harvest. **v3 is the default** (OAuth client credentials,
//! cursor pagination, flat resources; `harvestdocs.greenhouse.io`); v1 is
//! kept for legacy keys (Basic key, `On-Behalf-Of`, `Link` page pagination),
//! reported switched off after 2026-08-31. A connection speaks v1 for every
//! [`crate::Provider`] method when its credentials are
//! `{"api_key", "on_behalf_of_user_id"}`; v1 choices of ours:
//! - People are created with `POST /v1/prospects` (placed in a pool or
//!   considered for a job in the same request), or as candidates on a job
//!   with `POST /v1/candidates` (v1 has no jobless candidate).
//! - A candidate, its applications (stage, pool) and employments are read
//!   through `GET /v1/candidates?candidate_ids=<id>`; a job's people through
//!   `?job_id=` (prospects excluded, as v1 documents).
//! - Notes carry the subject as their first line and `ACTIVITY` entries are
//!   written as notes; `EMAIL` records go to `activity_feed/emails`.
//!
//! Assumptions about v3 where the sources disagree or are silent
//! (`shared/providers/greenhouse.md` §7.16), all mirrored by `hiresync-sim`:
//! - Token endpoint errors use OAuth's `{"error", "error_description"}`; any
//!   non-429 4xx from it means the client or the `sub` user is wrong (Auth).
//! - A person and their placement are created in one `POST /v3/candidates`
//!   whose nested `application` is `{prospect: true, prospect_pool_id,
//!   prospect_pool_stage_id}` (a pool), `{prospect: true, job_ids: [job]}`
//!   (a prospect considered for a job), `{job_id, initial_stage_id}` (a
//!   candidate) or `{prospect: true}` (no target). Placing an existing person
//!   is `POST /v3/applications` with the same fields plus `candidate_id`, or
//!   `PATCH /v3/applications/{id} {prospect_pool_id, prospect_stage_id}` for a
//!   prospect already without a pool, which is also how a pool stage moves.
//! - A prospect considered for a job reaches a job stage by
//!   `POST /v3/applications/{id}/convert_to_candidate {job_id,
//!   to_job_interview_stage_id}` ([C] reference page); a conversion whose
//!   answer was lost is found again as the candidate's live application on the job.
//! - `from_stage_id` on `/move` is sent as the current *job interview stage*
//!   id, read from `/v3/application_stages?current=true`; the simulator
//!   accepts that or the `application_stages` row id.
//! - Custom fields are written `[{name_key, value}]` with select values as
//!   option names; an update re-sends every simple-typed existing value so a
//!   whole-set PATCH cannot clear them.
//! - Notes are written with `visibility: "public"` and `user_id` = the acting
//!   user; `note_type` is upper-cased; an `EMAIL` record needs subject, from
//!   and to, else a `NOTE` is written. Notes cannot be deleted, so a write
//!   whose outcome is unknown is read back from `/v3/notes` (`find_note`)
//!   before it is repeated; the engine's ledger says when that is needed.
//! - `per_page` above 500 is a 422; a 401 on a call refreshes the token once.
//! - Listing a prospect pool's people is unsupported (no pool filter exists).
//! - Webhook deliveries and signatures are unchanged from v1 (`Signature:
//!   sha256 <hex>`).

mod client;
mod config;
mod errors;
mod mapping;
mod placing;
mod provider;
mod provider_v1;
mod token;
mod v1;
mod v3;
pub mod webhook;
pub mod wire;
pub mod wire_v1;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use client::{GreenhouseClient, MAX_PAGES, decode, next_link};
pub use config::{APP_URL, DEFAULT_AUTH_BASE_URL, DEFAULT_BASE_URL, GreenhouseAuth, GreenhouseConfig};
pub use errors::{classify, error_message};
pub use provider::GreenhouseProvider;
