//! Oneflow API v1 (`api.oneflow.com/v1`): contracts created from templates
//! with data fields, parties and participants, events, contract files, and
//! webhooks signed `sha1(callback_id + sign_key)`. Oneflow is not a people
//! ATS: [`OneflowClient`] is a [`Provider`](crate::Provider) (it checks its
//! credentials) and is itself the contracts capability (SPEC B). Where
//! `shared/providers/oneflow.md` is silent, the client's choices are in
//! `ASSUMPTIONS.md` beside this file; `hiresync-sim` answers in the same shapes.

mod client;
mod config;
mod endpoints;
mod errors;
mod mapping;
pub mod webhook;
pub mod wire;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests;

pub use client::{MAX_OFFSET, MAX_PAGES, OneflowClient, PAGE_LIMIT, decode};
pub use config::{APP_URL, DEFAULT_BASE_URL, OneflowConfig, OneflowCredentials};
pub use endpoints::{CONTRACT_PDF, ContractFile, VERIFICATION};
pub use errors::{RATE_WINDOW, classify, error_message, until_next_window};
pub use mapping::{
    changed_values, contract_url, create_body, data_field_values, fully_signed, parse_time, prefill, signed_file_name,
};
pub use wire::{DataFieldRef, DataFieldUpdate};
