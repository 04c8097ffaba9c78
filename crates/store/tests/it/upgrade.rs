//! Upgrading a database that earlier releases wrote: what they stored keeps its meaning.

use hiresync_core::{ConnectionId, WorkspaceId};
use hiresync_store::{Backend, contacts, events};
use hiresync_testkit::unmigrated_databases;
use sqlx::AnyPool;
use sqlx::migrate::Migrator;
use std::borrow::Cow;
use std::path::Path;

/// Runs the backend's migrations up to and including `version`, as an older release did.
async fn migrate_to(url: &str, backend: Backend, version: i64) {
    let dir = match backend {
        Backend::Sqlite => "migrations/sqlite",
        Backend::Postgres => "migrations/postgres",
    };
    // As cargo gives the running test: a binary reused from another checkout names that one in `env!`.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    let mut migrator = Migrator::new(Path::new(&root).join(dir)).await.unwrap();
    migrator.migrations = Cow::Owned(migrator.migrations.iter().filter(|m| m.version <= version).cloned().collect());
    let pool = AnyPool::connect(url).await.unwrap();
    migrator.run(&pool).await.unwrap();
    pool.close().await;
}

async fn run(pool: &AnyPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

#[tokio::test]
async fn decisions_stored_before_the_upgrade_stay_with_their_own_jobs_and_overrides_move_to_their_column() {
    for db in unmigrated_databases().await.unwrap() {
        let backend = db.store.backend();
        migrate_to(&db.url, backend, 10).await;
        // As release 10 stored them: each decision to carry out had a sync_event_v1 job of its own.
        let pool = AnyPool::connect(&db.url).await.unwrap();
        run(&pool, "insert into workspaces (id, name, created_at) values ('ws_old', 'Old', 0)").await;
        run(
            &pool,
            r#"insert into contacts (workspace_id, external_id, data, created_at, updated_at) values
               ('ws_old', 'k1', '{"sync_override": "dont_sync"}', 0, 0), ('ws_old', 'k2', '{"sync_override": 5}', 0, 0)"#,
        )
        .await;
        for (i, action) in [(1, "sync"), (2, "activity")] {
            run(
                &pool,
                &format!(
                    "insert into events (workspace_id, id, kind, contact, occurred_at, data, received_at)
                     values ('ws_old', 'e{i}', 'message_sent', 'k1', {i}, '{{}}', {i})"
                ),
            )
            .await;
            run(
                &pool,
                &format!(
                    "insert into decisions (workspace_id, event_id, connection_id, contact, action, created_at)
                     values ('ws_old', 'e{i}', 'conn_old', 'k1', '{action}', {i})"
                ),
            )
            .await;
        }
        pool.close().await;

        db.store.migrate().await.unwrap();
        let (ws, conn) = (WorkspaceId::from_stored("ws_old".into()), ConnectionId::from_stored("conn_old".into()));
        let mut c = db.store.conn().await.unwrap();
        let left = events::to_carry(&mut c, &ws, &conn, "k1", 10).await.unwrap();
        assert!(left.is_empty(), "{}: carried out by their own jobs, not again: {left:?}", db.backend);
        let mut found = contacts::sync_overrides(&mut c, &ws, &["k1", "k2"]).await.unwrap();
        found.sort();
        let want = [("k1".to_owned(), Some("dont_sync".to_owned())), ("k2".to_owned(), None)];
        assert_eq!(found, want, "{}: only a text value overrides", db.backend);
    }
}
