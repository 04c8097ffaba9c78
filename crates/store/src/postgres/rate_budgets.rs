//! Shared rate budgets: a read, then a write guarded by the version read.

use super::types::ts;
use crate::Result;
use crate::rate_budgets::Step;
use sqlx::PgConnection;

const NOW_US: &str = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";

/// Tries until its write lands. A write lost means another process stored the budget between
/// this one's read and write: the budget as a whole moves on with every try.
pub(crate) async fn update(c: &mut PgConnection, key: &str, step: &mut Step<'_>) -> Result<()> {
    loop {
        let row: Option<(String, i64, i64)> =
            sqlx::query_as(&format!("select state::text, version, {NOW_US} from rate_budgets where key = $1"))
                .bind(key)
                .fetch_optional(&mut *c)
                .await?;
        let stored = match row {
            Some((state, version, now)) => {
                let state = step(Some(&state), now);
                sqlx::query(
                    "update rate_budgets set state = $2::jsonb, version = version + 1, updated_at = now()
                     where key = $1 and version = $3",
                )
                .bind(key)
                .bind(state)
                .bind(version)
                .execute(&mut *c)
                .await?
            }
            None => {
                let now: i64 = sqlx::query_scalar(&format!("select {NOW_US}")).fetch_one(&mut *c).await?;
                let state = step(None, now);
                sqlx::query(
                    "insert into rate_budgets (key, state, version, updated_at) values ($1, $2::jsonb, 1, now())
                     on conflict (key) do nothing",
                )
                .bind(key)
                .bind(state)
                .execute(&mut *c)
                .await?
            }
        };
        if stored.rows_affected() == 1 {
            return Ok(());
        }
    }
}

pub(crate) async fn prune(c: &mut PgConnection, before_ms: i64) -> Result<u64> {
    let done = sqlx::query("delete from rate_budgets where updated_at < $1").bind(ts(before_ms)).execute(c).await?;
    Ok(done.rows_affected())
}
