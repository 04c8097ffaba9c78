use crate::ingest::{event, world};
use hiresync_core::decision::SyncState;
use hiresync_engine::resync::{self, ResyncRequest, Scope};
use hiresync_engine::{Clients, Executor, Vault, ingest};
use hiresync_store::events::{self, ContactSync};
use hiresync_store::{connections, contacts, resyncs};
use hiresync_testkit::databases;
use serde_json::json;
use std::sync::Arc;

/// A sequence is read a page of 500 at a time; contacts that joined in one batch share a
/// join time, so a page boundary falls among equal times and must neither skip nor repeat.
#[tokio::test]
async fn a_sequence_resync_queues_each_enrolled_contact_once_across_pages() {
    const N: usize = 1_201;
    for db in databases().await.unwrap() {
        let mut c = db.store.db().await.unwrap();
        let w = world(&mut c).await;
        let ids: Vec<String> = (0..N).map(|i| format!("p{i:04}")).collect();
        for id in &ids {
            contacts::upsert(&mut c, &w.ws, id, &json!({})).await.unwrap();
        }
        let added: Vec<_> =
            ids.iter().map(|id| event(&format!("add-{id}"), "contact_added", id, Some("seq"), 0)).collect();
        // Two batches, two join times: the first page boundary (500) lies inside the first.
        for batch in [&added[..700], &added[700..]] {
            ingest(&db.store, &w.ws, &w.user, batch).await.unwrap();
        }
        let conn = connections::get(&mut c, &w.ws, w.conns[1].as_str()).await.unwrap();
        // Linked contacts are recorded as skipped, without a job.
        for linked in ["p0003", "p0499", "p0500", "p1200"] {
            let mut sync = ContactSync::new(conn.id.clone(), SyncState::Synced);
            sync.person_id = Some(format!("person-{linked}"));
            events::put_sync_state(&mut c, &w.ws, linked, &sync).await.unwrap();
        }
        let request = ResyncRequest { connection: &conn, scope: Scope::Sequence("seq".into()), created_by: &w.user };
        let started = resync::start(&db.store, &w.ws, &request).await.unwrap();
        assert_eq!(started.jobs, 1, "{}: one job lists the sequence", db.backend);
        let progress = resyncs::get(&mut c, &w.ws, started.id.as_str()).await.unwrap().unwrap();
        assert!(!progress.listed, "{}: not finished before it is listed", db.backend);
        let slices = list_slices(&db.store).await;
        assert_eq!(slices, N.div_ceil(500), "{}: a job and a commit per slice", db.backend);
        let progress = resyncs::get(&mut c, &w.ws, started.id.as_str()).await.unwrap().unwrap();
        assert!(progress.listed, "{}", db.backend);
        let items = resyncs::items(&mut c, &w.ws, started.id.as_str()).await.unwrap();
        let listed: Vec<&str> = items.iter().map(|i| i.contact_id.as_str()).collect();
        assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>(), "{}", db.backend);
        let skipped: Vec<&str> =
            items.iter().filter(|i| i.outcome == resyncs::SKIPPED).map(|i| i.contact_id.as_str()).collect();
        assert_eq!(skipped, ["p0003", "p0499", "p0500", "p1200"], "{}", db.backend);
        let queued = items.iter().filter(|i| i.outcome == resyncs::QUEUED).count();
        assert_eq!(queued, N - 4, "{}: a job for each contact not linked", db.backend);
    }
}

/// Runs the queue's listing jobs as a worker would, one at a time; returns how many ran.
async fn list_slices(store: &hiresync_store::Store) -> usize {
    let executor = Executor::new(store.clone(), Clients::new(Arc::new(Vault::from_bytes([7; 32]))));
    let mut ran = 0;
    loop {
        let mut listed = false;
        for job in store.claim("w", 5000, 60_000, 5000).await.unwrap() {
            if job.kind == "resync_slice_v1" {
                executor.run(&job).await.unwrap();
                (ran, listed) = (ran + 1, true);
            } else {
                store.release(&[(job.id, job.lease_token.as_str())]).await.unwrap();
            }
        }
        if !listed {
            return ran;
        }
    }
}
