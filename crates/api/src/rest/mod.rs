//! The REST API of API.md, one file per resource, merged here with the
//! OpenAPI document generated from the handlers' annotations.

pub mod connections;
pub mod contacts;
pub mod contract_files;
pub mod contracts;
pub mod defaults;
pub mod events;
pub mod fields;
pub mod imports;
pub mod jobs;
pub mod lookup;
pub mod people;
pub mod permission;
pub mod resyncs;
pub mod sequences;
pub mod target_stage;
pub mod users;
pub mod webhook_endpoints;
pub mod webhooks;

use crate::error::Problem;
use crate::operations;
use crate::state::AppState;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "hiresync", description = "Sync between an outreach app and applicant-tracking systems."),
    components(schemas(Problem, crate::body::webhook_endpoints::WebhookMessage)),
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

/// Documents what every operation shares instead of repeating it on each: a 401 where a
/// token is needed, a 400 where a JSON body is read, and the [`Problem`] body of every 4xx
/// and 5xx that names no body of its own.
struct ProblemResponses;

impl utoipa::Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in operations.into_iter().flatten() {
                shared_responses(op);
                unique_operation_id(path, op);
            }
        }
    }
}

/// Handlers are named for what they do within their resource (`create`, `get`); a client
/// generator needs ids unique in the document, so the resource (the path's first segment
/// under `/v1/`) goes in front: `connections_create`, `imports_get`.
fn unique_operation_id(path: &str, op: &mut Operation) {
    let Some(id) = op.operation_id.as_deref() else { return };
    let Some(resource) = path.strip_prefix("/v1/").and_then(|rest| rest.split('/').next()) else { return };
    let resource = resource.replace('-', "_");
    if !id.starts_with(&resource) {
        op.operation_id = Some(format!("{resource}_{id}"));
    }
}

fn shared_responses(op: &mut Operation) {
    let public = op.security.as_ref().is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
    let responses = &mut op.responses.responses;
    if !public {
        responses.entry("401".into()).or_insert_with(|| Response::new("Missing or unknown bearer token").into());
    }
    if op.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/json")) {
        responses.entry("400".into()).or_insert_with(|| Response::new("The body is not JSON").into());
    }
    for (status, response) in responses.iter_mut() {
        if let (true, RefOr::T(response)) = (status.starts_with('4') || status.starts_with('5'), response)
            && response.content.is_empty()
        {
            let problem = Content::new(Some(Ref::from_schema_name("Problem")));
            response.content.insert("application/problem+json".into(), problem);
        }
    }
}

/// Every route, and the OpenAPI document that describes them as `/openapi.json` serves it.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = router().split_for_parts();
    // After the split: the document's own modifiers ran before any route was added.
    utoipa::Modify::modify(&ProblemResponses, &mut openapi);
    (router, openapi)
}

/// Every route with its OpenAPI description.
fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(operations::healthz))
        .routes(routes!(operations::readyz))
        .routes(routes!(operations::metrics))
        .routes(routes!(users::create))
        .routes(routes!(users::delete))
        .routes(routes!(users::rotate_token))
        .routes(routes!(connections::create, connections::list))
        .routes(routes!(connections::get, connections::patch, connections::delete))
        .routes(routes!(connections::get_settings, connections::put_settings))
        .routes(routes!(connections::targets))
        .routes(routes!(fields::list_fields))
        .routes(routes!(connections::clone_settings))
        .routes(routes!(defaults::get, defaults::put))
        .routes(routes!(sequences::put))
        .routes(routes!(contacts::put))
        .routes(routes!(contacts::sync))
        .routes(routes!(contacts::log))
        .routes(routes!(contacts::preview))
        .routes(routes!(permission::send_permission))
        .routes(routes!(lookup::lookup))
        .routes(routes!(people::search))
        .routes(routes!(events::post))
        .routes(routes!(jobs::list))
        .routes(routes!(jobs::retry))
        .routes(routes!(contracts::create))
        .routes(routes!(contracts::get))
        .routes(routes!(contract_files::get))
        .routes(routes!(webhooks::oneflow))
        .routes(routes!(webhooks::teamtailor))
        .routes(routes!(webhooks::greenhouse))
        .routes(routes!(webhooks::clockwork))
        .routes(routes!(resyncs::create))
        .routes(routes!(resyncs::get))
        .routes(routes!(resyncs::contacts))
        .routes(routes!(imports::create, imports::list))
        .routes(routes!(imports::get, imports::delete))
        .routes(routes!(imports::contacts))
        .routes(routes!(webhook_endpoints::create, webhook_endpoints::list))
        .routes(routes!(webhook_endpoints::delete))
        .routes(routes!(webhook_endpoints::rotate_secret))
        .routes(routes!(webhook_endpoints::deliveries))
        .routes(routes!(webhook_endpoints::redeliver))
}
