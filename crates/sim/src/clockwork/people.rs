//! People: full-text search, the plain list, one record, create and update
//! (`{"person": {...}}`, one full name, `tag_names` adding tags by name).

use super::auth::check;
use super::body::{Fields, opt_bool, opt_str, req_str, respond, str_list, wrapped};
use super::errors::CwError;
use super::model::{ClockworkState, Person, PersonTag, Tag, now};
use super::paging::{page, parse};
use super::{CwApp, render};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

/// The people routes.
pub fn routes() -> Router<CwApp> {
    Router::new()
        .route("/v3.0/{firm}/people_search", get(search))
        .route("/v3.0/{firm}/people", get(list).post(create))
        .route("/v3.0/{firm}/people/{id}", get(show).patch(update))
}

/// Tags `person_id` with each name, creating firm tags that do not exist; never removes one.
pub fn add_tag_names(s: &mut ClockworkState, person_id: &str, names: &[String]) {
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let tag_id = match s.tag_named(name) {
            Some(t) => t.id.clone(),
            None => {
                let id = s.next_id();
                s.tags.insert(id.clone(), Tag { id: id.clone(), name: name.to_owned() });
                id
            }
        };
        add_tag(s, person_id, &tag_id);
    }
}

/// Tags `person_id` with an existing tag, once; returns the person-tag row.
pub fn add_tag(s: &mut ClockworkState, person_id: &str, tag_id: &str) -> PersonTag {
    if let Some(existing) = s.person_tags.values().find(|pt| pt.person_id == person_id && pt.tag_id == tag_id) {
        return existing.clone();
    }
    let id = s.next_id();
    let row = PersonTag { id: id.clone(), person_id: person_id.to_owned(), tag_id: tag_id.to_owned() };
    s.person_tags.insert(id, row.clone());
    row
}

fn apply(p: &mut Person, f: &Fields) -> Result<(), CwError> {
    if f.contains_key("name") {
        p.name = req_str(f, "name")?;
    }
    for (key, slot) in [
        ("nickName", &mut p.nick_name),
        ("biography", &mut p.biography),
        ("assistantName", &mut p.assistant_name),
        ("skypeName", &mut p.skype_name),
    ] {
        if f.contains_key(key) {
            *slot = opt_str(f, key)?;
        }
    }
    if let Some(b) = opt_bool(f, "doNotContact")? {
        p.do_not_contact = b;
    }
    if let Some(b) = opt_bool(f, "noRelocation")? {
        p.no_relocation = b;
    }
    p.updated_at = now();
    Ok(())
}

fn matches(s: &ClockworkState, p: &Person, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty()
        || p.name.to_lowercase().contains(&q)
        || s.emails_of(&p.id).iter().any(|e| e.address.to_lowercase().contains(&q))
}

async fn search(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, uri: Uri) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        let s = app.lock();
        let text = q.get("q").unwrap_or_default();
        let rows = s.people.values().filter(|p| matches(&s, p, text)).map(|p| render::search_hit(&s, p)).collect();
        Ok(page("peopleSearch", rows, &q))
    })())
}

async fn list(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, uri: Uri) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let q = parse(uri.query())?;
        let s = app.lock();
        Ok(page("people", s.people.values().map(|p| render::person(&s, p)).collect(), &q))
    })())
}

async fn show(State(app): State<CwApp>, headers: HeaderMap, Path((firm, id)): Path<(String, String)>) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let s = app.lock();
        let p = s.people.get(&id).ok_or_else(|| CwError::missing("Person"))?;
        Ok(Json(render::person(&s, p)).into_response())
    })())
}

async fn create(State(app): State<CwApp>, headers: HeaderMap, Path(firm): Path<String>, body: Bytes) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let f = wrapped(&body, "person")?;
        let at = now();
        let mut p = Person { created_at: at.clone(), updated_at: at, ..Person::default() };
        p.name = req_str(&f, "name")?;
        apply(&mut p, &f)?;
        let (names, tag_ids) = (str_list(&f, "tag_names")?, str_list(&f, "tag_ids")?);
        let mut s = app.lock();
        if let Some(unknown) = tag_ids.iter().find(|t| !s.tags.contains_key(*t)) {
            return Err(CwError::BadRequest(format!("Tag {unknown} not found")));
        }
        p.id = s.next_id();
        s.people.insert(p.id.clone(), p.clone());
        add_tag_names(&mut s, &p.id, &names);
        for tag in &tag_ids {
            add_tag(&mut s, &p.id, tag);
        }
        Ok((StatusCode::CREATED, Json(render::person(&s, &p))).into_response())
    })())
}

async fn update(
    State(app): State<CwApp>,
    headers: HeaderMap,
    Path((firm, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        check(&app, &firm, &headers)?;
        let f = wrapped(&body, "person")?;
        let names = str_list(&f, "tag_names")?;
        let mut s = app.lock();
        let mut p = s.people.get(&id).cloned().ok_or_else(|| CwError::missing("Person"))?;
        apply(&mut p, &f)?;
        s.people.insert(id.clone(), p.clone());
        add_tag_names(&mut s, &id, &names);
        Ok(Json(render::person(&s, &p)).into_response())
    })())
}
