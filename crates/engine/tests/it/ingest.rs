use chrono::DateTime;
use hiresync_core::{ConnectionId, EventIn, ProviderKind, Role, UserId, WorkspaceId};
use hiresync_engine::{Accepted, Batch, IngestError, Intake, ingest, ingest_many};
use hiresync_store::sequences::Sequence;
use hiresync_store::{Backend, Db, Store, StoreError, connections, contacts, events, sequences, with_raw, workspaces};
use hiresync_testkit::databases;
use serde_json::json;

/// A workspace with two connections: a workspace-wide Teamtailor one syncing on reply and
/// the user's own Greenhouse one syncing on add (a workspace Greenhouse connection would leave
/// the user's events to their own); contacts k1, k2 and k3 (set to don't sync); sequence
/// `seq` and sequence `off` (syncing disabled), both the user's.
pub(crate) struct World {
    pub ws: WorkspaceId,
    pub user: UserId,
    pub conns: [ConnectionId; 2],
}

pub(crate) async fn world(c: &mut Db) -> World {
    let ws = workspaces::create_workspace(c, "Acme").await.unwrap();
    let token = format!("h{}", rand::random::<u64>());
    let user = workspaces::create_user(c, &ws, "a@acme.io", Role::Owner, &[], &token).await.unwrap().id;
    let mut conns = Vec::new();
    for (owner, trigger, provider) in
        [(None, "on_reply", ProviderKind::Teamtailor), (Some(user.clone()), "on_add", ProviderKind::Greenhouse)]
    {
        let settings = json!({"trigger": trigger, "default_target": {"job_id": 1, "stage_id": 2}});
        let conn = connections::Connection {
            id: ConnectionId::generate(),
            workspace_id: ws.clone(),
            user_id: owner,
            provider,
            base_url: None,
            auth_base_url: None,
            rate_limit: None,
            sealed_credentials: "sealed".into(),
            key_id: "k1".into(),
            status: "connected".into(),
            last_error: None,
            failing_since: None,
            settings: settings.as_object().unwrap().clone(),
            created_at: conns.len() as i64,
        };
        connections::insert(c, &conn).await.unwrap();
        conns.push(conn.id);
    }
    for (id, data) in [("k1", json!({})), ("k2", json!({})), ("k3", json!({"sync_override": "dont_sync"}))] {
        contacts::upsert(c, &ws, id, &data).await.unwrap();
    }
    for (id, disabled) in [("seq", false), ("off", true)] {
        let seq = Sequence {
            external_id: id.into(),
            name: id.into(),
            owner_id: user.clone(),
            sync_disabled: disabled,
            target: None,
            sync_tags: Vec::new(),
        };
        sequences::upsert(c, &ws, &seq).await.unwrap();
    }
    World { ws, user, conns: [conns[0].clone(), conns[1].clone()] }
}

pub(crate) fn event(id: &str, kind: &str, contact: &str, sequence: Option<&str>, at: i64) -> EventIn {
    let at = DateTime::from_timestamp_millis(at).unwrap().to_rfc3339();
    let mut raw = json!({"id": id, "type": kind, "occurred_at": at, "contact": contact, "data": {}});
    if let Some(s) = sequence {
        raw["sequence"] = json!(s);
    }
    EventIn::parse(&raw).unwrap()
}

/// A batch whose later events depend on what earlier ones did.
fn story() -> Vec<EventIn> {
    vec![
        event("e0", "contact_added", "k1", Some("seq"), 1_000),
        event("e1", "message_sent", "k1", Some("seq"), 2_000),
        event("e2", "reply_received", "k1", Some("seq"), 3_000), // the first reply syncs on reply
        event("e3", "reply_received", "k1", Some("seq"), 4_000), // a second reply is not written
        event("e4", "contact_added", "k2", Some("off"), 5_000),  // joined while syncing was disabled
        event("e5", "reply_received", "k2", Some("off"), 6_000),
        event("e6", "contact_added", "k3", Some("seq"), 7_000), // the contact is set to don't sync
        event("e7", "contact_added", "k2", Some("seq"), 8_000),
        event("e8", "marked_interested", "k2", Some("seq"), 9_000),
        event("e9", "message_sent", "k1", None, 10_000), // no sequence: the caller's connections
        event("e2", "reply_received", "k2", Some("seq"), 11_000), // a repeated id: a duplicate
    ]
}

/// event, connection, contact, action, reason, target
type DecisionRow = (String, String, String, String, Option<String>, Option<String>);
/// contact, connection, state, reason, target
type SyncRow = (String, String, String, Option<String>, Option<String>);

