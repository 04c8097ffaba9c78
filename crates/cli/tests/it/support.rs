//! What this crate's end-to-end tests share beyond the testkit: contacts and
//! events to post, and what to assert once they have been carried out.

use anyhow::{Result, ensure};
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_store::Store;
use hiresync_testkit::{Harness, TestApp, TestDb};
use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_hiresync");

/// How this crate's tests start hiresync on `db`.
pub fn harness(db: &TestDb) -> Harness {
    Harness::new(BIN, db)
}

/// Contacts `c0..cN` with one email each.
pub async fn put_contacts(app: &TestApp, n: usize) -> Result<()> {
    for i in 0..n {
        let body =
            json!({"emails": [format!("person{i}@example.com")], "first_name": format!("P{i}"), "last_name": "Test"});
        app.expect("PUT", &format!("/v1/contacts/c{i}"), Some(&body), 201).await?;
    }
    Ok(())
}

/// For each contact, `contact_added` then `per_contact - 1` messages, interleaved across contacts.
pub fn events(contacts: usize, per_contact: usize) -> Vec<Value> {
    let mut v = Vec::with_capacity(contacts * per_contact);
    for k in 0..per_contact {
        for i in 0..contacts {
            let kind = if k == 0 { "contact_added" } else { "message_sent" };
            v.push(json!({"id": format!("e{i}-{k}"), "type": kind, "contact": format!("c{i}"), "sequence": "seq-1",
                "occurred_at": format!("2026-11-22T{:02}:{:02}:{:02}Z", k / 3600, (k / 60) % 60, k % 60),
                "data": {"subject": "Hello", "body": format!("message {k}"), "step": k}}));
        }
    }
    v
}

/// Posts events in batches; returns the accepted total.
pub async fn post_all(app: &TestApp, events: &[Value], batch: usize) -> Result<u64> {
    let mut accepted = 0;
    for chunk in events.chunks(batch) {
        let out = app.expect("POST", "/v1/events", Some(&Value::from(chunk.to_vec())), 202).await?;
        accepted += out["accepted"].as_u64().unwrap_or_default();
    }
    Ok(accepted)
}

/// Every event's decision carried out exactly once, and within each contact in the order the
/// events were posted: one outcome line each, from jobs run one after another, and none left.
pub async fn assert_exactly_once_in_order(store: &Store, workspace: &str, contacts: usize, per: usize) -> Result<()> {
    let mut c = store.db().await?;
    for i in 0..contacts {
        let log = hiresync_store::sync_log::for_contact(&mut c, workspace, &format!("c{i}")).await?;
        // Provider call lines ("POST /v3/candidates") sit beside each job's own outcome line.
        let outcomes = log.iter().filter(|e| !e.operation.contains('/'));
        let done: Vec<i64> = outcomes.filter(|e| e.outcome == "ok").filter_map(|e| e.job_id).collect();
        ensure!(done.len() == per, "c{i}: {} outcomes for {per} events", done.len());
        ensure!(done.windows(2).all(|w| w[0] <= w[1]), "c{i}: jobs ran out of order: {done:?}");
    }
    let sql = "select count(*) from decisions d where d.action <> 'skip' and d.id > coalesce((select k.carried_through
           from carry_marks k where k.connection_id = d.connection_id and k.contact_id = d.contact_id), 0)";
    let (left,): (i64,) = hiresync_store::with_raw!(&mut c, |c| sqlx::query_as(sql).fetch_one(c).await)?;
    ensure!(left == 0, "{left} decisions not carried out");
    Ok(())
}

/// Brings a recurring import's scheduled run forward to now (the hour has passed).
pub async fn run_import_now(store: &Store, import: &str) -> Result<()> {
    let mut c = store.db().await?;
    let n = hiresync_store::queue::bring_forward(&mut c, &hiresync_engine::import::ordering_key(import)).await?;
    ensure!(n == 1, "expected one scheduled run, found {n}");
    Ok(())
}

/// Merges `patch` into a connection's resolved settings and saves them.
pub async fn patch_settings(app: &TestApp, conn: &str, patch: &Value) -> Result<Value> {
    let path = format!("/v1/connections/{conn}/settings");
    let mut s = app.expect("GET", &path, None, 200).await?;
    for (k, v) in patch.as_object().into_iter().flatten() {
        s[k] = v.clone();
    }
    app.expect("PUT", &path, Some(&s), 200).await
}

/// The Greenhouse candidate a contact is linked to on the connection.
pub async fn person_of(app: &TestApp, contact: &str) -> Result<i64> {
    let sync = app.expect("GET", &format!("/v1/contacts/{contact}/sync"), None, 200).await?;
    let id = sync[0]["person_id"].as_str().unwrap_or_default().parse()?;
    Ok(id)
}

/// Note bodies written on a candidate, oldest first.
pub fn notes_of(sim: &GreenhouseSim, candidate: i64) -> Vec<String> {
    sim.state().notes.values().filter(|n| n.candidate_id == Some(candidate)).map(|n| n.body.clone()).collect()
}
