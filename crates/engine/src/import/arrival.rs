//! A person put on an imported job or project between runs (SPEC R3, within
//! a minute instead of within the hour). A verified ATS webhook names who
//! moved, by ids only; [`receive`] records the delivery under its key (a
//! replay does nothing) and, when a recurring import of that connection may
//! read them, enqueues an [`ImportArrival`]. The job asks the provider where
//! the person is now and brings them into each import whose target holds
//! them exactly as a page of that import would ([`Intake`]). The hourly run
//! stays as the reconciliation of deliveries lost or never sent.

use super::{Intake, OPERATION, Tally};
use crate::contract::Received;
use crate::job::{Context, JobError, JobKind, MAX_ATTEMPTS, Outcome, complete};
use async_trait::async_trait;
use hiresync_core::{Person, Target, WorkspaceId};
use hiresync_providers::{Arrived, id_text};
use hiresync_store::connections::{self, Connection};
use hiresync_store::imports::{self, FAILED, Import, STOPPED};
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_INTERACTIVE};
use hiresync_store::webhooks::{self, Delivery};
use hiresync_store::{Db, Store, StoreError, now_ms, sequences};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Records a verified ATS delivery under `key` and enqueues what it causes; a key seen before
/// is a replay and causes nothing.
pub async fn receive(
    store: &Store,
    conn: &Connection,
    key: &str,
    arrived: Option<&Arrived>,
) -> Result<Received, StoreError> {
    let mut tx = store.begin().await?;
    let delivery = Delivery {
        connection_id: conn.id.as_str(),
        key,
        workspace_id: conn.workspace_id.as_str(),
        provider: conn.provider.as_str(),
    };
    if !webhooks::record(&mut tx, &delivery).await? {
        tx.rollback().await?;
        return Ok(Received { duplicate: true, jobs: 0 });
    }
    let jobs = match arrived {
        Some(arrived) => enqueue(&mut tx, conn, arrived, key).await?,
        None => 0,
    };
    tx.commit().await?;
    Ok(Received { duplicate: false, jobs })
}

/// Enqueues an [`ImportArrival`] on the caller's transaction when a recurring import of `conn`
/// may read the person `arrived` names; returns how many jobs (0 or 1).
pub async fn enqueue(c: &mut Db, conn: &Connection, arrived: &Arrived, delivery: &str) -> Result<usize, StoreError> {
    if arrived.person_id.is_none() && arrived.placement_id.is_none() {
        return Ok(0);
    }
    let ws = WorkspaceId::from_stored(conn.workspace_id.as_str().to_owned());
    if concerned(c, &ws, conn.id.as_str(), arrived.target_id.as_deref()).await?.is_empty() {
        return Ok(0);
    }
    let payload = ImportArrival {
        connection_id: conn.id.as_str().to_owned(),
        arrived: arrived.clone(),
        delivery: delivery.chars().take(200).collect(),
    };
    queue::enqueue(c, &payload.new_job(ws.as_str(), PRIORITY_INTERACTIVE, MAX_ATTEMPTS, now_ms())?).await?;
    Ok(1)
}

/// The running recurring imports of the connection whose target is `target_id` (any, for none).
async fn concerned(
    c: &mut Db,
    ws: &WorkspaceId,
    connection_id: &str,
    target_id: Option<&str>,
) -> Result<Vec<Import>, StoreError> {
    Ok(imports::list(c, ws)
        .await?
        .into_iter()
        .filter(|i| i.connection_id == connection_id && i.recurring && i.state != STOPPED && i.state != FAILED)
        .filter(|i| target_key(&i.target).is_some_and(|t| target_id.is_none_or(|hint| hint == t)))
        .collect())
}

/// The job or project an import's target names (a prospect pool has no people listing).
fn target_key(target: &Value) -> Option<String> {
    target.get("job_id").or_else(|| target.get("project_id")).and_then(id_text)
}

/// Bring the person a delivery names into every recurring import whose target holds them now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportArrival {
    /// The connection the delivery came to.
    pub connection_id: String,
    /// Who it says moved, ids only.
    pub arrived: Arrived,
    /// The delivery's key, for the sync log.
    pub delivery: String,
}

