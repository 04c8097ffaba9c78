//! The API driven in process through `Router::oneshot`: how the extractors
//! reject bad input, and the OpenAPI document. One test binary (`it`).

mod openapi;
mod rejections;
mod resyncs;
mod roles;
mod support;
mod tenancy;
