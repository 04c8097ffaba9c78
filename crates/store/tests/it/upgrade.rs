//! Upgrading a database that earlier releases wrote: what they stored keeps its meaning.

use hiresync_core::decision::SyncState;
use hiresync_core::{ConnectionId, Decision, PlacedStage, ProviderKind, RateLimit, Role, UserId, WorkspaceId};
use hiresync_store::events::{self, ContactSync, Enrolled, Enrollment};
use hiresync_store::notes::{self, NoteMark};
use hiresync_store::{connections, contacts, imports, resyncs, sequences, sync_log, workspaces};
use hiresync_testkit::unmigrated_databases;
use serde_json::json;

#[tokio::test]
async fn decisions_stored_before_the_upgrade_stay_with_their_own_jobs_and_overrides_move_to_their_column() {
    for db in unmigrated_databases().await.unwrap() {
        db.migrate_to(10).await.unwrap();
        // As release 10 stored them: each decision to carry out had a sync_event_v1 job of its own.
        let mut old = String::from(
            r#"insert into workspaces (id, name, created_at) values ('ws_old', 'Old', 0);
               insert into contacts (workspace_id, external_id, data, created_at, updated_at) values
               ('ws_old', 'k1', '{"sync_override": "dont_sync"}', 0, 0), ('ws_old', 'k2', '{"sync_override": 5}', 0, 0);"#,
        );
        for (i, action) in [(1, "sync"), (2, "activity")] {
            old.push_str(&format!(
                "insert into events (workspace_id, id, kind, contact, occurred_at, data, received_at)
                 values ('ws_old', 'e{i}', 'message_sent', 'k1', {i}, '{{}}', {i});
                 insert into decisions (workspace_id, event_id, connection_id, contact, action, created_at)
                 values ('ws_old', 'e{i}', 'conn_old', 'k1', '{action}', {i});"
            ));
        }
        db.execute(&old).await.unwrap();

        db.store.migrate().await.unwrap();
        let (ws, conn) = (WorkspaceId::from_stored("ws_old".into()), ConnectionId::from_stored("conn_old".into()));
        let mut c = db.store.db().await.unwrap();
        let left = events::to_carry(&mut c, &ws, &conn, "k1", 10).await.unwrap();
        assert!(left.is_empty(), "{}: carried out by their own jobs, not again: {left:?}", db.backend);
        let mut found = contacts::sync_overrides(&mut c, &ws, &["k1", "k2"]).await.unwrap();
        found.sort();
        let want = [("k1".to_owned(), Some("dont_sync".to_owned())), ("k2".to_owned(), None)];
        assert_eq!(found, want, "{}: only a text value overrides", db.backend);
    }
}

/// Times as release 15 stored them (epoch ms): one today, one far ahead, one before 1970.
const T: i64 = 1_712_345_678_901;
const LATER: i64 = 4_102_444_800_123;
const BEFORE_1970: i64 = -1_500;

