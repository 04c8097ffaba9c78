//! SQLite's log is copied into the database file beside the writer, not in its commits.

use hiresync_testkit::TestDb;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_written_sqlite_log_reaches_the_database_file_while_the_store_runs() {
    let db = TestDb::sqlite().await.unwrap();
    let file = db.url.trim_start_matches("sqlite://").to_owned();
    let size = || std::fs::metadata(&file).unwrap().len();
    let before = size();
    // About 2 MiB of rows: far below the writer's own checkpoint backstop, so the file grows
    // only if something else copies the log into it (closing the store would, so it stays open).
    let mut tx = db.store.begin().await.unwrap();
    for i in 0..2000 {
        sqlx::query(
            "insert into sync_log (workspace_id, operation, outcome, detail, at) values ($1, 'noop', 'ok', $2, 0)",
        )
        .bind("ws_test")
        .bind(format!("{i:>1000}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let started = Instant::now();
    while size() < before + 1_500_000 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the log stayed in the WAL: {} -> {} bytes",
            before,
            size()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
