//! The request and response bodies of the REST API, one module per resource.
//! Each is a serde type whose `ToSchema` is its schema in `/openapi.json`. A
//! request body is read by [`crate::extract::Json`], so a value of the wrong
//! type is a 422 naming the field; rules serde cannot say (lengths, emails,
//! a connection's target shape) are checked after, by the handler or core.

pub mod common;
pub mod connections;
pub mod contacts;
pub mod contracts;
pub mod events;
pub mod fields;
pub mod imports;
pub mod jobs;
pub mod lookup;
pub mod operations;
pub mod problem;
pub mod resyncs;
pub mod sequences;
pub mod users;
pub mod webhook_endpoints;
pub mod webhooks;
