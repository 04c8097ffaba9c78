//! Wake-ups for workers on PostgreSQL: every commit that enqueues jobs notifies
//! [`CHANNEL`] (a trigger on `jobs`), and each worker listens on a connection
//! of its own, so a job enqueued by another process starts within
//! milliseconds rather than at the next poll. SQLite serves one process, whose
//! API wakes its worker in memory.

use crate::{Result, Store};
use sqlx::postgres::{PgListener, PgPoolOptions};

/// The channel new jobs are announced on.
pub const CHANNEL: &str = "hiresync_jobs";

/// The `application_name` of listening connections, to tell them apart in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "hiresync-listener";

/// What a [`JobListener`] heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// A transaction that enqueued jobs committed.
    Enqueued,
    /// The connection was lost and made again: announcements made meanwhile were missed.
    Reconnected,
}

/// A worker's connection listening for new jobs.
pub struct JobListener {
    inner: PgListener,
}

impl std::fmt::Debug for JobListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobListener").finish_non_exhaustive()
    }
}

impl Store {
    /// Listens for new jobs on a connection of its own (outside the store's pool, so it never
    /// takes one from the work); `None` on SQLite.
    pub async fn listen_for_jobs(&self) -> Result<Option<JobListener>> {
        let Some(pool) = self.postgres_pool() else { return Ok(None) };
        let options = (*pool.connect_options()).clone().application_name(APPLICATION_NAME);
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        let mut inner = PgListener::connect_with(&own).await?;
        inner.ignore_pool_close_event(true);
        inner.listen(CHANNEL).await?;
        Ok(Some(JobListener { inner }))
    }
}

impl JobListener {
    /// Waits for the next announcement. An error means the connection is gone and could not
    /// be made again: listen anew, after a pause.
    pub async fn next(&mut self) -> Result<Heard> {
        Ok(match self.inner.try_recv().await? {
            Some(_) => Heard::Enqueued,
            None => Heard::Reconnected,
        })
    }
}
