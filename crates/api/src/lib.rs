//! The hiresync HTTP API (axum): REST endpoints, problem+json errors, health and metrics.
