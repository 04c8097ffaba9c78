//! Candidate writes as Teamtailor takes them: create (with `merge` joining
//! a candidate who holds the email) and update, and the notes and uploads
//! attached to a candidate, with Teamtailor's validation and webhook emission.

use super::TtApp;
use super::auth::check;
use super::body::{WriteDoc, parse};
use super::errors::TtError;
use super::model::{Candidate, Note, TeamtailorState, Upload, now};
use super::render::{Kind, created, respond};
use super::webhook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{patch, post};

/// The candidate, note and upload write routes.
pub fn routes() -> Router<TtApp> {
    Router::new()
        .route("/v1/candidates", post(create_candidate))
        .route("/v1/candidates/{id}", patch(update_candidate))
        .route("/v1/notes", post(create_note))
        .route("/v1/uploads", post(create_upload))
}

const CANDIDATE_ATTRIBUTES: &[&str] = &[
    "email",
    "first-name",
    "last-name",
    "phone",
    "pitch",
    "linkedin-url",
    "tags",
    "unsubscribed",
    "internal",
    "referring-site",
    "referring-url",
    "sourced",
    "merge",
    "send-welcome-message",
    "set-consent-expiration",
];

fn apply_candidate(state: &TeamtailorState, c: &mut Candidate, doc: &WriteDoc) -> Result<(), TtError> {
    if let Some(email) = doc.text("email")? {
        let email = email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
        if let Some(e) = &email
            && state.candidate_by_email(e).is_some_and(|other| other.id != c.id)
        {
            return Err(TtError::field("email", "has already been taken"));
        }
        c.email = email;
    }
    for (name, slot) in [
        ("first-name", &mut c.first_name),
        ("last-name", &mut c.last_name),
        ("phone", &mut c.phone),
        ("pitch", &mut c.pitch),
        ("linkedin-url", &mut c.linkedin_url),
        ("referring-site", &mut c.referring_site),
        ("referring-url", &mut c.referring_url),
    ] {
        if let Some(v) = doc.text(name)? {
            *slot = v;
        }
    }
    if c.pitch.as_deref().is_some_and(|p| p.chars().count() > 140) {
        return Err(TtError::field("pitch", "is too long (maximum is 140 characters)"));
    }
    if let Some(tags) = doc.attributes.get("tags") {
        let tags = tags.as_array().ok_or_else(|| TtError::field("tags", "must be an array"))?;
        c.tags = tags
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| TtError::field("tags", "must be strings")))
            .collect::<Result<_, _>>()?;
    }
    for (name, slot) in [("unsubscribed", &mut c.unsubscribed), ("internal", &mut c.internal)] {
        if let Some(b) = doc.flag(name)? {
            *slot = b;
        }
    }
    c.updated_at = now();
    Ok(())
}

async fn create_candidate(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc =
            parse(&headers, &body, "candidates", None, CANDIDATE_ATTRIBUTES, &["locations", "department", "role"])?;
        let merge = doc.flag("merge")?.unwrap_or(false);
        let sourced = doc.flag("sourced")?.unwrap_or(false);
        let email = doc.text("email")?.flatten().map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
        let mut state = app.lock();
        let existing = email.as_deref().and_then(|e| state.candidate_by_email(e)).cloned();
        let (id, event, status) = match existing {
            Some(mut c) if merge => {
                apply_candidate(&state, &mut c, &doc)?;
                state.candidates.insert(c.id, c.clone());
                (c.id, "candidate.update", StatusCode::CREATED)
            }
            Some(_) => return Err(TtError::field("email", "has already been taken")),
            None if email.is_none() && !sourced => return Err(TtError::field("email", "can't be blank")),
            None => {
                let at = now();
                let mut c = Candidate { sourced, created_at: at.clone(), updated_at: at, ..Candidate::default() };
                apply_candidate(&state, &mut c, &doc)?;
                c.id = state.next_id();
                state.candidates.insert(c.id, c.clone());
                (c.id, "candidate.create", StatusCode::CREATED)
            }
        };
        drop(state);
        webhook::candidate(&app, event, id);
        Ok(created(&app, &headers, &version, status, Kind::Candidates, id))
    })())
}

