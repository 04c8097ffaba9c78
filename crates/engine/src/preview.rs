//! What a sync of one contact to one connection would do now (API.md
//! "Preview"), found by carrying out the sync's own steps in a rehearsal
//! (`sync::Writes::Rehearsal`): the provider is read as the sync would read
//! it, and nothing is stored or written to it.
//!
//! A contact the connection holds no person for is previewed as a resync
//! would sync it; a linked one by the decisions ingest took for it that no
//! job has carried out yet.

use crate::job::{Context, JobError};
use crate::resync;
use crate::sync::{self, Rehearsal, Write, Writes};
use hiresync_core::{NoteDraft, PersonDraft, Target, WorkspaceId};
use hiresync_store::connections::Connection;
use hiresync_store::events;
use hiresync_store::resyncs::SYNCED;

/// Most decisions waiting for a linked contact that one preview carries out.
const PENDING_MAX: i64 = 50;

/// What the sync would do with the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create a person.
    Create,
    /// Write on the person the provider already holds.
    Link,
    /// Write nothing.
    Skip,
}

/// What a sync of the contact would write now.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// What it would do with the person.
    pub action: Action,
    /// Why it would write nothing.
    pub reason: Option<String>,
    /// The fields it would create the person with, or write on the linked one.
    pub person: Option<PersonDraft>,
    /// Where it would place the person.
    pub target: Option<Target>,
    /// Tags it would add.
    pub tags: Vec<String>,
    /// The stage it would move the placement to last.
    pub stage: Option<String>,
    /// Notes it would write, in order.
    pub notes: Vec<NoteDraft>,
    /// Warnings it would record on the contact's sync ("Exists in Greenhouse").
    pub errors: Vec<String>,
}

/// Previews syncing `contact` to `conn`; a provider read that fails is the error.
pub async fn preview(cx: &Context, ws: &WorkspaceId, conn: &Connection, contact: &str) -> Result<Preview, JobError> {
    let rehearsal = Rehearsal::default();
    let mut c = cx.store().db().await?;
    let linked = events::sync_state(&mut c, &conn.id, contact).await?.filter(|s| s.person_id.is_some());
    let (skip, sync) = match linked {
        None => {
            drop(c);
            let r = resync::rehearse(cx, ws, conn.id.as_str(), contact, &rehearsal).await?;
            let skip = (r.outcome != SYNCED).then(|| r.reason.unwrap_or_else(|| "not synced".to_owned()));
            (skip, r.sync)
        }
        Some(state) => {
            let pending = events::to_carry(&mut c, ws, &conn.id, contact, PENDING_MAX).await?;
            drop(c);
            let mut sync = Some(state);
            for d in &pending {
                let rehearsed = Writes::Rehearsal(&rehearsal);
                let carried =
                    sync::carry_out_event(cx, rehearsed, ws, &d.event_id, conn.id.as_str(), contact, &d.decision)
                        .await?;
                sync = carried.sync.or(sync);
            }
            let idle = format!("already synced to {}; nothing to write", conn.provider.display_name());
            (rehearsal.writes().is_empty().then_some(idle), sync)
        }
    };
    let mut out = summarise(&rehearsal.writes());
    out.action = match (&skip, out.action) {
        (_, Action::Create) => Action::Create,
        (Some(_), _) => Action::Skip,
        (None, _) => Action::Link,
    };
    out.reason = skip.filter(|_| out.action == Action::Skip);
    out.errors = sync.map(|s| s.errors).unwrap_or_default();
    Ok(out)
}

/// The held-back writes as the preview shows them; `action` is Create when one creates a person.
fn summarise(writes: &[Write]) -> Preview {
    let mut out = Preview {
        action: Action::Skip,
        reason: None,
        person: None,
        target: None,
        tags: Vec::new(),
        stage: None,
        notes: Vec::new(),
        errors: Vec::new(),
    };
    let add_tags = |tags: &[String], out: &mut Preview| {
        for t in tags {
            if !out.tags.contains(t) {
                out.tags.push(t.clone());
            }
        }
    };
    for w in writes {
        match w {
            Write::Create { draft, target } => {
                out.action = Action::Create;
                add_tags(&draft.tags, &mut out);
                out.person = Some(draft.clone());
                out.target = target.clone().or(out.target.take());
            }
            Write::Update { draft, .. } => {
                add_tags(&draft.tags, &mut out);
                // A progress tag alone is no write of the person's fields.
                let fields_only = PersonDraft { tags: Vec::new(), ..draft.clone() };
                if out.person.is_none() && !fields_only.is_empty() {
                    out.person = Some(draft.clone());
                }
            }
            Write::Place { target, .. } => out.target = Some(target.clone()),
            Write::MoveStage { stage, .. } => out.stage = Some(stage.clone()),
            Write::Note { note, .. } => out.notes.push(note.clone()),
            Write::History { roles, .. } => {
                out.person.get_or_insert_with(PersonDraft::default).employment.clone_from(roles);
            }
            Write::Education { schools, .. } => {
                out.person.get_or_insert_with(PersonDraft::default).education.clone_from(schools);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hiresync_core::Employment;

    fn draft(first: &str, tags: &[&str]) -> PersonDraft {
        PersonDraft {
            first_name: Some(first.to_owned()),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..PersonDraft::default()
        }
    }

    #[test]
    fn a_created_person_is_shown_with_its_tags_and_a_later_progress_tag() {
        let tag_only = PersonDraft { tags: vec!["replied".into()], ..PersonDraft::default() };
        let out = summarise(&[
            Write::Create { draft: draft("Ada", &["rust"]), target: None },
            Write::Update { person_id: "p".into(), draft: tag_only },
        ]);
        assert_eq!(out.action, Action::Create);
        assert_eq!(out.person.unwrap().first_name.as_deref(), Some("Ada"));
        assert_eq!(out.tags, ["rust", "replied"]);
    }

    #[test]
    fn a_linked_person_shows_its_update_and_the_history_written_apart() {
        let roles = vec![Employment { company: Some("AE".into()), ..Employment::default() }];
        let out = summarise(&[
            Write::Update { person_id: "p".into(), draft: draft("Ada", &[]) },
            Write::History { person_id: "p".into(), roles: roles.clone() },
        ]);
        assert_eq!(out.action, Action::Skip, "linking is decided by the caller");
        let person = out.person.unwrap();
        assert_eq!(person.first_name.as_deref(), Some("Ada"));
        assert_eq!(person.employment, roles);
    }
}
