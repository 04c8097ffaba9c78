//! A v1 candidate's activity feed (§1.3): its notes and emails read
//! together, and written one at a time.

use super::auth::{read, write};
use super::render;
use crate::greenhouse::GhApp;
use crate::greenhouse::body::{json_object, opt_id, opt_str, required, string_list};
use crate::greenhouse::errors::GhError;
use crate::greenhouse::model::{Note, now};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

/// The activity feed routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v1/candidates/{id}/activity_feed", get(activity_feed))
        .route("/v1/candidates/{id}/activity_feed/notes", post(create_note))
        .route("/v1/candidates/{id}/activity_feed/emails", post(create_email))
}

async fn activity_feed(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    read(&app, &headers, || {
        let s = app.lock();
        if !s.candidates.contains_key(&id) {
            return Err(GhError::NotFound(None));
        }
        let mine: Vec<_> = s.notes.values().filter(|n| n.candidate_id == Some(id)).collect();
        let notes: Vec<Value> = mine.iter().filter(|n| n.kind != "EMAIL").map(|n| render::note(&s, n)).collect();
        let emails: Vec<Value> =
            mine.iter().filter(|n| n.kind == "EMAIL").map(|n| render::email(&s, n, false)).collect();
        Ok(Json(json!({"notes": notes, "emails": emails, "activities": []})).into_response())
    })
}

/// Checks the author and candidate, then stores `note`; answers its v1 rendering.
fn store_note(
    app: &GhApp,
    id: i64,
    body: &Map<String, Value>,
    mut note: Note,
    email: bool,
) -> Result<Response, GhError> {
    let user_id =
        opt_id(body, "user_id")?.ok_or_else(|| GhError::field("user_id", "Missing required field: user_id"))?;
    let mut s = app.lock();
    if !s.candidates.contains_key(&id) || !s.users.contains_key(&user_id) {
        return Err(GhError::NotFound(None));
    }
    note.id = s.next_id();
    note.candidate_id = Some(id);
    note.user_id = Some(user_id);
    note.created_at = now();
    s.notes.insert(note.id, note.clone());
    let rendered = if email { render::email(&s, &note, true) } else { render::note(&s, &note) };
    Ok((StatusCode::CREATED, Json(rendered)).into_response())
}

async fn create_note(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let text = required(&body, "body")?;
        let visibility = match opt_str(&body, "visibility")?.as_deref() {
            Some("admin_only") => "admin_only_visible",
            Some("private") => "privately_visible",
            Some("public") => "publicly_visible",
            _ => return Err(GhError::field("visibility", "Missing required field: visibility")),
        };
        let note = Note { body: text, kind: "NOTE".into(), visibility: visibility.into(), ..Note::default() };
        store_note(&app, id, &body, note, false)
    })
}

async fn create_email(State(app): State<GhApp>, headers: HeaderMap, Path(id): Path<i64>, body: Bytes) -> Response {
    write(&app, &headers, || {
        let body = json_object(&body)?;
        let note = Note {
            body: required(&body, "body")?,
            subject: Some(required(&body, "subject")?),
            kind: "EMAIL".into(),
            email_to: vec![required(&body, "to")?],
            email_from: vec![required(&body, "from")?],
            email_cc: string_list(&body, "cc")?,
            visibility: "publicly_visible".into(),
            ..Note::default()
        };
        store_note(&app, id, &body, note, true)
    })
}
