//! Every Clockwork path, verb, query parameter and auth header the client
//! sends, each tagged with its confidence. Paths are relative to
//! `{base_url}/v3.0/{firm}`.

use super::Confidence::{self, Secondary, Unconfirmed};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderName, HeaderValue, Method};
use secrecy::{ExposeSecret, SecretString};

/// API version segment of every path (`[S]` CW-PD `_apiUrl`).
pub const VERSION_SEGMENT: &str = "v3.0";
/// Page size asked for on `limit`/`offset` listings; the maximum is `[U]`.
pub const PAGE_SIZE: usize = 100;
/// Notes page size, as the community client reads them (`[S]`).
pub const NOTES_PAGE_SIZE: usize = 50;

/// One request: verb, path segments below `/v3.0/{firm}`, query pairs, and how sure we are of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// HTTP verb.
    pub method: Method,
    /// Path segments, each percent-encoded when the URL is built.
    pub segments: Vec<String>,
    /// Query pairs.
    pub query: Vec<(&'static str, String)>,
    /// Confidence in the verb and path.
    pub confidence: Confidence,
}

fn route(method: Method, segments: &[&str], confidence: Confidence) -> Route {
    Route { method, segments: segments.iter().map(|s| (*s).to_owned()).collect(), query: Vec::new(), confidence }
}

fn paged(mut r: Route, limit: usize, offset: usize) -> Route {
    r.query.push(("limit", limit.to_string()));
    r.query.push(("offset", offset.to_string()));
    r
}

/// `Authorization: Token <base64(api_key:api_secret)>` and `X-API-Key: <firm service key>`
/// (`[S]` CW-PD `_getHeaders`, two more community clients); both marked sensitive so they
/// never print. The `Bearer` variant some clients send is `[U]` and not used.
pub fn auth_headers(
    api_key: &str,
    api_secret: &SecretString,
    firm_service_key: &SecretString,
) -> Vec<(HeaderName, HeaderValue)> {
    let token = STANDARD.encode(format!("{api_key}:{}", api_secret.expose_secret()));
    let mut out = Vec::new();
    for (name, value) in
        [("authorization", format!("Token {token}")), ("x-api-key", firm_service_key.expose_secret().to_owned())]
    {
        if let Ok(mut v) = HeaderValue::try_from(value) {
            v.set_sensitive(true);
            out.push((HeaderName::from_static(name), v));
        }
    }
    out
}

/// `GET /people_search?q=<text>&limit=<n>` (`[S]` route; using it for email lookup is `[U]`).
pub fn people_search(q: &str, limit: usize) -> Route {
    let mut r = route(Method::GET, &["people_search"], Secondary);
    r.query.push(("q", q.to_owned()));
    r.query.push(("limit", limit.to_string()));
    r
}

/// `GET /people?limit&offset` (`[S]` CW-PD, unified.to: `limit`/`offset` only).
pub fn people(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["people"], Secondary), limit, offset)
}

/// `GET /people/{id}` (`[U]`: show route assumed from the REST layout).
pub fn person(id: &str) -> Route {
    route(Method::GET, &["people", id], Unconfirmed)
}

/// `POST /people` with [`super::PersonBody`] (`[S]` CW-PD create-person).
pub fn create_person() -> Route {
    route(Method::POST, &["people"], Secondary)
}

/// `PATCH /people/{id}` with [`super::PersonBody`] (`[U]`).
pub fn update_person(id: &str) -> Route {
    route(Method::PATCH, &["people", id], Unconfirmed)
}

/// `POST /people/{id}/email_addresses` (`[S]` CW-PD).
pub fn add_email(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "email_addresses"], Secondary)
}

/// `POST /people/{id}/phone_numbers` (`[S]` CW-PD).
pub fn add_phone(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "phone_numbers"], Secondary)
}

/// `POST /people/{id}/linkedin_urls` (`[S]` CW-PD).
pub fn add_linkedin(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "linkedin_urls"], Secondary)
}

/// `POST /people/{id}/tags` (`[S]` CW-PD add-person-tag).
pub fn add_tag(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "tags"], Secondary)
}

/// `GET /tags?limit&offset` (`[S]` CW-PD).
pub fn tags(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["tags"], Secondary), limit, offset)
}

/// `GET /people/{id}/positions` (`[S]` community clients).
pub fn positions(person_id: &str) -> Route {
    route(Method::GET, &["people", person_id, "positions"], Secondary)
}

/// `POST /people/{id}/positions` (`[S]` CW-PD add-person-position).
pub fn create_position(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "positions"], Secondary)
}

/// `DELETE /people/{id}/positions/{position_id}` (`[U]`).
pub fn delete_position(person_id: &str, position_id: &str) -> Route {
    route(Method::DELETE, &["people", person_id, "positions", position_id], Unconfirmed)
}

/// `GET /people/{id}/educations` (`[U]`: named like `positions`; no public code reads education).
pub fn educations(person_id: &str) -> Route {
    route(Method::GET, &["people", person_id, "educations"], Unconfirmed)
}

/// `POST /people/{id}/educations` with [`super::EducationBody`] (`[U]`).
pub fn create_education(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "educations"], Unconfirmed)
}

/// `DELETE /people/{id}/educations/{education_id}` (`[U]`).
pub fn delete_education(person_id: &str, education_id: &str) -> Route {
    route(Method::DELETE, &["people", person_id, "educations", education_id], Unconfirmed)
}

/// `GET /people/{id}/notes?limit=50&offset` (`[S]` community clients; `offset` `[U]`).
pub fn notes(person_id: &str, offset: usize) -> Route {
    paged(route(Method::GET, &["people", person_id, "notes"], Secondary), NOTES_PAGE_SIZE, offset)
}

/// `POST /people/{id}/notes` with [`super::NoteBody`] (`[U]`: only the v1 write is known).
pub fn create_note(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "notes"], Unconfirmed)
}

/// `GET /projects?limit&offset` (`[S]` community Java client).
pub fn projects(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["projects"], Secondary), limit, offset)
}

/// `GET /statuses?limit&offset` (`[S]` route, Pipedream issue #8275; paging `[U]`).
pub fn statuses(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["statuses"], Secondary), limit, offset)
}

/// `GET /projects/{id}/candidacies?include=person&limit&offset` (`[S]` community TS client).
pub fn candidacies(project_id: &str, limit: usize, offset: usize) -> Route {
    let mut r = route(Method::GET, &["projects", project_id, "candidacies"], Secondary);
    r.query.push(("include", "person".to_owned()));
    paged(r, limit, offset)
}

/// `POST /projects/{id}/candidacies` with [`super::CandidacyBody`] (`[U]`).
pub fn create_candidacy(project_id: &str) -> Route {
    route(Method::POST, &["projects", project_id, "candidacies"], Unconfirmed)
}

/// `PATCH /candidacies/{id}` with [`super::CandidacyBody`] (`[U]`; the nested
/// `/projects/{pid}/candidacies/{id}` form is the alternative to check).
pub fn update_candidacy(candidacy_id: &str) -> Route {
    route(Method::PATCH, &["candidacies", candidacy_id], Unconfirmed)
}

/// `GET /people_search?limit=1`: the cheap authenticated read community clients use as a
/// credential check (`[S]`).
pub fn probe() -> Route {
    let mut r = route(Method::GET, &["people_search"], Secondary);
    r.query.push(("limit", "1".to_owned()));
    r
}
