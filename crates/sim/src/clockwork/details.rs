//! A person's sub-resources: emails, phones, LinkedIn profiles, tags,
//! positions, educations and notes. Creates answer `{"personEmailAddress": {...}}` and
//! the like, as the Pipedream connector reads them.

use super::CwApp;
use super::auth::check;
use super::body::{opt_int, opt_str, req_str, respond, wrapped};
use super::errors::CwError;
use super::model::{ClockworkState, Education, EmailAddress, LinkedinUrl, Note, PhoneNumber, Position, now};
use super::paging::{page, parse};
use super::people::add_tag;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// The sub-resource routes and the firm's tag list.
pub fn routes() -> Router<CwApp> {
    Router::new()
        .route("/v3.0/{firm}/people/{id}/email_addresses", post(add_email))
        .route("/v3.0/{firm}/people/{id}/phone_numbers", post(add_phone))
        .route("/v3.0/{firm}/people/{id}/linkedin_urls", post(add_linkedin))
        .route("/v3.0/{firm}/people/{id}/tags", post(tag_person))
        .route("/v3.0/{firm}/people/{id}/positions", get(positions).post(add_position))
        .route("/v3.0/{firm}/people/{id}/positions/{position_id}", delete(delete_position))
        .route("/v3.0/{firm}/people/{id}/educations", get(educations).post(add_education))
        .route("/v3.0/{firm}/people/{id}/educations/{education_id}", delete(delete_education))
        .route("/v3.0/{firm}/people/{id}/notes", get(notes).post(add_note))
        .route("/v3.0/{firm}/tags", get(tags))
}

type Ids = Path<(String, String)>;

fn created<T: serde::Serialize>(key: &str, row: &T) -> Response {
    (StatusCode::CREATED, Json(json!({ key: row }))).into_response()
}

/// Runs `f` on the state once the credentials and the person check out.
fn with_person(
    app: &CwApp,
    headers: &HeaderMap,
    (firm, id): &(String, String),
    f: impl FnOnce(&mut ClockworkState, &str) -> Result<Response, CwError>,
) -> Response {
    respond((|| {
        check(app, firm, headers)?;
        let mut s = app.lock();
        if !s.people.contains_key(id) {
            return Err(CwError::missing("Person"));
        }
        f(&mut s, id)
    })())
}

async fn add_email(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let f = wrapped(&body, "email")?;
        let address = req_str(&f, "address")?;
        if !address.contains('@') {
            return Err(CwError::BadRequest("address is not an email address".into()));
        }
        let id = s.next_id();
        let is_preferred = s.emails_of(person_id).is_empty();
        let row = EmailAddress {
            id: id.clone(),
            person_id: person_id.to_owned(),
            address: address.trim().to_owned(),
            location: opt_str(&f, "location")?,
            is_preferred,
            created_at: now(),
        };
        s.emails.insert(id, row.clone());
        Ok(created("personEmailAddress", &row))
    })
}

async fn add_phone(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let f = wrapped(&body, "phone_number")?;
        let id = s.next_id();
        let row = PhoneNumber {
            id: id.clone(),
            person_id: person_id.to_owned(),
            digits: req_str(&f, "digits")?,
            extension: opt_str(&f, "extension")?,
            location: opt_str(&f, "location")?,
            created_at: now(),
        };
        s.phones.insert(id, row.clone());
        Ok(created("personPhoneNumber", &row))
    })
}

async fn add_linkedin(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let f = wrapped(&body, "linkedin_url")?;
        let id = s.next_id();
        let row = LinkedinUrl {
            id: id.clone(),
            person_id: person_id.to_owned(),
            url: req_str(&f, "url")?,
            created_at: now(),
        };
        s.linkedin_urls.insert(id, row.clone());
        Ok(created("personLinkedinUrl", &row))
    })
}

async fn tag_person(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let tag_id = req_str(&wrapped(&body, "person_tag")?, "tag_id")?;
        if !s.tags.contains_key(&tag_id) {
            return Err(CwError::BadRequest(format!("Tag {tag_id} not found")));
        }
        Ok(created("personTag", &add_tag(s, person_id, &tag_id)))
    })
}

