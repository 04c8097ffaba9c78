//! The shared `/_sim/` HTTP control API, mirroring [`SimCore`]'s methods for
//! the sandbox and for tests written in other languages.

use crate::faults::{FaultRates, ScriptedFault};
use crate::harness::SimCore;
use crate::ratelimit::RateLimitConfig;
use crate::webhooks::WebhookEndpoint;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

/// `/_sim/requests`, `/_sim/faults`, `/_sim/faults/scripted`, `/_sim/rate_limits`, `/_sim/webhooks`, `/_sim/webhooks/deliveries`.
pub fn routes() -> Router<SimCore> {
    Router::new()
        .route(
            "/_sim/requests",
            get(|State(c): State<SimCore>| async move { Json(c.requests()) }).delete(clear_requests),
        )
        .route(
            "/_sim/faults",
            get(|State(c): State<SimCore>| async move { Json(c.faults()) }).put(set_rates).delete(clear_faults),
        )
        .route("/_sim/faults/scripted", post(inject))
        .route(
            "/_sim/rate_limits",
            get(|State(c): State<SimCore>| async move { Json(c.rate_limits()) }).put(set_rate_limits),
        )
        .route(
            "/_sim/webhooks",
            get(|State(c): State<SimCore>| async move { Json(c.webhooks().endpoints()) }).post(register),
        )
        .route(
            "/_sim/webhooks/deliveries",
            get(|State(c): State<SimCore>| async move { Json(c.webhooks().deliveries()) }),
        )
}

async fn clear_requests(State(core): State<SimCore>) -> StatusCode {
    core.clear_requests();
    StatusCode::NO_CONTENT
}

async fn set_rates(State(core): State<SimCore>, Json(rates): Json<FaultRates>) -> StatusCode {
    core.set_fault_rates(rates);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(core): State<SimCore>) -> StatusCode {
    core.clear_faults();
    StatusCode::NO_CONTENT
}

async fn inject(State(core): State<SimCore>, Json(fault): Json<ScriptedFault>) -> StatusCode {
    core.inject(fault);
    StatusCode::NO_CONTENT
}

async fn set_rate_limits(State(core): State<SimCore>, Json(config): Json<RateLimitConfig>) -> StatusCode {
    core.set_rate_limits(config);
    StatusCode::NO_CONTENT
}

async fn register(State(core): State<SimCore>, Json(endpoint): Json<WebhookEndpoint>) -> StatusCode {
    core.webhooks().register(endpoint);
    StatusCode::CREATED
}