/// Everything ingest wrote for a workspace, with connection ids named by position.
async fn written(c: &mut Db, w: &World) -> Vec<String> {
    let name = |line: String| line.replace(w.conns[0].as_str(), "conn-0").replace(w.conns[1].as_str(), "conn-1");
    let mut out = Vec::new();
    let sql = "select event_id, connection_id, contact_id, action, reason, cast(target as text) from decisions
               where workspace_id = $1 order by id";
    let decisions: Vec<DecisionRow> =
        with_raw!(&mut *c, |c| sqlx::query_as(sql).bind(w.ws.as_str()).fetch_all(c).await).unwrap();
    out.extend(decisions.into_iter().map(|d| name(format!("decision {d:?}"))));
    let sql = "select contact_id, connection_id, state, reason, cast(target as text) from contact_syncs
               where workspace_id = $1";
    let syncs: Vec<SyncRow> =
        with_raw!(&mut *c, |c| sqlx::query_as(sql).bind(w.ws.as_str()).fetch_all(c).await).unwrap();
    let mut syncs: Vec<String> = syncs.into_iter().map(|s| name(format!("sync {s:?}"))).collect();
    syncs.sort();
    out.extend(syncs);
    // PostgreSQL's flag is a boolean and its time a timestamptz: both read as SQLite stores them.
    let sql = match c.backend() {
        Backend::Sqlite => {
            "select contact_id, sequence, added_while_disabled, replied_at from enrollments where workspace_id = $1
             order by contact_id, sequence"
        }
        Backend::Postgres => {
            "select contact_id, sequence, added_while_disabled::int::bigint,
                    (extract(epoch from replied_at) * 1000)::bigint
             from enrollments where workspace_id = $1 order by contact_id, sequence"
        }
    };
    let enrolled: Vec<(String, String, i64, Option<i64>)> =
        with_raw!(&mut *c, |c| sqlx::query_as(sql).bind(w.ws.as_str()).fetch_all(c).await).unwrap();
    out.extend(enrolled.into_iter().map(|e| format!("enrollment {e:?}")));
    let sql =
        "select contact_id, ordering_key, kind, cast(payload as text) from jobs where workspace_id = $1 order by id";
    let jobs: Vec<(Option<String>, String, String, String)> =
        with_raw!(&mut *c, |c| sqlx::query_as(sql).bind(w.ws.as_str()).fetch_all(c).await).unwrap();
    out.extend(jobs.into_iter().map(|j| name(format!("job {j:?}"))));
    out
}

async fn ingest_all(store: &Store, w: &World, batch: &[EventIn]) -> Result<Accepted, IngestError> {
    ingest(store, &w.ws, &w.user, batch).await
}

