//! Harvest v3 notes (§7.9): the list with its candidate, user, type and
//! visibility filters, and writing a note, activity or email record.

use super::GhApp;
use super::auth::v3_writer;
use super::body::{json_object, opt_id, opt_str, reject_unknown, req_id, respond, string_list};
use super::errors::GhError;
use super::listing::{Ids, eq, list_handler};
use super::model::{Note, now};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

/// The note routes.
pub fn routes() -> Router<GhApp> {
    Router::new().route("/v3/notes", get(notes).post(create_note))
}

list_handler!(
    notes,
    &["ids", "candidate_ids", "application_ids", "user_ids", "type", "visibility", "created_at"],
    |s, q| {
        let ids = Ids::of(q, "ids")?;
        let candidate_ids = Ids::of(q, "candidate_ids")?;
        let application_ids = Ids::of(q, "application_ids")?;
        let user_ids = Ids::of(q, "user_ids")?;
        let mut out = Vec::new();
        for n in s.notes.values() {
            if ids.keep(Some(n.id))
                && candidate_ids.keep(n.candidate_id)
                && application_ids.keep(n.application_id)
                && user_ids.keep(n.user_id)
                && eq(q, "type", &n.kind)
                && eq(q, "visibility", &n.visibility)
            {
                out.push((n.id, n.clone()));
            }
        }
        Ok(out)
    }
);

async fn create_note(State(app): State<GhApp>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    respond((|| {
        let sub = v3_writer(&app, &headers, "create note")?;
        let body = json_object(&body)?;
        reject_unknown(
            &body,
            &[
                "candidate_id",
                "application_id",
                "user_id",
                "body",
                "visibility",
                "note_type",
                "subject",
                "email_from",
                "email_to",
                "email_cc",
            ],
        )?;
        let candidate_id = req_id(&body, "candidate_id")?;
        let text = opt_str(&body, "body")?
            .filter(|b| !b.trim().is_empty())
            .ok_or_else(|| GhError::field("body", "Missing required field: body"))?;
        let visibility = match opt_str(&body, "visibility")?.as_deref() {
            Some("admin_only") => "admin_only_visible",
            Some("private") => "privately_visible",
            Some("public") => "publicly_visible",
            _ => {
                return Err(GhError::field(
                    "visibility",
                    "visibility must be one of [\"admin_only\",\"private\",\"public\"]",
                ));
            }
        };
        // Live tenants reject lower case although the message lists lower-case values.
        let kind = match opt_str(&body, "note_type")?.as_deref() {
            Some(k @ ("NOTE" | "ACTIVITY" | "EMAIL")) => k.to_owned(),
            _ => {
                return Err(GhError::field("note_type", "note_type must be one of [\"email\",\"activity\",\"note\"]"));
            }
        };
        let subject = opt_str(&body, "subject")?;
        let (from, to, cc) =
            (string_list(&body, "email_from")?, string_list(&body, "email_to")?, string_list(&body, "email_cc")?);
        if kind == "EMAIL"
            && (subject.as_deref().is_none_or(|s| s.trim().is_empty()) || from.is_empty() || to.is_empty())
        {
            return Err(GhError::Invalid(vec![(
                "subject".into(),
                "EMAIL notes need subject, email_from and email_to".into(),
            )]));
        }
        let mut state = app.lock();
        let id = state.next_id();
        let note = Note {
            id,
            candidate_id: Some(candidate_id),
            application_id: opt_id(&body, "application_id")?,
            body: text,
            subject,
            kind,
            user_id: opt_id(&body, "user_id")?.or(sub),
            email_from: from,
            email_to: to,
            email_cc: cc,
            visibility: visibility.into(),
            import_hash: None,
            created_at: now(),
        };
        state.notes.insert(id, note.clone());
        Ok((StatusCode::CREATED, Json(note)).into_response())
    })())
}
