//! Enrollments on PostgreSQL.

use crate::Result;
use crate::events::{Enrolled, Enrollment};
use crate::postgres::types::{ms, ms_opt, ts, ts_opt};
use chrono::{DateTime, Utc};
use hiresync_core::WorkspaceId;
use sqlx::PgConnection;

pub(crate) async fn enrollment(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    contact_id: &str,
    sequence: &str,
) -> Result<Option<Enrollment>> {
    let row: Option<(bool, Option<DateTime<Utc>>)> = sqlx::query_as(
        "select added_while_disabled, replied_at from enrollments
         where workspace_id = $1 and contact_id = $2 and sequence = $3",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .bind(sequence)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(d, r)| Enrollment { added_while_disabled: d, replied_at: ms_opt(r) }))
}

pub(crate) async fn enroll(
    c: &mut PgConnection,
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
    .bind(ts(now))
    .bind(while_disabled)
    .execute(c)
    .await?;
    Ok(())
}

/// A page resumes past `after` in the index's own order, as a row comparison; the first page
/// has nothing to resume past.
pub(crate) async fn enrolled(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    sequence: &str,
    after: Option<&Enrolled>,
    limit: i64,
) -> Result<Vec<Enrolled>> {
    let q = match after {
        None => sqlx::query_as(
            "select added_at, contact_id from enrollments where workspace_id = $1 and sequence = $2
             order by added_at, contact_id limit $3",
        )
        .bind(ws.as_str())
        .bind(sequence)
        .bind(limit),
        Some(after) => sqlx::query_as(
            "select added_at, contact_id from enrollments where workspace_id = $1 and sequence = $2
               and (added_at, contact_id) > ($4, $5)
             order by added_at, contact_id limit $3",
        )
        .bind(ws.as_str())
        .bind(sequence)
        .bind(limit)
        .bind(ts(after.added_at))
        .bind(after.contact_id.as_str()),
    };
    let rows: Vec<(DateTime<Utc>, String)> = q.fetch_all(c).await?;
    Ok(rows.into_iter().map(|(added_at, contact_id)| Enrolled { added_at: ms(added_at), contact_id }).collect())
}

pub(crate) async fn enrollments_of(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    contact_id: &str,
) -> Result<Vec<(String, Enrollment)>> {
    let rows: Vec<(String, bool, Option<DateTime<Utc>>)> = sqlx::query_as(
        "select sequence, added_while_disabled, replied_at from enrollments where workspace_id = $1 and contact_id = $2
         order by added_at, sequence",
    )
    .bind(ws.as_str())
    .bind(contact_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(s, d, r)| (s, Enrollment { added_while_disabled: d, replied_at: ms_opt(r) })).collect())
}

/// The keys go as one array, so the statement is prepared once for any number of them.
pub(crate) async fn enrollments_of_contacts(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    contact_ids: &[&str],
) -> Result<Vec<(String, String, Enrollment)>> {
    let rows: Vec<(String, String, bool, Option<DateTime<Utc>>)> = sqlx::query_as(
        "select contact_id, sequence, added_while_disabled, replied_at from enrollments
         where workspace_id = $1 and contact_id in (select unnest($2::text[]))",
    )
    .bind(ws.as_str())
    .bind(contact_ids)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(k, s, d, r)| (k, s, Enrollment { added_while_disabled: d, replied_at: ms_opt(r) }))
        .collect())
}

/// One statement of a column array each, whose text is the same for any number of rows.
pub(crate) async fn put_enrollments(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    enrollments: &[(&str, &str, &Enrollment)],
    now: i64,
) -> Result<()> {
    sqlx::query(
        "insert into enrollments (workspace_id, added_at, contact_id, sequence, added_while_disabled, replied_at)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::boolean[], $6::timestamptz[])
         on conflict (workspace_id, contact_id, sequence)
         do update set replied_at = coalesce(enrollments.replied_at, excluded.replied_at)",
    )
    .bind(ws.as_str())
    .bind(ts(now))
    .bind(enrollments.iter().map(|(k, _, _)| *k).collect::<Vec<_>>())
    .bind(enrollments.iter().map(|(_, s, _)| *s).collect::<Vec<_>>())
    .bind(enrollments.iter().map(|(_, _, e)| e.added_while_disabled).collect::<Vec<_>>())
    .bind(enrollments.iter().map(|(_, _, e)| ts_opt(e.replied_at)).collect::<Vec<_>>())
    .execute(c)
    .await?;
    Ok(())
}
