//! Records past their retention ([`Retention`]) are deleted hourly, each kind oldest first in
//! slices, so the tables hold recent work instead of a row for everything ever received: done
//! jobs, the sync log, events with their decisions (but never one a job or an uncarried
//! decision still needs), webhook deliveries out that ended and received webhook deliveries
//! (kept at least [`retention::WEBHOOK_REPLAY_MS`], which recognise replays). Dead jobs are
//! kept: they wait for someone to look at them or retry them. Shared rate budgets no process
//! used for a day go too.

use super::config::Retention;
use hiresync_store::{Store, now_ms, retention};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often the worker looks for records past their retention.
const EVERY: Duration = Duration::from_secs(60 * 60);
/// Rows deleted per transaction: SQLite's one writer is never held for long.
const SLICE: i64 = 1000;

/// Prunes when the worker starts and every [`EVERY`] after, until `shutdown`.
pub(super) async fn periodically(store: Store, keep: Retention, shutdown: CancellationToken) {
    loop {
        prune(&store, keep, now_ms()).await;
        if let Err(e) = idle_budgets(&store).await {
            tracing::warn!(error = %e, "Could not forget idle rate budgets; trying again later.");
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(EVERY) => {}
        }
    }
}

/// Deletes each kind of record kept for a period that ended before `now`; one failing does not
/// stop the others.
async fn prune(store: &Store, keep: Retention, now: i64) {
    let before = |period: Option<Duration>| period.map(|p| now - i64::try_from(p.as_millis()).unwrap_or(i64::MAX));
    if let Some(before) = before(keep.jobs) {
        report("done jobs", store.prune_done(before, SLICE).await);
    }
    if let Some(before) = before(keep.sync_log) {
        report("sync log entries", retention::prune_sync_log(store, before, SLICE).await);
    }
    if let Some(before) = before(keep.events) {
        report("events", retention::prune_events(store, before, SLICE).await);
    }
    if let Some(before) = before(keep.deliveries) {
        report("webhook deliveries out", retention::prune_webhooks_out(store, before, SLICE).await);
        report("received webhook deliveries", retention::prune_webhooks_in(store, before, now, SLICE).await);
    }
}

fn report(what: &'static str, deleted: hiresync_store::Result<u64>) {
    match deleted {
        Ok(0) => {}
        Ok(n) => tracing::info!(what, deleted = n, "Deleted records past their retention."),
        Err(e) => {
            tracing::warn!(what, error = %e, "Could not delete records past their retention; trying again later.")
        }
    }
}

/// Shared rate budgets of credentials no process used for a day: gone, or idle long enough
/// that their windows are long over.
async fn idle_budgets(store: &Store) -> hiresync_store::Result<u64> {
    let mut db = store.db().await?;
    hiresync_store::rate_budgets::prune(&mut db, now_ms() - hiresync_store::rate_budgets::IDLE_MS).await
}

#[cfg(test)]
mod tests {
    use super::super::testing::{claimed, jobs_in, worker};
    use super::*;
    use hiresync_store::Raw;
    use hiresync_store::queue::{self, ClaimedJob};
    use hiresync_testkit::databases;
    use std::time::Instant;

    /// Done jobs created and finished `days_ago`, by id.
    async fn finish(store: &hiresync_store::Store, jobs: &[ClaimedJob], days_ago: &[i64]) {
        let mut tx = store.begin().await.unwrap();
        let tokens: Vec<(i64, &str)> = jobs.iter().map(|j| (j.id, j.lease_token.as_str())).collect();
        assert_eq!(queue::complete_many(&mut tx, &tokens).await.unwrap().len(), jobs.len());
        for (j, days) in jobs.iter().zip(days_ago) {
            let (sql, at) = (
                "update jobs set created_at = $1, finished_at = $1 where id = $2",
                now_ms() - days * 24 * 60 * 60 * 1000,
            );
            match tx.raw() {
                Raw::Sqlite(c) => sqlx::query(sql).bind(at).bind(j.id).execute(c).await.map(drop),
                Raw::Postgres(c) => {
                    let at = chrono::DateTime::from_timestamp_millis(at);
                    sqlx::query(sql).bind(at).bind(j.id).execute(c).await.map(drop)
                }
            }
            .unwrap();
        }
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn done_jobs_past_a_week_are_deleted_in_slices_and_nothing_else_is() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 6).await;
            finish(store, &jobs[..5], &[30, 9, 8, 6, 0]).await;
            let before = now_ms() - queue::DONE_RETENTION_MS;
            // Slices of two: three old jobs take two transactions.
            assert_eq!(store.prune_done(before, 2).await.unwrap(), 3, "{}", db.backend);
            assert_eq!(jobs_in(store, "done").await, 2, "{}: the recent ones stay", db.backend);
            assert_eq!(jobs_in(store, "running").await, 1, "{}: unfinished work is never pruned", db.backend);
            assert_eq!(store.prune_done(before, 2).await.unwrap(), 0, "{}", db.backend);
        }
    }

    #[tokio::test]
    async fn a_starting_worker_deletes_done_jobs_past_their_retention() {
        for db in databases().await.unwrap() {
            let store = &db.store;
            let jobs = claimed(store, 2).await;
            finish(store, &jobs, &[8, 1]).await;
            let shutdown = CancellationToken::new();
            let w = worker(store);
            let task = tokio::spawn({
                let token = shutdown.clone();
                async move { w.serve(token).await }
            });
            let started = Instant::now();
            while jobs_in(store, "done").await > 1 {
                assert!(started.elapsed() < Duration::from_secs(20), "{}: the old job was not pruned", db.backend);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            shutdown.cancel();
            task.await.unwrap();
            assert_eq!(jobs_in(store, "done").await, 1, "{}: the day-old job stays", db.backend);
        }
    }
}
