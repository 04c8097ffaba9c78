//! Enrollments on SQLite.

use crate::Result;
use crate::events::{Enrolled, Enrollment};
use crate::sqlite::lists::{self, CHUNK};
use hiresync_core::WorkspaceId;
use sqlx::SqliteConnection;

pub(crate) async fn enrollment(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_id: &str,
    sequence: &str,
) -> Result<Option<Enrollment>> {
    let row: Option<(bool, Option<i64>)> = sqlx::query_as(
        "select added_while_disabled, replied_at from enrollments
         where workspace_id = $1 and contact_id = $2 and sequence = $3",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .bind(sequence)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(added_while_disabled, replied_at)| Enrollment { added_while_disabled, replied_at }))
}

pub(crate) async fn enroll(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_id: &str,
    sequence: &str,
    while_disabled: bool,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "insert into enrollments (workspace_id, contact_id, sequence, added_at, added_while_disabled)
         values ($1, $2, $3, $4, $5) on conflict (workspace_id, contact_id, sequence) do nothing",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .bind(sequence)
    .bind(now)
    .bind(while_disabled)
    .execute(c)
    .await?;
    Ok(())
}

/// The first page starts before any time there is.
pub(crate) async fn enrolled(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    sequence: &str,
    after: Option<&Enrolled>,
    limit: i64,
) -> Result<Vec<Enrolled>> {
    let (added_at, contact_id) = after.map_or((i64::MIN, ""), |e| (e.added_at, e.contact_id.as_str()));
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "select added_at, contact_id from enrollments where workspace_id = $1 and sequence = $2
           and (added_at > $3 or (added_at = $3 and contact_id > $4))
         order by added_at, contact_id limit $5",
    )
    .bind(ws.as_str())
    .bind(sequence)
    .bind(added_at)
    .bind(contact_id)
    .bind(limit)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(added_at, contact_id)| Enrolled { added_at, contact_id }).collect())
}

pub(crate) async fn enrollments_of(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_id: &str,
) -> Result<Vec<(String, Enrollment)>> {
    let rows: Vec<(String, bool, Option<i64>)> = sqlx::query_as(
        "select sequence, added_while_disabled, replied_at from enrollments where workspace_id = $1 and contact_id = $2
         order by added_at, sequence",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(s, d, r)| (s, Enrollment { added_while_disabled: d, replied_at: r })).collect())
}

/// Read as one JSON array ([`lists::of_workspace`]), in which the flag is 0 or 1.
pub(crate) async fn enrollments_of_contacts(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, String, Enrollment)>> {
    let columns = "contact_id, sequence, added_while_disabled, replied_at";
    let rows: Vec<(String, String, i64, Option<i64>)> =
        lists::of_workspace(c, "enrollments", columns, "contact_id", ws.as_str(), contact_ids).await?;
    Ok(rows
        .into_iter()
        .map(|(k, s, d, r)| (k, s, Enrollment { added_while_disabled: d != 0, replied_at: r }))
        .collect())
}

pub(crate) async fn put_enrollments(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    enrollments: &[(&str, &str, &Enrollment)],
    now: i64,
) -> Result<()> {
    for chunk in enrollments.chunks(CHUNK) {
        let sql = format!(
            "insert into enrollments (workspace_id, added_at, contact_id, sequence, added_while_disabled, replied_at)
             values {} on conflict (workspace_id, contact_id, sequence)
             do update set replied_at = coalesce(enrollments.replied_at, excluded.replied_at)",
            lists::values(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for (contact_id, sequence, e) in chunk {
            q = q
                .bind(ws.as_str())
                .bind(now)
                .bind(*contact_id)
                .bind(*sequence)
                .bind(e.added_while_disabled)
                .bind(e.replied_at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}
