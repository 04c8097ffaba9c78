//! The SQLite database file: the page size a new one is made with, and its log
//! copied into it beside the writer, not in its commits.

use hiresync_store::{Raw, Store};
use hiresync_testkit::{Polled, TestDb, eventually};
use sqlx::{Connection, Executor, SqliteConnection};
use std::time::Duration;

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
        let Raw::Sqlite(c) = tx.raw() else { unreachable!() };
        sqlx::query(
            "insert into sync_log (workspace_id, operation, outcome, detail, at) values ($1, 'noop', 'ok', $2, 0)",
        )
        .bind("ws_test")
        .bind(format!("{i:>1000}"))
        .execute(c)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    eventually("the log copied into the database file", Duration::from_secs(10), || async {
        let now = size();
        Ok(if now >= before + 1_500_000 {
            Polled::Ready(())
        } else {
            Polled::Waiting(format!("still in the WAL: {before} -> {now} bytes"))
        })
    })
    .await
    .unwrap();
}

async fn page_size(store: &Store) -> i64 {
    let mut db = store.db().await.unwrap();
    let Raw::Sqlite(c) = db.raw() else { unreachable!() };
    sqlx::query_as::<_, (i64,)>("pragma page_size").fetch_one(c).await.unwrap().0
}

#[tokio::test]
async fn a_new_sqlite_file_has_16_kib_pages_and_an_older_one_keeps_its_own() {
    let db = TestDb::sqlite().await.unwrap();
    assert_eq!(page_size(&db.store).await, 16_384);

    // A file made before (at SQLite's default 4 KiB) opens, migrates and takes writes as it is.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let mut old = SqliteConnection::connect(&url).await.unwrap();
    old.execute("create table made_before (x integer)").await.unwrap();
    old.close().await.unwrap();
    let store = Store::connect(&url, 2).await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(page_size(&store).await, 4_096);
    let mut tx = store.begin().await.unwrap();
    let Raw::Sqlite(c) = tx.raw() else { unreachable!() };
    sqlx::query("insert into made_before (x) values (1)").execute(c).await.unwrap();
    tx.commit().await.unwrap();
}