/// One of everything, as release 15 (the schema of migration 15) stored it.
fn release_15_rows() -> String {
    format!(
        r#"
        insert into workspaces (id, name, created_at) values ('ws_old', 'Old', {T});
        insert into users (id, workspace_id, email, role, groups, token_hash, created_at)
            values ('usr_old', 'ws_old', 'ada@old.io', 'owner', '["ops", "eu"]', 'hash_old', {T});
        insert into workspace_defaults (workspace_id, provider, settings)
            values ('ws_old', 'greenhouse', '{{"notes": true, "tags": ["x"]}}');
        insert into connections (id, workspace_id, user_id, provider, base_url, auth_base_url, rate_limit,
                                 sealed_credentials, key_id, status, last_error, settings, created_at)
            values ('conn_old', 'ws_old', 'usr_old', 'greenhouse', 'http://gh.test', null,
                    '{{"requests": 5, "per_seconds": 1.5}}', 'bm9uY2UtYW5kLWNpcGhlcnRleHQ=', 'k_2024', 'failing',
                    'token expired', '{{"stage": "Applied"}}', {T});
        insert into sequences (workspace_id, external_id, name, owner_id, sync_disabled, target, sync_tags,
                               created_at, updated_at)
            values ('ws_old', 'seq_old', 'Outreach', 'usr_old', 1, '{{"connection_id": "conn_old", "job_id": 7}}',
                    '["cold"]', {T}, {T});
        insert into contacts (workspace_id, external_id, data, sync_override, created_at, updated_at)
            values ('ws_old', 'k1', '{{"first_name": "Ada", "emails": ["ada@x.io"], "sync_override": "sync"}}',
                    'sync', {BEFORE_1970}, {T});
        insert into enrollments (workspace_id, contact, sequence, added_at, added_while_disabled, replied_at)
            values ('ws_old', 'k1', 'seq_old', {T}, 1, {LATER});
        insert into events (workspace_id, id, kind, contact, sequence, occurred_at, data, received_at) values
            ('ws_old', 'e1', 'message_sent', 'k1', 'seq_old', {T}, '{{"step": 1, "subject": "Hi"}}', {T}),
            ('ws_old', 'e2', 'reply_received', 'k1', 'seq_old', {LATER}, '{{"body": "Yes \"please\""}}', {LATER}),
            ('ws_old', 'e3', 'message_sent', 'k1', null, {BEFORE_1970}, '{{}}', {T});
        insert into decisions (workspace_id, event_id, connection_id, contact, action, reason, target, created_at)
            values ('ws_old', 'e1', 'conn_old', 'k1', 'activity', null, null, {T}),
                   ('ws_old', 'e2', 'conn_old', 'k1', 'sync', null, '{{"job_id":7}}', {T}),
                   ('ws_old', 'e3', 'conn_old', 'k1', 'skip', 'sync is off', null, {T});
        insert into decision_cursors (connection_id, contact, carried_through)
            select connection_id, contact, min(id) from decisions group by connection_id, contact;
        insert into jobs (workspace_id, connection_id, contact, ordering_key, kind, payload, priority, state,
                          attempts, max_attempts, run_at, created_at, updated_at)
            values ('ws_old', 'conn_old', 'k1', 'conn_old:k1', 'sync_decisions_v1',
                    '{{"kind":"sync_decisions_v1","connection_id":"conn_old","contact":"k1"}}', 100, 'queued', 0, 5,
                    {T}, {T}, {T});
        insert into contact_syncs (workspace_id, connection_id, contact, state, reason, person_id, person_url,
                                   target, errors, updated_at, placement_id, placement_stage)
            values ('ws_old', 'conn_old', 'k1', 'synced', null, 'p1', 'http://gh.test/p1', '{{"job_id": 7}}',
                    '["Exists in Greenhouse"]', {T}, 'app1', '');
        insert into sync_log (workspace_id, connection_id, contact, job_id, operation, outcome, detail, at)
            values ('ws_old', 'conn_old', 'k1', 1, 'create person', 'ok', null, {LATER});
        insert into notes (connection_id, event_id, workspace_id, contact, note_id, written_at)
            values ('conn_old', 'e1', 'ws_old', 'k1', 'n1', {T});
        insert into resyncs (id, workspace_id, connection_id, sequence, created_by, created_at)
            values ('rs_old', 'ws_old', 'conn_old', 'seq_old', 'usr_old', {T});
        insert into resync_items (resync_id, contact, outcome, reason, updated_at)
            values ('rs_old', 'k1', 'skipped', 'already synced', {T});
        insert into imports (id, workspace_id, connection_id, target, sequence, recurring, state, runs, last_run_at,
                             next_run_at, created_by, created_at)
            values ('imp_old', 'ws_old', 'conn_old', '{{"job_id": 7}}', 'seq_old', 1, 'scheduled', 2, {T}, {LATER},
                    'usr_old', {T});
        insert into import_people (import_id, person_id, outcome, contact, first_seen_at, updated_at)
            values ('imp_old', 'p1', 'already_present', 'k1', {T}, {T});
        "#
    )
}