#[tokio::test]
async fn a_batch_does_what_its_events_do_posted_one_by_one() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let (together, apart) = (world(&mut c).await, world(&mut c).await);
        let done = ingest_all(&db.store, &together, &story()).await.unwrap();
        let mut sum = Accepted::default();
        for e in story() {
            let one = ingest_all(&db.store, &apart, std::slice::from_ref(&e)).await.unwrap();
            (sum.accepted, sum.duplicates, sum.jobs) =
                (sum.accepted + one.accepted, sum.duplicates + one.duplicates, sum.jobs + one.jobs);
        }
        assert_eq!(done, sum, "{}", db.backend);
        assert_eq!((done.accepted, done.duplicates), (10, 1));
        let (got, want) = (written(&mut c, &together).await, written(&mut c, &apart).await);
        assert_eq!(got, want, "{}", db.backend);
        // The story's turns, as the one-by-one run took them.
        let has = |needle: &str| got.iter().any(|l| l.contains(needle));
        assert!(has(r#"decision ("e3", "conn-0", "k1", "skip", Some("only the first reply is written")"#), "{got:#?}");
        assert!(has(r#"decision ("e2", "conn-0", "k1", "sync""#));
        assert!(has(r#"decision ("e5", "conn-0", "k2", "skip", Some("sequence had sync disabled"#));
        assert!(has(r#"decision ("e8", "conn-0", "k2", "sync""#));
        assert!(has(r#"enrollment ("k1", "seq", 0, Some(3000))"#), "the first reply's time");
        assert!(has(r#"enrollment ("k2", "off", 1, Some(6000))"#), "joined while disabled; replied");
        assert_eq!(events::get(&mut c, &together.ws, "e2").await.unwrap().contact, "k1", "the first copy is kept");
    }
}

#[tokio::test]
async fn a_batch_mixing_stored_and_new_ids_acts_on_the_new_ones_only() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        let first = ingest_all(&db.store, &w, &story()[..2]).await.unwrap();
        let before = written(&mut c, &w).await;
        assert_eq!(ingest_all(&db.store, &w, &story()[..2]).await.unwrap().accepted, 0, "{}", db.backend);
        assert_eq!(written(&mut c, &w).await, before, "a repeated batch changes nothing");
        let mixed = ingest_all(&db.store, &w, &story()[..4]).await.unwrap();
        assert_eq!((mixed.accepted, mixed.duplicates), (2, 2));
        let decided = written(&mut c, &w).await.iter().filter(|l| l.starts_with("decision")).count();
        assert_eq!(decided, 2 * 4, "one decision per new event and connection");
        assert!(first.jobs > 0, "{}", db.backend);
        assert_eq!(mixed.jobs, 0, "{}: the new decisions join the jobs already waiting", db.backend);
    }
}

#[tokio::test]
async fn an_unknown_reference_refuses_the_batch_naming_the_first_event_at_fault() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        let field = |r: Result<Accepted, IngestError>| match r {
            Err(IngestError::Invalid(e)) => e.errors.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("expected a validation error, got {other:?}"),
        };
        let mut batch = story();
        batch[3].sequence = Some("nope".into());
        batch[5].contact = "nobody".into();
        assert_eq!(field(ingest_all(&db.store, &w, &batch).await), ["[3].sequence"], "{}", db.backend);
        batch[3].contact = "nobody".into();
        assert_eq!(field(ingest_all(&db.store, &w, &batch).await), ["[3].contact"], "the contact is named first");
        assert!(matches!(events::get(&mut c, &w.ws, "e0").await, Err(StoreError::NotFound)), "nothing stored");
        assert!(written(&mut c, &w).await.is_empty());
    }
}

#[tokio::test]
async fn concurrent_batches_with_the_same_ids_take_each_event_once() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        let batch = story();
        let (a, b) = tokio::join!(ingest_all(&db.store, &w, &batch), ingest_all(&db.store, &w, &batch));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!((a.accepted + b.accepted, a.duplicates + b.duplicates), (10, 12), "{}", db.backend);
        let decided = written(&mut c, &w).await.iter().filter(|l| l.starts_with("decision")).count();
        assert_eq!(decided, 2 * 10, "{}: each event decided once per connection", db.backend);
    }
}

#[tokio::test]
async fn decisions_join_the_waiting_job_and_get_their_own_once_it_runs() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        // e0 and e1: both connections have k1's decisions to carry out, one job each.
        assert_eq!(ingest_all(&db.store, &w, &story()[..2]).await.unwrap().jobs, 2, "{}", db.backend);
        // e2 while those jobs wait: they will read it when they run.
        assert_eq!(ingest_all(&db.store, &w, &story()[2..3]).await.unwrap().jobs, 0, "{}", db.backend);
        // Once claimed, a job may already have read what it will carry out: e9 needs jobs of its own.
        assert_eq!(db.store.claim("w", 10, 60_000, 100).await.unwrap().len(), 2, "{}", db.backend);
        assert_eq!(ingest_all(&db.store, &w, &story()[9..10]).await.unwrap().jobs, 2, "{}", db.backend);
        let (claimable,): (i64,) =
            with_raw!(&mut c, |c| sqlx::query_as("select count(*) from jobs where state = 'queued'")
                .fetch_one(c)
                .await)
            .unwrap();
        assert_eq!(claimable, 2, "{}", db.backend);
        // ...and they wait for the running ones: a contact's decisions are carried out one job at a time.
        assert!(db.store.claim("w", 10, 60_000, 100).await.unwrap().is_empty(), "{}", db.backend);
    }
}

#[tokio::test]
async fn concurrent_batches_on_one_contact_act_as_if_posted_one_after_the_other() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        // Two rounds, as a round's batches may happen not to overlap.
        for (round, contact) in ["k1", "k2"].into_iter().enumerate() {
            let at = 10_000 * (round as i64 + 1);
            ingest_all(&db.store, &w, &[event(&format!("a{round}"), "contact_added", contact, Some("seq"), at)])
                .await
                .unwrap();
            // Eight replies at once, each in a batch of its own: whichever lands first is the first reply.
            let replies: Vec<Vec<EventIn>> = (0..8)
                .map(|i| vec![event(&format!("r{round}-{i}"), "reply_received", contact, Some("seq"), at + 1 + i)])
                .collect();
            let posted = futures::future::join_all(replies.iter().map(|b| ingest_all(&db.store, &w, b))).await;
            assert!(posted.iter().all(Result::is_ok), "{}: {posted:?}", db.backend);
            let acted: Vec<String> = written(&mut c, &w)
                .await
                .into_iter()
                .filter(|l| l.starts_with(&format!("decision (\"r{round}-")) && !l.contains("\"skip\""))
                .collect();
            // The first reply syncs for the connection waiting on it and is written for the other;
            // no later one is.
            assert_eq!(acted.len(), 2, "{}: {acted:#?}", db.backend);
            assert_eq!(acted[0][..16], acted[1][..16], "{}: both from the same reply: {acted:#?}", db.backend);
        }
    }
}

