use chrono::DateTime;
use hiresync_core::decision::SyncState;
use hiresync_core::{Decision, EventIn, EventType, PlacedStage, ProviderKind, Role, Target, WorkspaceId};
use hiresync_store::events::{self, ContactSync, Decided, Enrollment, NewDecision};
use hiresync_store::sequences::Sequence;
use hiresync_store::{Db, connections, contacts, sequences, with_raw, workspaces};
use hiresync_testkit::databases;
use serde_json::json;

fn event(id: &str, contact: &str) -> EventIn {
    EventIn {
        id: id.into(),
        kind: EventType::MessageSent,
        occurred_at: DateTime::from_timestamp_millis(1_000).unwrap(),
        contact: contact.into(),
        sequence: Some("seq".into()),
        data: json!({"step": 1}).as_object().unwrap().clone(),
    }
}

async fn workspace(c: &mut Db) -> WorkspaceId {
    workspaces::create_workspace(c, "Acme").await.unwrap()
}

#[tokio::test]
async fn insert_new_returns_only_the_ids_not_stored_before() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        // More events than one statement takes on SQLite, so the insert is split there.
        let first: Vec<EventIn> = (0..1200).map(|i| event(&format!("e{i}"), "k1")).collect();
        let refs: Vec<&EventIn> = first.iter().collect();
        assert_eq!(events::insert_new(&mut c, &ws, &refs).await.unwrap().len(), 1200, "{}", db.backend);
        let (old, new, again) = (event("e1199", "other"), event("e1200", "k1"), event("e1200", "k2"));
        let stored = events::insert_new(&mut c, &ws, &[&old, &new, &again]).await.unwrap();
        assert_eq!(stored.into_iter().collect::<Vec<_>>(), ["e1200"], "{}", db.backend);
        assert_eq!(events::get(&mut c, &ws, "e1199").await.unwrap().contact, "k1", "a duplicate changes nothing");
        assert_eq!(events::get(&mut c, &ws, "e1200").await.unwrap().contact, "k1", "the first copy is stored");
        assert_eq!(events::get(&mut c, &ws, "e1").await.unwrap(), first[1]);
        let other = workspace(&mut c).await;
        assert_eq!(events::insert_new(&mut c, &other, &[&old]).await.unwrap().len(), 1, "ids are per workspace");
    }
}

#[tokio::test]
async fn events_and_decisions_keep_any_text_as_given() {
    // PostgreSQL writes them as array literals: quotes, backslashes, braces, commas and the
    // word NULL must come back as they went in.
    let awkward = ["say \"hi\"", "back\\slash \\\"", "{a,b}", "NULL", "", "line\nbreak, tab\t", "Zoë 🙂"];
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let sent: Vec<EventIn> = awkward
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut e = event(&format!("{text}#{i}"), text);
                e.sequence = (i % 2 == 0).then(|| text.to_string());
                e.data = json!({"body": text, "nested": {"list": [text]}}).as_object().unwrap().clone();
                e
            })
            .collect();
        let refs: Vec<&EventIn> = sent.iter().collect();
        assert_eq!(events::insert_new(&mut c, &ws, &refs).await.unwrap().len(), sent.len(), "{}", db.backend);
        for e in &sent {
            assert_eq!(&events::get(&mut c, &ws, &e.id).await.unwrap(), e, "{}", db.backend);
        }
        let conn = crate::connection(&ws, ProviderKind::Greenhouse);
        let skips: Vec<Decision> = awkward.iter().map(|t| Decision::Skip { reason: t.to_string() }).collect();
        let new: Vec<NewDecision<'_>> = sent
            .iter()
            .zip(&skips)
            .map(|(e, d)| NewDecision { event_id: &e.id, connection_id: &conn.id, contact_id: &e.contact, decision: d })
            .collect();
        events::insert_decisions(&mut c, &ws, &new).await.unwrap();
        let sql = "select event_id, contact_id, reason from decisions where workspace_id = $1 order by id";
        let rows: Vec<(String, String, Option<String>)> =
            with_raw!(&mut c, |c| sqlx::query_as(sql).bind(ws.as_str()).fetch_all(c).await).unwrap();
        let expected: Vec<_> =
            sent.iter().zip(awkward).map(|(e, t)| (e.id.clone(), t.to_owned(), Some(t.to_owned()))).collect();
        assert_eq!(rows, expected, "{}", db.backend);
    }
}

