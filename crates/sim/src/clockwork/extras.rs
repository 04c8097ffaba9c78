//! A person's addresses, web sites and custom field values, and the firm's
//! custom field definitions, in the shapes `ASSUMPTIONS.md` of the Clockwork
//! client gives them (`[U]` except addresses). A value is checked against its
//! field's type: text a string, a Single Select one option id, a Multiple
//! Select a list of option ids.

use super::CwApp;
use super::auth::check;
use super::body::{opt_str, req_str, respond, wrapped};
use super::errors::CwError;
use super::model::{Address, ClockworkState, CustomFieldValue, WebSite};
use super::paging::{page, parse};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};

/// The routes.
pub fn routes() -> Router<CwApp> {
    Router::new()
        .route("/v3.0/{firm}/people/{id}/addresses", post(add_address))
        .route("/v3.0/{firm}/people/{id}/web_sites", post(add_web_site))
        .route("/v3.0/{firm}/people/{id}/custom_fields/{field_id}", put(set_value))
        .route("/v3.0/{firm}/custom_fields", get(definitions))
}

fn with_person(
    app: &CwApp,
    headers: &HeaderMap,
    firm: &str,
    id: &str,
    f: impl FnOnce(&mut ClockworkState) -> Result<Response, CwError>,
) -> Response {
    respond((|| {
        check(app, firm, headers)?;
        let mut s = app.lock();
        if !s.people.contains_key(id) {
            return Err(CwError::missing("Person"));
        }
        f(&mut s)
    })())
}

async fn add_address(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, person_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_person(&app, &headers, &firm, &person_id, |s| {
        let f = wrapped(&body, "address")?;
        let city = req_str(&f, "city")?;
        let (street, state, country) = (opt_str(&f, "street")?, opt_str(&f, "state")?, opt_str(&f, "country")?);
        let parts: Vec<&str> = [street.as_deref(), Some(city.as_str()), state.as_deref(), country.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let row = Address {
            id: s.next_id(),
            person_id: person_id.clone(),
            formatted_address: parts.join(", "),
            street,
            city,
            state,
            country,
            location: opt_str(&f, "location")?,
        };
        s.addresses.insert(row.id.clone(), row.clone());
        Ok((StatusCode::CREATED, Json(json!({"personAddress": row}))).into_response())
    })
}

async fn add_web_site(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, person_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    with_person(&app, &headers, &firm, &person_id, |s| {
        let f = wrapped(&body, "web_site")?;
        let url = req_str(&f, "url")?;
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(CwError::BadRequest("url is not a web address".into()));
        }
        let row = WebSite { id: s.next_id(), person_id: person_id.clone(), url, location: opt_str(&f, "location")? };
        s.web_sites.insert(row.id.clone(), row.clone());
        Ok((StatusCode::CREATED, Json(json!({"personWebSite": row}))).into_response())
    })
}

async fn set_value(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, person_id, field_id)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    with_person(&app, &headers, &firm, &person_id, |s| {
        let f = wrapped(&body, "custom_field_value")?;
        let field = s.custom_fields.get(&field_id).ok_or_else(|| CwError::missing("CustomField"))?;
        let value = f.get("value").cloned().unwrap_or(Value::Null);
        let is_option = |v: &Value| v.as_str().is_some_and(|id| field.options.iter().any(|o| o.id == id));
        let fits = match field.field_type.as_str() {
            "single_select" => is_option(&value),
            "multi_select" => value.as_array().is_some_and(|items| items.iter().all(is_option)),
            _ => value.is_string(),
        };
        if !fits {
            return Err(CwError::BadRequest(format!("value is invalid for {} ({})", field.name, field.field_type)));
        }
        let row = CustomFieldValue { person_id: person_id.clone(), custom_field_id: field_id.clone(), value };
        s.custom_field_values.insert(format!("{person_id}/{field_id}"), row.clone());
        Ok(Json(json!({"personCustomFieldValue": row})).into_response())
    })
}

async fn definitions(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, uri: Uri) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        let s = app.lock();
        Ok(page("customFields", s.custom_fields.values().collect(), &q))
    })())
}
