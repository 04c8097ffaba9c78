//! Harvest v3 list endpoints, shared by every resource: bearer auth,
//! per-endpoint filters (unknown ones are 422), cursor pagination, no show
//! routes. A resource's file names its filters and how rows are selected.

use super::GhApp;
use super::auth::v3_actor;
use super::errors::GhError;
use super::model::GreenhouseState;
use super::paging::{ListQuery, page_v3, parse_v3};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

type Rows<T> = Result<Vec<(i64, T)>, GhError>;

/// `http://<host>` of the request, for Link URLs.
pub fn base(headers: &HeaderMap) -> String {
    format!("http://{}", headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1"))
}

pub(super) fn list<T: Serialize>(
    app: &GhApp,
    headers: &HeaderMap,
    uri: &Uri,
    allowed: &[&str],
    select: impl FnOnce(&GreenhouseState, &ListQuery) -> Rows<T>,
) -> Response {
    let run = || -> Result<Response, GhError> {
        v3_actor(app, headers)?;
        let q = parse_v3(uri.query(), allowed)?;
        let rows = select(&app.lock(), &q)?;
        Ok(page_v3(rows, &q, &base(headers), uri.path()))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

/// An id-list filter, parsed once per request rather than once per row it is tested on.
pub(super) struct Ids(Option<Vec<i64>>);

impl Ids {
    /// The filter `name` of `q`; a malformed list is a 422 naming it.
    pub(super) fn of(q: &ListQuery, name: &str) -> Result<Self, GhError> {
        Ok(Self(q.ids(name)?))
    }

    /// Whether `id` passes (absent filter: yes).
    pub(super) fn keep(&self, id: Option<i64>) -> bool {
        self.0.as_ref().is_none_or(|ids| id.is_some_and(|id| ids.contains(&id)))
    }
}

pub(super) fn flag(q: &ListQuery, name: &str, value: bool) -> Result<bool, GhError> {
    match q.get(name) {
        None => Ok(true),
        Some("true") => Ok(value),
        Some("false") => Ok(!value),
        Some(_) => Err(GhError::InvalidQuery(vec![name.to_owned()])),
    }
}

pub(super) fn eq(q: &ListQuery, name: &str, value: &str) -> bool {
    q.get(name).is_none_or(|v| v.eq_ignore_ascii_case(value))
}

/// An `async fn` handler for a v3 list endpoint: its allowed filters and how rows are selected.
macro_rules! list_handler {
    ($name:ident, $allowed:expr, |$s:ident, $q:ident| $body:expr) => {
        async fn $name(
            axum::extract::State(app): axum::extract::State<$crate::greenhouse::GhApp>,
            headers: axum::http::HeaderMap,
            uri: axum::http::Uri,
        ) -> axum::response::Response {
            $crate::greenhouse::listing::list(
                &app,
                &headers,
                &uri,
                $allowed,
                |$s: &$crate::greenhouse::model::GreenhouseState, $q: &$crate::greenhouse::paging::ListQuery| $body,
            )
        }
    };
}
pub(super) use list_handler;