#[tokio::test]
async fn a_release_15_database_keeps_everything_it_stored_through_the_upgrade() {
    for db in unmigrated_databases().await.unwrap() {
        db.migrate_to(15).await.unwrap();
        db.execute(&release_15_rows()).await.unwrap();
        db.store.migrate().await.unwrap();
        let b = db.backend;
        let (ws, conn) = (WorkspaceId::from_stored("ws_old".into()), ConnectionId::from_stored("conn_old".into()));
        let mut c = db.store.db().await.unwrap();

        let user = workspaces::find_user(&mut c, &ws, "ada@old.io").await.unwrap();
        assert_eq!(
            (user.id.as_str(), user.role, user.groups),
            ("usr_old", Role::Owner, vec!["ops".into(), "eu".into()])
        );
        let defaults = workspaces::defaults(&mut c, &ws, "greenhouse").await.unwrap();
        assert_eq!(serde_json::Value::Object(defaults), json!({"notes": true, "tags": ["x"]}), "{b}");

        // Still openable: the sealed credentials and the key that sealed them, byte for byte.
        let stored = connections::get(&mut c, &ws, "conn_old").await.unwrap();
        let want = connections::Connection {
            id: conn.clone(),
            workspace_id: ws.clone(),
            user_id: Some(UserId::from_stored("usr_old".into())),
            provider: ProviderKind::Greenhouse,
            base_url: Some("http://gh.test".into()),
            auth_base_url: None,
            rate_limit: Some(RateLimit { requests: 5, per_seconds: 1.5 }),
            sealed_credentials: "bm9uY2UtYW5kLWNpcGhlcnRleHQ=".into(),
            key_id: "k_2024".into(),
            status: "failing".into(),
            last_error: Some("token expired".into()),
            failing_since: None,
            settings: json!({"stage": "Applied"}).as_object().unwrap().clone(),
            created_at: T,
        };
        assert_eq!(stored, want, "{b}");

        let seq = sequences::get(&mut c, &ws, "seq_old").await.unwrap().unwrap();
        assert!(seq.sync_disabled, "{b}");
        assert_eq!(
            (seq.target, seq.sync_tags),
            (Some(json!({"connection_id": "conn_old", "job_id": 7})), vec!["cold".into()])
        );

        let contact = contacts::get(&mut c, &ws, "k1").await.unwrap().unwrap();
        assert_eq!(contact.data, json!({"first_name": "Ada", "emails": ["ada@x.io"], "sync_override": "sync"}), "{b}");
        assert_eq!(contact.created_at, BEFORE_1970, "{b}");
        assert_eq!(contacts::sync_overrides(&mut c, &ws, &["k1"]).await.unwrap(), [("k1".into(), Some("sync".into()))]);

        let joined = Enrollment { added_while_disabled: true, replied_at: Some(LATER) };
        assert_eq!(events::enrollment(&mut c, &ws, "k1", "seq_old").await.unwrap(), Some(joined), "{b}");
        let page = events::enrolled(&mut c, &ws, "seq_old", None, 10).await.unwrap();
        assert_eq!(page, [Enrolled { added_at: T, contact_id: "k1".into() }], "{b}");

        let got = events::for_contact(&mut c, &ws, "k1").await.unwrap();
        let times: Vec<_> = got.iter().map(|e| (e.id.as_str(), e.occurred_at.timestamp_millis())).collect();
        assert_eq!(times, [("e3", BEFORE_1970), ("e1", T), ("e2", LATER)], "{b}");
        assert_eq!(got[2].data, *json!({"body": "Yes \"please\""}).as_object().unwrap(), "{b}");
        assert_eq!(events::get(&mut c, &ws, "e1").await.unwrap().sequence.as_deref(), Some("seq_old"));

        // The carry mark stayed at e1's decision: e2's is next, and e3's is a skip.
        let next = events::to_carry(&mut c, &ws, &conn, "k1", 10).await.unwrap();
        assert_eq!(next.iter().map(|d| d.event_id.as_str()).collect::<Vec<_>>(), ["e2"], "{b}");
        assert!(matches!(&next[0].decision, Decision::Sync { target: Some(t) } if t.to_json()["job_id"] == 7), "{b}");
        events::mark_carried(&mut c, &conn, "k1", next[0].id).await.unwrap();
        assert!(events::to_carry(&mut c, &ws, &conn, "k1", 10).await.unwrap().is_empty(), "{b}");

        let mut linked = ContactSync::new(conn.clone(), SyncState::Synced);
        linked.person_id = Some("p1".into());
        linked.person_url = Some("http://gh.test/p1".into());
        linked.target = Some(json!({"job_id": 7}));
        linked.errors = vec!["Exists in Greenhouse".into()];
        linked.placement_id = Some("app1".into());
        linked.placement_stage = PlacedStage::None;
        assert_eq!(events::sync_state(&mut c, &conn, "k1").await.unwrap(), Some(linked), "{b}");
        assert_eq!(events::contact_for_person(&mut c, &conn, "p1").await.unwrap().as_deref(), Some("k1"));

        let log = sync_log::for_contact(&mut c, "ws_old", "k1").await.unwrap();
        assert_eq!((log.len(), log[0].at, log[0].operation.as_str()), (1, LATER, "create person"), "{b}");
        assert_eq!(notes::mark(&mut c, "conn_old", "e1").await.unwrap(), NoteMark::Written("n1".into()));
        assert_eq!(notes::count_for_contact(&mut c, "conn_old", "k1").await.unwrap(), 1, "{b}");

        let items = resyncs::items(&mut c, &ws, "rs_old").await.unwrap();
        assert_eq!((items[0].contact_id.as_str(), items[0].outcome.as_str()), ("k1", resyncs::SKIPPED), "{b}");
        let resync = resyncs::get(&mut c, &ws, "rs_old").await.unwrap().unwrap();
        assert_eq!((resync.created_at, resync.total, resync.skipped), (T, 1, 1), "{b}");

        let import = imports::get(&mut c, &ws, "imp_old").await.unwrap().unwrap();
        assert!(import.recurring, "{b}");
        assert_eq!((import.last_run_at, import.next_run_at, import.created_at), (Some(T), Some(LATER), T), "{b}");
        assert_eq!((import.runs, import.target, import.already_present), (2, json!({"job_id": 7}), 1), "{b}");
        let brought = imports::contacts(&mut c, &ws, "imp_old", 10, 0).await.unwrap();
        assert_eq!(brought[0].contact_id, "k1", "{b}");
        drop(c);

        // The queued job is due when it was, and claimed as it was stored.
        assert_eq!(db.store.next_due().await.unwrap(), Some(T), "{b}");
        let listed = db.store.list_jobs("ws_old", Some("queued"), 10).await.unwrap();
        assert_eq!(listed[0].contact_id.as_deref(), Some("k1"), "{b}");
        let claimed = db.store.claim("w", 10, 60_000, 100).await.unwrap();
        assert_eq!((claimed.len(), claimed[0].contact_id.as_deref()), (1, Some("k1")), "{b}");
        let payload: serde_json::Value = serde_json::from_str(&claimed[0].payload).unwrap();
        assert_eq!(payload, json!({"kind": "sync_decisions_v1", "connection_id": "conn_old", "contact": "k1"}), "{b}");
        assert_eq!((claimed[0].attempts, claimed[0].max_attempts), (1, 5), "{b}");
    }
}