#[tokio::test]
async fn an_events_data_comes_back_as_posted_even_with_a_nul_character() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let mut e = event("nul", "k1");
        e.data = json!({"body": "before\u{0}after", "nested": ["\u{0}"]}).as_object().unwrap().clone();
        assert_eq!(events::insert_new(&mut c, &ws, &[&e]).await.unwrap().len(), 1, "{}", db.backend);
        assert_eq!(events::get(&mut c, &ws, "nul").await.unwrap(), e, "{}", db.backend);
    }
}

#[tokio::test]
async fn contacts_and_sequences_are_read_by_lists_of_ids() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let other = workspace(&mut c).await;
        let owner = workspaces::create_user(&mut c, &ws, "a@acme.io", Role::Owner, &[], "h1").await.unwrap();
        contacts::upsert(&mut c, &ws, "k1", &json!({"first_name": "Ada", "sync_override": "dont_sync"})).await.unwrap();
        contacts::upsert(&mut c, &ws, "k2", &json!({})).await.unwrap();
        contacts::upsert(&mut c, &ws, "k4", &json!({"sync_override": 5})).await.unwrap();
        // Ids are the app's: whatever text they hold comes back as it went in.
        let odd = "k5 \"quoted\" \\ é 😀\n";
        contacts::upsert(&mut c, &ws, odd, &json!({"sync_override": "sync"})).await.unwrap();
        // PostgreSQL takes the ids as one array literal: braces, commas and the word NULL too.
        for id in ["{a,b}", "NULL"] {
            contacts::upsert(&mut c, &ws, id, &json!({})).await.unwrap();
        }
        contacts::upsert(&mut c, &other, "k3", &json!({})).await.unwrap();
        let seq = Sequence {
            external_id: "seq".into(),
            name: "Outreach".into(),
            owner_id: owner.id.clone(),
            sync_disabled: true,
            target: None,
            sync_tags: vec!["tag".into()],
        };
        sequences::upsert(&mut c, &ws, &seq).await.unwrap();
        // Hundreds of ids in one read, most of them unknown.
        let ids: Vec<String> = (0..600)
            .map(|i| format!("x{i}"))
            .chain(["k1", "k2", "k3", "k4", odd, "{a,b}", "NULL", "a"].map(String::from))
            .collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut found = contacts::sync_overrides(&mut c, &ws, &ids).await.unwrap();
        found.sort();
        // A value that is not text overrides nothing.
        let want = [
            ("NULL", None),
            ("k1", Some("dont_sync")),
            ("k2", None),
            ("k4", None),
            (odd, Some("sync")),
            ("{a,b}", None),
        ]
        .map(|(k, o)| (k.into(), o.map(String::from)));
        assert_eq!(found, want, "{}: only this workspace's stored contacts, each with its own override", db.backend);
        assert_eq!(sequences::get_many(&mut c, &ws, &["seq", "nope"]).await.unwrap(), [seq]);
        assert!(sequences::get_many(&mut c, &other, &["seq"]).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn bulk_enrollments_keep_the_first_join_and_the_first_reply() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let joined = Enrollment { added_while_disabled: true, replied_at: None };
        let replied = Enrollment { added_while_disabled: false, replied_at: Some(5) };
        events::put_enrollments(&mut c, &ws, &[("k1", "s1", &joined), ("k1", "s2", &replied)]).await.unwrap();
        let later = Enrollment { added_while_disabled: false, replied_at: Some(9) };
        events::put_enrollments(&mut c, &ws, &[("k1", "s1", &later), ("k1", "s2", &later), ("k2", "s1", &joined)])
            .await
            .unwrap();
        let mut got = events::enrollments_of_contacts(&mut c, &ws, &["k1", "k2", "k3"]).await.unwrap();
        got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let row = |k: &str, s: &str, d, r| {
            (k.to_owned(), s.to_owned(), Enrollment { added_while_disabled: d, replied_at: r })
        };
        assert_eq!(
            got,
            [row("k1", "s1", true, Some(9)), row("k1", "s2", false, Some(5)), row("k2", "s1", true, None)],
            "{}: a second write keeps how the contact joined and its first reply",
            db.backend
        );
        assert_eq!(events::enrollment(&mut c, &ws, "k1", "s2").await.unwrap(), Some(got[1].2.clone()));
        let other = workspace(&mut c).await;
        assert!(events::enrollments_of_contacts(&mut c, &other, &["k1"]).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn bulk_sync_states_replace_each_contacts_state_per_connection() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let (a, b) =
            (crate::connection(&ws, ProviderKind::Greenhouse), crate::connection(&ws, ProviderKind::Teamtailor));
        connections::insert(&mut c, &a).await.unwrap();
        connections::insert(&mut c, &b).await.unwrap();
        let mut linked = ContactSync::new(a.id.clone(), SyncState::Synced);
        linked.person_id = Some("p1".into());
        linked.errors = vec!["Exists in Greenhouse".into()];
        linked.placement_id = Some("app-1".into());
        linked.placement_stage = PlacedStage::None;
        let mut skipped = ContactSync::new(b.id.clone(), SyncState::Skipped);
        skipped.reason = Some("sync is off".into());
        events::put_sync_states(&mut c, &ws, &[("k1", &linked), ("k1", &skipped), ("k2", &skipped)]).await.unwrap();
        let mut pending = ContactSync::new(b.id.clone(), SyncState::Pending);
        pending.target = Some(json!({"job_id": 1}));
        pending.placement_stage = PlacedStage::At("stage-2".into());
        events::put_sync_states(&mut c, &ws, &[("k1", &pending)]).await.unwrap();
        assert_eq!(events::sync_state(&mut c, &a.id, "k1").await.unwrap(), Some(linked.clone()), "{}", db.backend);
        assert_eq!(events::sync_state(&mut c, &b.id, "k1").await.unwrap(), Some(pending.clone()));
        let mut got = events::sync_states_of_contacts(&mut c, &ws, &["k1", "k2", "k3"]).await.unwrap();
        got.sort_by(|x, y| (&x.0, x.1.connection_id.as_str()).cmp(&(&y.0, y.1.connection_id.as_str())));
        let mut want = vec![("k1".to_owned(), linked), ("k1".to_owned(), pending), ("k2".to_owned(), skipped)];
        want.sort_by(|x, y| (&x.0, x.1.connection_id.as_str()).cmp(&(&y.0, y.1.connection_id.as_str())));
        assert_eq!(got, want);
    }
}

