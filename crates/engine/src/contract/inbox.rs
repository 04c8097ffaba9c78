//! Verified webhook deliveries in: recorded by their idempotency key and
//! turned into a sync job per affected contract, in one transaction, so the
//! receiver can answer 200 as soon as it commits.
//!
//! Oneflow's `callback_id` names one notification, so a key seen before is a
//! replay and does nothing. Teamtailor sends no delivery id and its candidate
//! payload omits custom fields: two real changes in one second can arrive as
//! identical bytes. A repeated Teamtailor body is therefore reported as a
//! duplicate but still reaches each open contract with no sync already
//! waiting, as a re-read that writes only what actually changed.

use super::{FollowContract, SyncContract};
use crate::job::{JobKind, MAX_ATTEMPTS};
use hiresync_core::ProviderKind;
use hiresync_providers::Arrived;
use hiresync_store::connections::Connection;
use hiresync_store::contracts::{self, ContractRecord};
use hiresync_store::queue::{self, PRIORITY_INTERACTIVE};
use hiresync_store::webhooks::{self, Delivery};
use hiresync_store::{Db, Store, StoreError, now_ms};

/// What a delivery caused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// The delivery's key was seen before; nothing was done.
    pub duplicate: bool,
    /// Sync jobs enqueued.
    pub jobs: usize,
}

/// An Oneflow notification about `contract_id`, keyed by its `callback_id`. Its `events` go
/// with the job, which checks them against the contract's own before it changes anything:
/// the signature covers only the callback id, so the contract named beside it proves nothing.
pub async fn receive_oneflow(
    store: &Store,
    conn: &Connection,
    callback_id: &str,
    contract_id: i64,
    events: &[i64],
) -> Result<Received, StoreError> {
    let mut tx = store.begin().await?;
    if !record(&mut tx, conn, callback_id).await? {
        tx.rollback().await?;
        return Ok(Received { duplicate: true, jobs: 0 });
    }
    let jobs = match contracts::by_oneflow_id(&mut tx, conn.id.as_str(), contract_id).await? {
        Some(contract) => enqueue(&mut tx, &[contract], ProviderKind::Oneflow, callback_id, Some(events)).await?,
        // A contract made in Oneflow: followed if it can be tied to a candidate.
        None => {
            let follow = FollowContract {
                connection_id: conn.id.as_str().to_owned(),
                contract_id,
                delivery: callback_id.to_owned(),
                events: events.to_vec(),
            };
            let job = follow.new_job(conn.workspace_id.as_str(), PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?;
            queue::enqueue(&mut tx, &job).await?;
            1
        }
    };
    tx.commit().await?;
    Ok(Received { duplicate: false, jobs })
}

/// A Teamtailor delivery: a candidate event reaches that candidate's open contracts, and a
/// new delivery naming who was put on a job reaches the recurring imports that read it.
pub async fn receive_teamtailor(
    store: &Store,
    conn: &Connection,
    key: &str,
    candidate: Option<&str>,
    arrived: Option<&Arrived>,
) -> Result<Received, StoreError> {
    let mut tx = store.begin().await?;
    let duplicate = !record(&mut tx, conn, key).await?;
    let open = match candidate {
        Some(candidate) => contracts::open_for_candidate(&mut tx, conn.id.as_str(), candidate).await?,
        None => Vec::new(),
    };
    let mut due = Vec::with_capacity(open.len());
    for contract in open {
        // For a repeat, a sync still waiting will read whatever this delivery could be about.
        if !duplicate || !queue::has_queued(&mut tx, &ordering_key(&contract)).await? {
            due.push(contract);
        }
    }
    let mut jobs = enqueue(&mut tx, &due, ProviderKind::Teamtailor, key, None).await?;
    if let Some(arrived) = arrived.filter(|_| !duplicate) {
        jobs += crate::import::enqueue_arrival(&mut tx, conn, arrived, key).await?;
    }
    tx.commit().await?;
    Ok(Received { duplicate, jobs })
}

async fn record(c: &mut Db, conn: &Connection, key: &str) -> Result<bool, StoreError> {
    let delivery = Delivery {
        connection_id: conn.id.as_str(),
        key,
        workspace_id: conn.workspace_id.as_str(),
        provider: conn.provider.as_str(),
    };
    webhooks::record(c, &delivery).await
}

fn payload(contract: &ContractRecord, source: ProviderKind, delivery: &str, events: Option<&[i64]>) -> SyncContract {
    SyncContract {
        contract: contract.id.as_str().to_owned(),
        source,
        delivery: delivery.to_owned(),
        events: events.map(<[i64]>::to_vec),
    }
}

fn ordering_key(contract: &ContractRecord) -> String {
    payload(contract, ProviderKind::Teamtailor, "", None).ordering_key()
}

/// Enqueues a sync of each contract, caused by `source`'s delivery `delivery`.
pub(super) async fn enqueue(
    c: &mut Db,
    contracts: &[ContractRecord],
    source: ProviderKind,
    delivery: &str,
    events: Option<&[i64]>,
) -> Result<usize, StoreError> {
    for contract in contracts {
        let payload = payload(contract, source, delivery, events);
        let mut job = payload.new_job(contract.workspace_id.as_str(), PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?;
        job.connection_id = Some(contract.oneflow_connection_id.clone());
        queue::enqueue(c, &job).await?;
    }
    Ok(contracts.len())
}
