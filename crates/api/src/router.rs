//! The router: every route behind the shared limits and request metrics, health and metrics
//! alone for a worker process, and serving either until shutdown.

use crate::{AppState, limits, operations, rest};
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use std::future::Future;
use tower_http::trace::TraceLayer;

/// The whole application router.
pub fn app(state: AppState) -> axum::Router {
    let (router, openapi) = rest::routes();
    let openapi = std::sync::Arc::new(openapi);
    let turns = std::sync::Arc::new(tokio::sync::Semaphore::new(limits::CONCURRENT_REQUESTS));
    router
        .route("/openapi.json", get(move || async move { axum::Json(openapi.as_ref().clone()) }))
        .merge(crate::ui::router())
        .layer(middleware::from_fn(limits::limit_body))
        .layer(DefaultBodyLimit::max(limits::EVENTS_BODY))
        .layer(middleware::from_fn(move |req, next| limits::limit_time(turns.clone(), req, next)))
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Health and metrics alone, for a worker process that serves no API.
pub fn operations_app(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/healthz", get(operations::healthz))
        .route("/readyz", get(operations::readyz))
        .route("/metrics", get(operations::metrics))
        .with_state(state)
}

/// The OpenAPI document, as `/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    rest::routes().1
}

async fn count_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    // Fixed label values: a made-up method must not grow the series.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let response = next.run(req).await;
    state.metrics.request(method, &route, response.status().as_u16());
    response
}

/// Serves `router` on `listener` until `shutdown` completes, then finishes open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}