#[tokio::test]
async fn decided_states_leave_the_workers_columns_as_they_are() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let a = crate::connection(&ws, ProviderKind::Greenhouse);
        connections::insert(&mut c, &a).await.unwrap();
        let mut linked = ContactSync::new(a.id.clone(), SyncState::Synced);
        linked.person_id = Some("p1".into());
        linked.target = Some(json!({"job_id": 1}));
        linked.errors = vec!["Exists in Greenhouse".into()];
        linked.placement_id = Some("app-1".into());
        linked.placement_stage = PlacedStage::At("stage-2".into());
        events::put_sync_states(&mut c, &ws, &[("k1", &linked)]).await.unwrap();
        let got = events::decided_of_contacts(&mut c, &ws, &["k1", "k2"]).await.unwrap();
        let want = Decided {
            connection_id: a.id.clone(),
            state: SyncState::Synced,
            reason: None,
            target: linked.target.clone(),
        };
        assert_eq!(got, vec![("k1".to_owned(), want)], "{}", db.backend);
        let skipped =
            Decided { state: SyncState::Skipped, reason: Some("sync is off".into()), ..Decided::new(a.id.clone()) };
        let pending =
            Decided { state: SyncState::Pending, target: Some(json!({"job_id": 2})), ..Decided::new(a.id.clone()) };
        events::put_decided(&mut c, &ws, &[("k1", &skipped), ("k2", &pending)]).await.unwrap();
        let k1 = events::sync_state(&mut c, &a.id, "k1").await.unwrap().unwrap();
        let kept =
            ContactSync { state: SyncState::Skipped, reason: Some("sync is off".into()), target: None, ..linked };
        assert_eq!(k1, kept, "{}: person, placement and warnings stay", db.backend);
        let k2 = events::sync_state(&mut c, &a.id, "k2").await.unwrap().unwrap();
        let fresh = ContactSync {
            state: SyncState::Pending,
            target: Some(json!({"job_id": 2})),
            ..ContactSync::new(a.id.clone(), SyncState::None)
        };
        assert_eq!(k2, fresh, "{}: a new row has nothing of the worker's", db.backend);
    }
}

