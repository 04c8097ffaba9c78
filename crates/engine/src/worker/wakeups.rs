//! Wakes the worker when another process enqueues jobs: the database's
//! announcements, heard on a connection of the worker's own (see
//! [`hiresync_store::JobListener`]). Polling stays the fallback: announcements
//! made while that connection was down are missed, so the worker looks at the
//! queue whenever it listens again, and the poll catches anything else.

use hiresync_store::{Heard, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Longest pause between attempts to listen again.
const MAX_PAUSE: Duration = Duration::from_secs(5);

/// Listens until `shutdown`, waking the worker's loop through `wake`; returns at once on SQLite.
pub(super) async fn listen(store: Store, wake: Arc<Notify>, shutdown: CancellationToken) {
    let mut failures = 0u32;
    while !shutdown.is_cancelled() {
        let listening = tokio::select! {
            () = shutdown.cancelled() => return,
            listening = store.listen_for_jobs() => listening,
        };
        let mut listener = match listening {
            Ok(Some(listener)) => listener,
            Ok(None) => return,
            Err(e) => {
                failures += 1;
                tracing::warn!(error = %e, failures, "Could not listen for new jobs; polling meanwhile.");
                pause(failures, &shutdown).await;
                continue;
            }
        };
        if failures > 0 {
            tracing::info!("Listening for new jobs again.");
        }
        failures = 0;
        // Whatever was enqueued while nobody listened.
        wake.notify_one();
        loop {
            let heard = tokio::select! {
                () = shutdown.cancelled() => return,
                heard = listener.next() => heard,
            };
            match heard {
                Ok(Heard::Enqueued) => wake.notify_one(),
                Ok(Heard::Reconnected) => {
                    tracing::info!("The connection listening for new jobs dropped and was made again.");
                    wake.notify_one();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "Lost the connection listening for new jobs; polling meanwhile.");
                    break;
                }
            }
        }
        failures += 1;
        pause(failures, &shutdown).await;
    }
}

/// 100 ms after the first failure, doubling up to [`MAX_PAUSE`].
async fn pause(failures: u32, shutdown: &CancellationToken) {
    let wait = Duration::from_millis(100).saturating_mul(1 << failures.min(6).saturating_sub(1)).min(MAX_PAUSE);
    tokio::select! {
        () = shutdown.cancelled() => {}
        () = tokio::time::sleep(wait) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{jobs_in, queued, worker};
    use super::super::{Worker, WorkerConfig};
    use hiresync_store::{APPLICATION_NAME, Backend, Raw, Store};
    use hiresync_testkit::{Polled, databases, eventually};
    use std::time::Duration;
    use tokio_util::sync::CancellationToken;

    /// The backend of the worker's listening connection, once it listens.
    async fn listening(store: &Store, not: Option<i32>) -> i32 {
        eventually("a connection listening for new jobs", Duration::from_secs(30), || async {
            let mut c = store.db().await?;
            let Raw::Postgres(c) = c.raw() else { anyhow::bail!("PostgreSQL only") };
            let pid: Option<i32> = sqlx::query_scalar(
                "select pid from pg_stat_activity where datname = current_database() and application_name = $1
                   and state = 'idle' and query ilike 'listen%' and pid <> $2",
            )
            .bind(APPLICATION_NAME)
            .bind(not.unwrap_or_default())
            .fetch_optional(c)
            .await?;
            Ok(pid.map_or_else(|| Polled::Waiting("none".into()), Polled::Ready))
        })
        .await
        .unwrap()
    }

    async fn done(store: &Store, n: i64) {
        eventually("jobs done", Duration::from_secs(30), || async {
            let done = jobs_in(store, "done").await;
            Ok(if done == n { Polled::Ready(()) } else { Polled::Waiting(format!("{done} done")) })
        })
        .await
        .unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_another_process_enqueues_start_at_once_also_after_the_listener_is_cut() {
        for db in databases().await.unwrap().into_iter().filter(|d| d.store.backend() == Backend::Postgres) {
            // Polling hourly: only the database's announcements start these jobs within the test.
            let base = worker(&db.store);
            let config = WorkerConfig { poll: Duration::from_secs(3600), ..WorkerConfig::default() };
            let w = Worker::new(base.executor.clone(), config);
            let shutdown = CancellationToken::new();
            let task = tokio::spawn({
                let (w, shutdown) = (w.clone(), shutdown.clone());
                async move { w.serve(shutdown).await }
            });
            let first = listening(&db.store, None).await;
            // Enqueued straight into the store, as another process would: nothing in this one wakes the worker.
            queued(&db.store, 3).await;
            done(&db.store, 3).await;

            let mut c = db.store.db().await.unwrap();
            let Raw::Postgres(raw) = c.raw() else { unreachable!() };
            sqlx::query("select pg_terminate_backend($1)").bind(first).execute(raw).await.unwrap();
            listening(&db.store, Some(first)).await;
            queued(&db.store, 2).await;
            done(&db.store, 5).await;
            shutdown.cancel();
            task.await.unwrap();
        }
    }
}