async fn update_candidate(
    State(app): State<TtApp>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let id = raw.parse::<i64>().map_err(|_| TtError::missing("candidates", &raw))?;
        let allowed: Vec<&str> = CANDIDATE_ATTRIBUTES.iter().copied().filter(|a| *a != "merge").collect();
        let doc = parse(&headers, &body, "candidates", Some(id), &allowed, &["locations", "department", "role"])?;
        let mut state = app.lock();
        let mut c = state.candidates.get(&id).cloned().ok_or_else(|| TtError::missing("candidates", &raw))?;
        let before = c.clone();
        apply_candidate(&state, &mut c, &doc)?;
        let changed =
            Candidate { updated_at: String::new(), ..c.clone() } != Candidate { updated_at: String::new(), ..before };
        state.candidates.insert(id, c);
        drop(state);
        if changed {
            webhook::candidate(&app, "candidate.update", id);
        }
        Ok(created(&app, &headers, &version, StatusCode::OK, Kind::Candidates, id))
    })())
}

async fn create_note(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let version = check(&app, &headers)?;
        let doc = parse(&headers, &body, "notes", None, &["note", "private-note"], &["candidate", "user"])?;
        let private_note = doc.flag("private-note")?.unwrap_or(false);
        let note = doc
            .text("note")?
            .flatten()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| TtError::field("note", "can't be blank"))?;
        let mut state = app.lock();
        let candidate_id = doc
            .related("candidate")
            .filter(|c| state.candidates.contains_key(c))
            .ok_or_else(|| TtError::field("candidate", "must exist"))?;
        let user_id = doc.related("user");
        if user_id.is_some_and(|u| !state.users.contains_key(&u)) {
            return Err(TtError::field("user", "must exist"));
        }
        let id = state.next_id();
        state.notes.insert(id, Note { id, candidate_id, user_id, note, private_note, created_at: now() });
        drop(state);
        Ok(created(&app, &headers, &version, StatusCode::CREATED, Kind::Notes, id))
    })())
}

async fn create_upload(State(app): State<TtApp>, headers: HeaderMap, body: Bytes) -> Response {
    let mut fetch = None;
    let response = respond((|| {
        let version = check(&app, &headers)?;
        let doc = parse(&headers, &body, "uploads", None, &["url", "file-name", "internal"], &["candidate", "job"])?;
        let url = doc
            .text("url")?
            .flatten()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| TtError::field("url", "can't be blank"))?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(TtError::field("url", "is not a valid URL"));
        }
        let mut state = app.lock();
        let candidate_id = doc
            .related("candidate")
            .filter(|c| state.candidates.contains_key(c))
            .ok_or_else(|| TtError::field("candidate", "must exist"))?;
        let file_name =
            doc.text("file-name")?.flatten().unwrap_or_else(|| url.rsplit('/').next().unwrap_or("file").to_owned());
        let internal = doc.flag("internal")?.unwrap_or(false);
        let id = state.next_id();
        fetch = Some((id, url.clone()));
        state.uploads.insert(id, Upload { id, candidate_id, url, file_name, internal, ..Upload::default() });
        drop(state);
        Ok(created(&app, &headers, &version, StatusCode::CREATED, Kind::Uploads, id))
    })());
    // Teamtailor fetches the file from the URL it was given, after answering.
    if let Some((id, url)) = fetch {
        tokio::spawn(fetch_upload(app, id, url));
    }
    response
}

/// Fetches an upload's URL (following redirects, as a storage link may be one) and keeps what came back.
async fn fetch_upload(app: TtApp, id: i64, url: String) {
    let fetched = match reqwest::get(&url).await {
        Ok(r) => {
            let status = r.status().as_u16();
            let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let body = r.bytes().await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            (status, kind, body)
        }
        Err(_) => (0, None, String::new()),
    };
    if let Some(u) = app.lock().uploads.get_mut(&id) {
        u.fetch_status = Some(fetched.0);
        u.content_type = fetched.1;
        u.content = if fetched.0 == 200 { Some(fetched.2) } else { None };
    }
}