#[tokio::test]
async fn bulk_decisions_are_recorded_in_order_with_their_reason_or_target() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let ws = workspace(&mut c).await;
        let conn = crate::connection(&ws, ProviderKind::Greenhouse);
        let target = Target::parse(ProviderKind::Greenhouse, &json!({"job_id": 1, "stage_id": 2}), "t").unwrap();
        let decided = [
            Decision::Sync { target: Some(target) },
            Decision::Skip { reason: "sync is off".into() },
            Decision::Activity,
        ];
        // More decisions than one statement takes on SQLite.
        let ids: Vec<String> = (0..1200).map(|i| format!("e{i:04}")).collect();
        let new: Vec<NewDecision<'_>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| NewDecision {
                event_id: id,
                connection_id: &conn.id,
                contact_id: "k1",
                decision: &decided[i % 3],
            })
            .collect();
        events::insert_decisions(&mut c, &ws, &new).await.unwrap();
        let sql =
            "select event_id, action, reason, cast(target as text) from decisions where workspace_id = $1 order by id";
        let rows: Vec<(String, String, Option<String>, Option<String>)> =
            with_raw!(&mut c, |c| sqlx::query_as(sql).bind(ws.as_str()).fetch_all(c).await).unwrap();
        let target = Some(r#"{"job_id":1,"stage_id":2}"#.to_owned());
        assert_eq!(rows.len(), 1200);
        assert!(rows.iter().map(|r| &r.0).eq(ids.iter()), "{}: in order", db.backend);
        assert_eq!(
            rows[..3],
            [
                ("e0000".into(), "sync".into(), None, target),
                ("e0001".into(), "skip".into(), Some("sync is off".into()), None),
                ("e0002".into(), "activity".into(), None, None),
            ],
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_contacts_events_come_back_in_the_order_they_happened_and_only_its_own() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let (ws, other) = (workspace(&mut c).await, workspace(&mut c).await);
        let at = |id: &str, contact: &str, ms: i64| {
            let mut e = event(id, contact);
            e.occurred_at = DateTime::from_timestamp_millis(ms).unwrap();
            e
        };
        // PostgreSQL finds them by a hash of workspace and contact joined by a slash: ids with
        // slashes must not meet.
        let mine = [at("late", "a/b", 3_000), at("early", "a/b", 1_000), at("else", "a", 2_000), at("x", "b", 2_000)];
        events::insert_new(&mut c, &ws, &mine.iter().collect::<Vec<_>>()).await.unwrap();
        events::insert_new(&mut c, &other, &[&at("theirs", "a/b", 500)]).await.unwrap();
        let got = events::for_contact(&mut c, &ws, "a/b").await.unwrap();
        assert_eq!(got.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["early", "late"], "{}", db.backend);
        assert_eq!(got[0], mine[1], "{}", db.backend);
        assert!(events::for_contact(&mut c, &ws, "nobody").await.unwrap().is_empty(), "{}", db.backend);
    }
}