#[async_trait]
impl JobKind for ImportArrival {
    fn kind(&self) -> &'static str {
        "import_arrival_v1"
    }

    fn operation(&self) -> &'static str {
        OPERATION
    }

    /// One person's arrivals on a connection run one at a time (several deliveries often
    /// follow one change); they never wait behind an import's scheduled run.
    fn ordering_key(&self) -> String {
        let who = self.arrived.person_id.as_deref().or(self.arrived.placement_id.as_deref()).unwrap_or_default();
        format!("import-arrival:{}:{who}", self.connection_id)
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (Some(&self.connection_id), None)
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        bring_in(cx, job, self).await
    }
}

async fn bring_in(cx: &Context, job: &ClaimedJob, payload: &ImportArrival) -> Result<Outcome, JobError> {
    let ws = WorkspaceId::from_stored(job.workspace_id.clone());
    let store = cx.store();
    let done = |why: String| async move { complete(store.begin().await?, job, OPERATION, &why).await };
    let mut c = store.db().await?;
    let conn = match connections::get(&mut c, &ws, &payload.connection_id).await {
        Ok(conn) => conn,
        Err(StoreError::NotFound) => return done("the connection was deleted".into()).await,
        Err(e) => return Err(e.into()),
    };
    let candidates = concerned(&mut c, &ws, &payload.connection_id, payload.arrived.target_id.as_deref()).await?;
    drop(c);
    if candidates.is_empty() {
        return done("no recurring import reads this target any more".into()).await;
    }
    let provider = cx.clients().people(&conn)?;
    let person_id = match (&payload.arrived.person_id, &payload.arrived.placement_id) {
        (Some(person), _) => person.clone(),
        (None, Some(placement)) => match provider.placement_person(placement).await? {
            Some(person) => person,
            None => return done(format!("placement {placement} is gone")).await,
        },
        (None, None) => return done("the delivery names nobody".into()).await,
    };
    // Where the person is now, read once per target however many imports read it.
    let mut on_target: BTreeMap<String, Option<Person>> = BTreeMap::new();
    for import in &candidates {
        let key = import.target.to_string();
        if on_target.contains_key(&key) {
            continue;
        }
        let target = Target::parse(conn.provider, &import.target, "target")
            .map_err(|e| JobError::Broken(format!("stored import target: {e}")))?;
        on_target.insert(key, provider.target_person(&target, &person_id).await?);
    }
    let mut tx = store.begin().await?;
    let mut tally = Tally::default();
    let mut reached = 0;
    for import in &candidates {
        let Some(Some(person)) = on_target.get(&import.target.to_string()) else { continue };
        // Read again under the write: a stop that landed during the provider calls wins.
        let Some(current) = imports::get(&mut tx, &ws, &import.id).await? else { continue };
        if current.state == STOPPED || current.state == FAILED {
            continue;
        }
        let Some(sequence) = sequences::get(&mut tx, &ws, &current.sequence).await? else { continue };
        let intake =
            Intake { ws: &ws, conn: &conn, provider: provider.as_ref(), import: &current, sequence: &sequence };
        intake.bring_in(&mut tx, person, &mut tally).await?;
        reached += 1;
    }
    let detail =
        format!("person {person_id} ({}): on {reached} imported target(s); {}", payload.delivery, tally.detail());
    complete(tx, job, OPERATION, &detail).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_imports_target_is_named_by_its_job_or_project() {
        assert_eq!(target_key(&json!({"job_id": 77, "stage_id": 1})).as_deref(), Some("77"));
        assert_eq!(target_key(&json!({"job_id": "a1"})).as_deref(), Some("a1"));
        assert_eq!(target_key(&json!({"project_id": "p-1", "status_id": "s"})).as_deref(), Some("p-1"));
        assert_eq!(target_key(&json!({"prospect_pool_id": 3})), None);
    }

    #[test]
    fn one_persons_arrivals_share_a_key_apart_from_the_imports_runs() {
        let arrival = |person: Option<&str>, placement: Option<&str>| ImportArrival {
            connection_id: "conn_1".into(),
            arrived: Arrived {
                person_id: person.map(str::to_owned),
                placement_id: placement.map(str::to_owned),
                target_id: None,
            },
            delivery: "d".into(),
        };
        assert_eq!(arrival(Some("42"), None).ordering_key(), "import-arrival:conn_1:42");
        assert_eq!(arrival(None, Some("9")).ordering_key(), "import-arrival:conn_1:9");
        assert!(!arrival(Some("42"), None).ordering_key().starts_with("import:"));
    }
}
