//! Teamtailor's JSON:API error bodies: `{"errors": [{title, detail, code,
//! source, status}]}` served as `application/vnd.api+json`; the 406 body is
//! the one recorded in Teamtailor's Ruby client, the 401 body is empty.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The API version the simulator reports as current.
pub const CURRENT_VERSION: &str = "20240404";

/// A Teamtailor error response.
#[derive(Clone, Debug, PartialEq)]
pub enum TtError {
    /// 401, empty body.
    Unauthorized,
    /// 406 invalid or missing `X-Api-Version`.
    BadVersion,
    /// 415 for a write without the JSON:API media type.
    MediaType(String),
    /// 400 with a title and detail (bad params, includes, page sizes, filters).
    BadRequest {
        /// Title.
        title: String,
        /// Detail.
        detail: String,
        /// JSON:API resources error code.
        code: &'static str,
    },
    /// 404 for a missing record.
    NotFound(String),
    /// 422 validation errors: (attribute, message).
    Invalid(Vec<(String, String)>),
}

impl TtError {
    /// A 422 on one attribute.
    pub fn field(attribute: &str, message: &str) -> Self {
        Self::Invalid(vec![(attribute.to_owned(), message.to_owned())])
    }

    /// A 400 `Param not allowed`.
    pub fn param(name: &str) -> Self {
        Self::BadRequest { title: "Param not allowed".into(), detail: format!("{name} is not allowed."), code: "105" }
    }

    /// A 404 for `kind` `id`.
    pub fn missing(kind: &str, id: &str) -> Self {
        Self::NotFound(format!("The record identified by {id} could not be found in {kind}."))
    }
}

/// The body for an injected fault's status.
pub fn status_body(status: u16) -> Value {
    if status == 406 {
        return version_body();
    }
    let title = StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    json!({"errors": [{"title": title, "detail": title, "code": status.to_string(), "status": status.to_string()}]})
}

fn version_body() -> Value {
    json!({"errors": [{
        "status": 406,
        "title": "Invalid/Missing API Version",
        "detail": format!("Please provide a correct API version in the X-Api-Version header. Current version is: {CURRENT_VERSION}")
    }]})
}

/// A JSON:API response with `status` and `body`.
pub fn jsonapi(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/vnd.api+json"));
    response
}

impl IntoResponse for TtError {
    fn into_response(self) -> Response {
        let one = |status: u16, title: &str, detail: &str, code: &str| json!({"errors": [{"title": title, "detail": detail, "code": code, "status": status.to_string()}]});
        let (status, body) = match self {
            TtError::Unauthorized => return StatusCode::UNAUTHORIZED.into_response(),
            TtError::BadVersion => (StatusCode::NOT_ACCEPTABLE, version_body()),
            TtError::MediaType(sent) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                one(
                    415,
                    "Unsupported media type",
                    &format!(
                        "All requests that create or update must use the 'application/vnd.api+json' Content-Type. This request specified '{sent}'."
                    ),
                    "415",
                ),
            ),
            TtError::BadRequest { title, detail, code } => (StatusCode::BAD_REQUEST, one(400, &title, &detail, code)),
            TtError::NotFound(detail) => (StatusCode::NOT_FOUND, one(404, "Record not found", &detail, "404")),
            TtError::Invalid(errors) => {
                let errors: Vec<Value> = errors
                    .into_iter()
                    .map(|(attribute, message)| {
                        json!({
                            "title": message,
                            "detail": format!("{attribute} - {message}"),
                            "code": "100",
                            "source": {"pointer": format!("/data/attributes/{attribute}")},
                            "status": "422"
                        })
                    })
                    .collect();
                (StatusCode::UNPROCESSABLE_ENTITY, json!({ "errors": errors }))
            }
        };
        jsonapi(status, &body)
    }
}
