//! Legacy Harvest v1 (Basic key, `On-Behalf-Of` on writes, `Link` page
//! pagination): the subset hiresync's v1 client uses, over the same tables as
//! v3 and rendered in v1 shapes (`is_private`, embedded applications and
//! employments, `keyed_custom_fields`). Like the client's `v1/`, this folder
//! can be deleted as a unit with its `merge` in the router.

mod activity;
mod applications;
mod auth;
mod candidates;
mod jobs;
mod render;

use super::GhApp;
use axum::Router;

/// Every v1 route.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .merge(candidates::routes())
        .merge(activity::routes())
        .merge(applications::routes())
        .merge(jobs::routes())
}
