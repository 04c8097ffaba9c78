use hiresync_core::{ConnectionId, ImportId, ProviderKind, ResyncId, Role, WorkspaceId};
use hiresync_store::imports::{self, NewImport};
use hiresync_store::queue::{self, NewJob};
use hiresync_store::resyncs::{self, NewResync};
use hiresync_store::{Db, connections, now_ms, workspaces};
use hiresync_testkit::databases;
use serde_json::json;

async fn connection(c: &mut Db, ws: &WorkspaceId) -> ConnectionId {
    let conn = crate::connection(ws, ProviderKind::Greenhouse);
    connections::insert(c, &conn).await.unwrap();
    conn.id
}

#[tokio::test]
async fn resync_counts_follow_each_contacts_latest_outcome() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let user = workspaces::create_user(&mut c, &ws, "a@acme.io", Role::Owner, &[], "h1").await.unwrap();
        let conn = connection(&mut c, &ws).await;
        let id = ResyncId::generate();
        let new = NewResync {
            id: &id,
            workspace_id: &ws,
            connection_id: &conn,
            sequence: None,
            created_by: &user.id,
            listed: true,
        };
        let items = [("a".to_owned(), resyncs::QUEUED, None), ("b".to_owned(), resyncs::SKIPPED, Some("why".into()))];
        resyncs::insert(&mut c, &new, &items).await.unwrap();
        let r = resyncs::get(&mut c, &ws, id.as_str()).await.unwrap().unwrap();
        assert_eq!((r.total, r.done(), r.skipped), (2, 1, 1));
        resyncs::finish_item(&mut c, id.as_str(), "a", resyncs::FAILED, Some("boom")).await.unwrap();
        resyncs::finish_item(&mut c, id.as_str(), "a", resyncs::SYNCED, None).await.unwrap();
        let r = resyncs::get(&mut c, &ws, id.as_str()).await.unwrap().unwrap();
        assert_eq!((r.total, r.done(), r.synced, r.failed), (2, 2, 1, 0), "{}: a retried job counts once", db.backend);
        let other = workspaces::create_workspace(&mut c, "Other").await.unwrap();
        assert!(resyncs::get(&mut c, &other, id.as_str()).await.unwrap().is_none());
        assert!(resyncs::items(&mut c, &other, id.as_str()).await.unwrap().is_empty());
        assert!(connections::exists_anywhere(&mut c, conn.as_str()).await.unwrap());
        assert!(!connections::exists_anywhere(&mut c, "conn_missing").await.unwrap());
    }
}

#[tokio::test]
async fn import_counts_are_of_distinct_people_and_a_stop_ends_the_schedule() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspaces::create_workspace(&mut c, "Acme").await.unwrap();
        let user = workspaces::create_user(&mut c, &ws, "a@acme.io", Role::Owner, &[], "h1").await.unwrap();
        let conn = connection(&mut c, &ws).await;
        let id = ImportId::generate();
        let target = json!({"job_id": 7});
        let new = NewImport {
            id: &id,
            workspace_id: &ws,
            connection_id: &conn,
            target: &target,
            sequence: "seq",
            recurring: true,
            created_by: &user.id,
        };
        imports::insert(&mut c, &new).await.unwrap();
        let import = id.as_str();
        imports::record_person(&mut c, import, "1", imports::NO_EMAIL, None).await.unwrap();
        imports::record_person(&mut c, import, "1", imports::NO_EMAIL, None).await.unwrap();
        imports::record_person(&mut c, import, "2", imports::IMPORTED, Some("greenhouse-2")).await.unwrap();
        imports::finish_run(&mut c, import, 1_000, Some(3_601_000)).await.unwrap();
        let got = imports::get(&mut c, &ws, import).await.unwrap().unwrap();
        assert_eq!((got.imported, got.skipped_no_email, got.runs), (1, 1, 1), "{}", db.backend);
        assert_eq!((got.state.as_str(), got.next_run_at), (imports::SCHEDULED, Some(3_601_000)));
        // A person who gained an email is imported and no longer counted as skipped.
        imports::record_person(&mut c, import, "1", imports::IMPORTED, Some("greenhouse-1")).await.unwrap();
        let got = imports::get(&mut c, &ws, import).await.unwrap().unwrap();
        assert_eq!((got.imported, got.skipped_no_email), (2, 0));
        assert_eq!(imports::list(&mut c, &ws).await.unwrap().len(), 1);
        assert!(imports::stop(&mut c, &ws, import).await.unwrap());
        imports::finish_run(&mut c, import, 2_000, Some(3_602_000)).await.unwrap();
        let got = imports::get(&mut c, &ws, import).await.unwrap().unwrap();
        assert_eq!((got.state.as_str(), got.next_run_at, got.runs), (imports::STOPPED, None, 1), "a stop wins");
        assert!(imports::list(&mut c, &ws).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn bring_forward_makes_a_scheduled_job_due_now() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let later = now_ms() + 3_600_000;
        let job = NewJob {
            workspace_id: "ws_x".into(),
            connection_id: None,
            contact_id: None,
            ordering_key: "import:imp_x".into(),
            kind: "import_run_v1".into(),
            payload: "{}".into(),
            priority: queue::PRIORITY_BULK,
            max_attempts: 3,
            run_at: later,
        };
        queue::enqueue(&mut c, &job).await.unwrap();
        drop(c);
        assert!(db.store.claim("w", 10, 60_000, 100).await.unwrap().is_empty(), "not due yet");
        let mut c = db.store.db().await.unwrap();
        assert_eq!(queue::bring_forward(&mut c, "import:imp_x").await.unwrap(), 1);
        assert_eq!(queue::bring_forward(&mut c, "import:imp_x").await.unwrap(), 0, "{}", db.backend);
        drop(c);
        assert_eq!(db.store.claim("w", 10, 60_000, 100).await.unwrap().len(), 1);
    }
}
