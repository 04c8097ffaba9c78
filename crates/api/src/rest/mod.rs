//! The REST API of API.md, one file per resource, merged here with the
//! OpenAPI document generated from the handlers' annotations.

pub mod connections;
pub mod contacts;
pub mod contracts;
pub mod defaults;
pub mod events;
pub mod imports;
pub mod jobs;
pub mod lookup;
pub mod people;
pub mod permission;
pub mod resyncs;
pub mod sequences;
pub mod users;
pub mod webhooks;

use crate::ops;
use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "hiresync", description = "Sync between an outreach app and applicant-tracking systems."),
    components(schemas()),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every route with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
        .routes(routes!(users::create))
        .routes(routes!(users::delete))
        .routes(routes!(users::rotate_token))
        .routes(routes!(connections::create, connections::list))
        .routes(routes!(connections::get, connections::patch, connections::delete))
        .routes(routes!(connections::get_settings, connections::put_settings))
        .routes(routes!(connections::targets))
        .routes(routes!(connections::clone_settings))
        .routes(routes!(defaults::get, defaults::put))
        .routes(routes!(sequences::put))
        .routes(routes!(contacts::put))
        .routes(routes!(contacts::sync))
        .routes(routes!(contacts::log))
        .routes(routes!(permission::send_permission))
        .routes(routes!(lookup::lookup))
        .routes(routes!(people::search))
        .routes(routes!(events::post))
        .routes(routes!(jobs::list))
        .routes(routes!(jobs::retry))
        .routes(routes!(contracts::create))
        .routes(routes!(contracts::get))
        .routes(routes!(webhooks::oneflow))
        .routes(routes!(webhooks::teamtailor))
        .routes(routes!(resyncs::create))
        .routes(routes!(resyncs::get))
        .routes(routes!(resyncs::contacts))
        .routes(routes!(imports::create, imports::list))
        .routes(routes!(imports::get, imports::delete))
        .routes(routes!(imports::contacts))
}
