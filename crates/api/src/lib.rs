//! The hiresync HTTP API (axum): the REST endpoints of API.md, problem+json
//! errors, bearer-token auth, health, metrics and the OpenAPI document.
//! [`app`] builds the router so tests can drive it without a socket;
//! [`serve`] runs it on a listener until shutdown.

pub mod base_url;
pub mod body;
pub mod error;
pub mod extract;
pub mod field_defs;
pub mod metrics;
pub mod operations;
pub mod rest;
pub mod state;
pub mod ttl_cache;

pub use error::{ApiError, ApiResult};
pub use state::AppState;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use std::future::Future;
use tower_http::trace::TraceLayer;

/// Largest request body: a full batch of 1000 events with long message bodies.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The whole application router.
pub fn app(state: AppState) -> axum::Router {
    let (router, openapi) = rest::routes();
    let openapi = std::sync::Arc::new(openapi);
    router
        .route("/openapi.json", get(move || async move { axum::Json(openapi.as_ref().clone()) }))
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The OpenAPI document, as `/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    rest::routes().1
}

async fn count_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let response = next.run(req).await;
    state.metrics.request(&method, &route, response.status().as_u16());
    response
}

/// Serves the API on `listener` until `shutdown` completes, then finishes open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await
}
