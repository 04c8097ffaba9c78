//! Contacts' memberships of sequences: when they joined, whether syncing was
//! disabled then (SPEC S2), and their first reply (SPEC A2).

use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, now_ms};
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
    c: &mut Conn,
    workspace: &WorkspaceId,
    contact: &str,
    sequence: &str,
) -> Result<Option<Enrollment>> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "select added_while_disabled, replied_at from enrollments where workspace_id = $1 and contact = $2 and sequence = $3",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .bind(sequence)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(d, r)| Enrollment { added_while_disabled: d != 0, replied_at: r }))
}

/// Records that a contact joined a sequence; a second add keeps the first record.
pub async fn enroll(
    c: &mut Conn,
    workspace: &WorkspaceId,
    contact: &str,
    sequence: &str,
    while_disabled: bool,
) -> Result<()> {
    sqlx::query(
        "insert into enrollments (workspace_id, contact, sequence, added_at, added_while_disabled) values ($1, $2, $3, $4, $5)
         on conflict (workspace_id, contact, sequence) do nothing",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .bind(sequence)
    .bind(now_ms())
    .bind(i64::from(while_disabled))
    .execute(c)
    .await?;
    Ok(())
}

/// Where a contact stands in a sequence's join order: a page of [`enrolled`] resumes after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolled {
    /// When the contact joined (epoch ms).
    pub added_at: i64,
    /// The contact.
    pub contact: String,
}

/// Up to `limit` contacts enrolled in a sequence, in the order they joined, after `after`
/// (for resyncs, which page through a sequence of any size instead of holding it whole).
pub async fn enrolled(
    c: &mut Conn,
    workspace: &WorkspaceId,
    sequence: &str,
    after: Option<&Enrolled>,
    limit: usize,
) -> Result<Vec<Enrolled>> {
    let (added_at, contact) = after.map_or((i64::MIN, ""), |e| (e.added_at, e.contact.as_str()));
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "select added_at, contact from enrollments where workspace_id = $1 and sequence = $2
           and (added_at > $3 or (added_at = $3 and contact > $4))
         order by added_at, contact limit $5",
    )
    .bind(workspace.as_str())
    .bind(sequence)
    .bind(added_at)
    .bind(contact)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(added_at, contact)| Enrolled { added_at, contact }).collect())
}

/// A contact's enrollments by sequence, in the order it joined them.
pub async fn enrollments_of(c: &mut Conn, workspace: &WorkspaceId, contact: &str) -> Result<Vec<(String, Enrollment)>> {
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "select sequence, added_while_disabled, replied_at from enrollments where workspace_id = $1 and contact = $2
         order by added_at, sequence",
    )
    .bind(workspace.as_str())
    .bind(contact)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(s, d, r)| (s, Enrollment { added_while_disabled: d != 0, replied_at: r })).collect())
}

/// The enrollments of these contacts in any sequence, as (contact, sequence, enrollment).
pub async fn enrollments_of_contacts(
    c: &mut Conn,
    workspace: &WorkspaceId,
    contacts: &[&str],
) -> Result<Vec<(String, String, Enrollment)>> {
    let columns = "contact, sequence, added_while_disabled, replied_at";
    let rows: Vec<(String, String, i64, Option<i64>)> =
        rows::of_workspace(c, "enrollments", columns, "contact", workspace.as_str(), contacts).await?;
    Ok(rows
        .into_iter()
        .map(|(k, s, d, r)| (k, s, Enrollment { added_while_disabled: d != 0, replied_at: r }))
        .collect())
}

/// Writes enrollments given as (contact, sequence, enrollment). A new one joins now; one
/// already stored keeps when and how it joined and its first reply, and takes the given
/// reply time only if it had none.
pub async fn put_enrollments(
    c: &mut Conn,
    workspace: &WorkspaceId,
    enrollments: &[(&str, &str, &Enrollment)],
) -> Result<()> {
    let (now, p) = (now_ms(), Params::of(c));
    for chunk in enrollments.chunks(CHUNK) {
        let sql = format!(
            "insert into enrollments (workspace_id, added_at, contact, sequence, added_while_disabled, replied_at)
             values {} on conflict (workspace_id, contact, sequence)
             do update set replied_at = coalesce(enrollments.replied_at, excluded.replied_at)",
            p.values(chunk.len(), 6, 1)
        );
        let mut q = rows::listed(&sql, p);
        for (contact, sequence, e) in chunk {
            q = q
                .bind(workspace.as_str())
                .bind(now)
                .bind(*contact)
                .bind(*sequence)
                .bind(i64::from(e.added_while_disabled))
                .bind(e.replied_at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}