async fn positions(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let rows: Vec<Value> = s
            .positions
            .values()
            .filter(|p| p.person_id == person_id)
            .map(|p| {
                let mut v = json!(p);
                v["company"] = json!({"id": null, "name": p.company_name});
                v
            })
            .collect();
        Ok(Json(json!({ "personPositions": rows })).into_response())
    })
}

async fn add_position(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let f = wrapped(&body, "position")?;
        if f.is_empty() {
            return Err(CwError::BadRequest("At least one field must be provided".into()));
        }
        let (months, years) = (1..=12, 1900..=2200);
        let end_year = opt_int(&f, "endYear", years.clone())?;
        let row = Position {
            id: s.next_id(),
            person_id: person_id.to_owned(),
            title: opt_str(&f, "title")?,
            company_name: opt_str(&f, "companyName")?,
            start_month: opt_int(&f, "startMonth", months.clone())?,
            start_year: opt_int(&f, "startYear", years)?,
            end_month: opt_int(&f, "endMonth", months)?,
            end_year,
            is_current: end_year.is_none(),
            created_at: now(),
        };
        s.positions.insert(row.id.clone(), row.clone());
        Ok(created("position", &row))
    })
}

async fn delete_position(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id, position_id)): Path<(String, String, String)>,
) -> Response {
    with_person(&app, &headers, &(firm, id), |s, person_id| {
        match s.positions.get(&position_id) {
            Some(p) if p.person_id == person_id => {}
            _ => return Err(CwError::missing("Position")),
        }
        s.positions.remove(&position_id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

async fn educations(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let rows: Vec<&Education> = s.educations.values().filter(|e| e.person_id == person_id).collect();
        Ok(Json(json!({ "personEducations": rows })).into_response())
    })
}

async fn add_education(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let f = wrapped(&body, "education")?;
        let (months, years) = (1..=12, 1900..=2200);
        let row = Education {
            id: s.next_id(),
            person_id: person_id.to_owned(),
            school_name: req_str(&f, "schoolName")?,
            degree: opt_str(&f, "degree")?,
            field_of_study: opt_str(&f, "fieldOfStudy")?,
            start_month: opt_int(&f, "startMonth", months.clone())?,
            start_year: opt_int(&f, "startYear", years.clone())?,
            end_month: opt_int(&f, "endMonth", months)?,
            end_year: opt_int(&f, "endYear", years)?,
            created_at: now(),
        };
        s.educations.insert(row.id.clone(), row.clone());
        Ok(created("education", &row))
    })
}

async fn delete_education(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id, education_id)): Path<(String, String, String)>,
) -> Response {
    with_person(&app, &headers, &(firm, id), |s, person_id| {
        match s.educations.get(&education_id) {
            Some(e) if e.person_id == person_id => {}
            _ => return Err(CwError::missing("Education")),
        }
        s.educations.remove(&education_id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

async fn notes(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, uri: Uri) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let q = parse(uri.query())?;
        let rows: Vec<&Note> = s.notes.values().filter(|n| n.person_id == person_id).collect();
        Ok(page("notes", rows, &q))
    })
}

async fn add_note(State(app): State<CwApp>, headers: HeaderMap, Path(ids): Ids, body: Bytes) -> Response {
    with_person(&app, &headers, &ids, |s, person_id| {
        let f = wrapped(&body, "note")?;
        let content_type = opt_str(&f, "contentType")?.unwrap_or_else(|| "text/html".into());
        if !["text/html", "text/plain"].contains(&content_type.as_str()) {
            return Err(CwError::BadRequest("contentType must be text/html or text/plain".into()));
        }
        let row = Note {
            id: s.next_id(),
            person_id: person_id.to_owned(),
            content: req_str(&f, "content")?,
            content_type,
            category: opt_str(&f, "category")?,
            created_at: now(),
        };
        s.notes.insert(row.id.clone(), row.clone());
        Ok(created("note", &row))
    })
}

async fn tags(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, uri: Uri) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        let s = app.lock();
        Ok(page("tags", s.tags.values().collect(), &q))
    })())
}
