//! What every console page shares: the navigation and notices around it ([`Chrome`]), turning a
//! template into a response, and showing an API error as a page or as a notice after a form.

use super::session::Session;
use crate::error::ApiError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

/// The navigation, the signed-in user and the notices of a page.
pub struct Chrome {
    /// Which navigation entry is current (`overview`, `connections`, ...).
    pub active: &'static str,
    /// The signed-in user's email.
    pub email: String,
    /// Their role.
    pub role: &'static str,
    /// The CSRF token for the page's forms.
    pub csrf: String,
    /// What the last form did.
    pub notice: Option<String>,
    /// Why the last form failed.
    pub error: Option<String>,
}

impl Chrome {
    /// The chrome of page `active` for `session`, with the notice or error a redirect carried.
    pub fn new(session: &Session, active: &'static str, flash: &Flash) -> Self {
        Self {
            active,
            email: session.user.email.clone(),
            role: session.user.role.as_str(),
            csrf: session.csrf.clone(),
            notice: flash.notice.clone(),
            error: flash.error.clone(),
        }
    }
}

/// The outcome of a form, carried to the page it redirects to (`?notice=` or `?error=`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Flash {
    /// What was done.
    pub notice: Option<String>,
    /// Why it was not.
    pub error: Option<String>,
}

/// A rendered template as an HTML response.
pub fn html(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => ApiError::Internal(format!("rendering a console page: {e}")).into_response(),
    }
}

/// An API error in a reader's words: its detail, then each field at fault.
pub fn describe(e: &ApiError) -> String {
    match e {
        ApiError::Invalid(v) if !v.errors.is_empty() => v
            .errors
            .iter()
            .map(|f| if f.field.is_empty() { f.message.clone() } else { format!("{}: {}", f.field, f.message) })
            .collect::<Vec<_>>()
            .join("; "),
        ApiError::Internal(_) => "Something went wrong on the server; see its log.".to_owned(),
        other => other.to_string(),
    }
}

/// After a form: back to `to` with what happened (post/redirect/get, so a reload repeats nothing).
pub fn after<T>(to: &str, outcome: Result<T, ApiError>, done: &str) -> Response {
    let (key, text) = match outcome {
        Ok(_) => ("notice", done.to_owned()),
        Err(e) => ("error", describe(&e)),
    };
    let sep = if to.contains('?') { '&' } else { '?' };
    let query: String = url::form_urlencoded::Serializer::new(String::new()).append_pair(key, &text).finish();
    Redirect::to(&format!("{to}{sep}{query}")).into_response()
}

/// A page that could not be shown: the error's status, its words, and the way back.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// The status line.
    pub title: String,
    /// What went wrong.
    pub detail: String,
}

/// The error page for `e`, in `session`'s chrome.
pub fn error_page(session: &Session, e: &ApiError) -> Response {
    let status = e.status();
    let page = ErrorPage {
        chrome: Chrome::new(session, "", &Flash::default()),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        detail: describe(e),
    };
    html(status, &page)
}

/// `s` as one URL path segment: everything but unreserved characters percent-encoded.
pub fn segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
