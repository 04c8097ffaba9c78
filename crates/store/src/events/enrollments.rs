//! Contacts' memberships of sequences: when they joined, whether syncing was
//! disabled then (SPEC S2), and their first reply (SPEC A2).

use crate::db::on_backend;
use crate::{Db, Result, now_ms};
use hiresync_core::WorkspaceId;

/// A contact's membership of a sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct Enrollment {
    /// The contact joined while the sequence had syncing disabled (SPEC S2).
    pub added_while_disabled: bool,
    /// When the contact first replied in this sequence (SPEC A2).
    pub replied_at: Option<i64>,
}

/// The enrollment of a contact in a sequence, if any.
pub async fn enrollment(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact_id: &str,
    sequence: &str,
) -> Result<Option<Enrollment>> {
    on_backend!(db, events::enrollment(workspace, contact_id, sequence))
}

/// Records that a contact joined a sequence; a second add keeps the first record.
pub async fn enroll(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact_id: &str,
    sequence: &str,
    while_disabled: bool,
) -> Result<()> {
    on_backend!(db, events::enroll(workspace, contact_id, sequence, while_disabled, now_ms()))
}

/// Where a contact stands in a sequence's join order: a page of [`enrolled`] resumes after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolled {
    /// When the contact joined (epoch ms).
    pub added_at: i64,
    /// The contact.
    pub contact_id: String,
}

/// Up to `limit` contacts enrolled in a sequence, in the order they joined, after `after`
/// (for resyncs, which page through a sequence of any size instead of holding it whole).
pub async fn enrolled(
    db: &mut Db,
    workspace: &WorkspaceId,
    sequence: &str,
    after: Option<&Enrolled>,
    limit: usize,
) -> Result<Vec<Enrolled>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    on_backend!(db, events::enrolled(workspace, sequence, after, limit))
}

/// A contact's enrollments by sequence, in the order it joined them.
pub async fn enrollments_of(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact_id: &str,
) -> Result<Vec<(String, Enrollment)>> {
    on_backend!(db, events::enrollments_of(workspace, contact_id))
}

/// The enrollments of these contacts in any sequence, as (contact_id, sequence, enrollment).
pub async fn enrollments_of_contacts(
    db: &mut Db,
    workspace: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, String, Enrollment)>> {
    on_backend!(db, events::enrollments_of_contacts(workspace, contact_ids))
}

/// Writes enrollments given as (contact_id, sequence, enrollment). A new one joins now; one
/// already stored keeps when and how it joined and its first reply, and takes the given
/// reply time only if it had none.
pub async fn put_enrollments(
    db: &mut Db,
    workspace: &WorkspaceId,
    enrollments: &[(&str, &str, &Enrollment)],
) -> Result<()> {
    if enrollments.is_empty() {
        return Ok(());
    }
    on_backend!(db, events::put_enrollments(workspace, enrollments, now_ms()))
}
