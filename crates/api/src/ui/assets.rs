//! The console's stylesheet and script, compiled into the binary: no call leaves the server.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../../assets/console.css");
const JS: &str = include_str!("../../assets/console.js");

/// `GET /console/assets/console.css`.
pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], CSS)
}

/// `GET /console/assets/console.js`.
pub async fn js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], JS)
}