#[tokio::test]
async fn batches_stored_together_do_what_they_do_stored_one_after_another() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let (together, apart) = (world(&mut c).await, world(&mut c).await);
        let mut late = story()[4..].to_vec();
        late.push(event("e1", "reply_received", "k1", Some("seq"), 12_000)); // stored by the first batch
        late.push(event("e10", "message_sent", "k2", None, 13_000)); // no sequence: the other user's connections
        let mut unknown = story()[..2].to_vec();
        unknown.push(event("x", "contact_added", "nobody", None, 14_000));
        let mut outcomes = Vec::new();
        for w in [&together, &apart] {
            let token = format!("b{}", rand::random::<u64>());
            let other = workspaces::create_user(&mut c, &w.ws, "b@acme.io", Role::Member, &[], &token).await;
            let other = other.unwrap().id;
            let batches = [
                Batch { caller: &w.user, events: &story()[..4] },
                Batch { caller: &w.user, events: &unknown },
                Batch { caller: &other, events: &late },
            ];
            if w.ws == together.ws {
                outcomes.push(
                    ingest_many(&db.store, &w.ws, &batches)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|o| format!("{o:?}"))
                        .collect::<Vec<_>>(),
                );
            } else {
                let mut one_by_one = Vec::new();
                for b in batches {
                    one_by_one.push(format!(
                        "{:?}",
                        ingest(&db.store, &w.ws, b.caller, b.events).await.map_err(|e| match e {
                            IngestError::Invalid(v) => v,
                            other => panic!("{other}"),
                        })
                    ));
                }
                outcomes.push(one_by_one);
            }
        }
        assert_eq!(outcomes[0], outcomes[1], "{}", db.backend);
        assert!(
            outcomes[0][1].contains("[2].contact"),
            "{}: the batch naming an unknown contact alone is refused",
            db.backend
        );
        assert!(outcomes[0][2].contains("accepted: 7, duplicates: 2"), "{:?}", outcomes[0]);
        let (got, want) = (written(&mut c, &together).await, written(&mut c, &apart).await);
        assert_eq!(got, want, "{}", db.backend);
        assert!(got.iter().any(|l| l.contains(r#"decision ("e10", "conn-0""#)));
        assert!(!got.iter().any(|l| l.contains(r#"decision ("e10", "conn-1""#)), "conn-1 is the first user's own");
        assert!(matches!(events::get(&mut c, &together.ws, "x").await, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn a_batch_the_database_refuses_fails_alone_when_posted_with_others() {
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        // Stands in for whatever the database may refuse in one batch's rows.
        let refuse: &[&str] = if db.backend == "sqlite" {
            &["create trigger refuse before insert on events when new.id = 'poison'
               begin select raise(abort, 'refused'); end"]
        } else {
            &[
                "create function refuse() returns trigger language plpgsql as
                 $$ begin if new.id = 'poison' then raise exception 'refused'; end if; return new; end $$",
                "create trigger refuse before insert on events for each row execute function refuse()",
            ]
        };
        for sql in refuse {
            with_raw!(&mut c, |c| sqlx::query(sql).execute(c).await.map(drop)).unwrap();
        }
        let intake = Intake::new(db.store.clone());
        let poisoned = vec![event("p0", "message_sent", "k2", None, 1), event("poison", "message_sent", "k2", None, 2)];
        // Posted at once, so they wait together for the first turn.
        let (first, bad, last) = tokio::join!(
            intake.submit(&w.ws, &w.user, story()[..4].to_vec()),
            intake.submit(&w.ws, &w.user, poisoned),
            intake.submit(&w.ws, &w.user, story()[4..].to_vec()),
        );
        assert_eq!(first.unwrap().accepted, 4, "{}", db.backend);
        assert!(matches!(bad, Err(IngestError::Store(_))), "{}: {bad:?}", db.backend);
        assert_eq!(last.unwrap().accepted, 6, "{}", db.backend);
        assert!(
            matches!(events::get(&mut c, &w.ws, "p0").await, Err(StoreError::NotFound)),
            "the refused batch is all or nothing"
        );
        assert_eq!(events::get(&mut c, &w.ws, "e9").await.unwrap().contact, "k1");
    }
}
