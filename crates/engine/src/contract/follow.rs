//! Contracts created in Oneflow, not through hiresync, followed once they can
//! be tied to one Teamtailor candidate (SPEC B, issue 29). The rule, in
//! order: the data field the settings name as `candidate_data_field` holds an
//! id Teamtailor knows; else the counterparties' participant emails match
//! exactly one candidate between them. Anything else (no match, two
//! candidates) is not followed, and the sync log says why. A followed contract
//! starts with nothing synced: its first sync, queued as it is stored, carries
//! its filled data fields to the candidate and fills its empty ones from the
//! candidate; from then on it syncs like any other.

use super::inbox::enqueue;
use super::sync::foreign_events;
use super::{ContractError, Link, link};
use crate::clients::Clients;
use crate::job::{Context, Effect, JobError, JobKind, Outcome, Record};
use async_trait::async_trait;
use hiresync_core::{ContractId, ProviderKind, WorkspaceId};
use hiresync_providers::oneflow::wire::Contract;
use hiresync_providers::oneflow::{contract_url, data_field_values};
use hiresync_providers::teamtailor::TeamtailorClient;
use hiresync_store::connections::{self, Connection};
use hiresync_store::contracts::{self, ContractRecord};
use hiresync_store::queue::ClaimedJob;
use hiresync_store::{Store, StoreError, now_ms};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Follow a contract Oneflow told us about that hiresync did not create: tie it to a candidate,
/// store it, and sync it as any other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowContract {
    /// The Oneflow connection the delivery came to.
    pub connection_id: String,
    /// Oneflow's contract id, as the delivery named it.
    pub contract_id: i64,
    /// The delivery's callback id, for the log.
    pub delivery: String,
    /// The delivery's events: all must be the contract's before anything is done.
    pub events: Vec<i64>,
}

#[async_trait]
impl JobKind for FollowContract {
    fn kind(&self) -> &'static str {
        "follow_contract_v1"
    }

    fn operation(&self) -> &'static str {
        "follow contract"
    }

    /// Deliveries about one unknown contract take turns, so it is stored once.
    fn ordering_key(&self) -> String {
        format!("oneflow:{}:{}", self.connection_id, self.contract_id)
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (Some(&self.connection_id), None)
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        let workspace = WorkspaceId::from_stored(job.workspace_id.clone());
        let (record, detail) = self.follow(cx.store(), cx.clients(), &workspace).await?;
        let effects = record.map(Effect::Contract).into_iter().collect();
        Ok(Record::new(job, self.operation(), detail, effects).into())
    }
}

impl FollowContract {
    async fn follow(
        &self,
        store: &Store,
        clients: &Clients,
        workspace: &WorkspaceId,
    ) -> Result<(Option<ContractRecord>, String), ContractError> {
        let mut c = store.db().await?;
        let conn = match connections::get(&mut c, workspace, &self.connection_id).await {
            Ok(conn) => conn,
            Err(StoreError::NotFound) => return Ok((None, "the connection was deleted".into())),
            Err(e) => return Err(e.into()),
        };
        let known = contracts::by_oneflow_id(&mut c, &self.connection_id, self.contract_id).await?;
        drop(c);
        let of = clients.oneflow(&conn)?;
        if let Some(why) = foreign_events(&of, self.contract_id, &self.events).await? {
            tracing::warn!(contract_id = self.contract_id, %why, "An Oneflow delivery named another contract's events; nothing changed.");
            return Ok((None, format!("nothing changed: {why}")));
        }
        // An earlier delivery about it followed it already: this one is an ordinary sync.
        if let Some(record) = known {
            let mut tx = store.begin().await?;
            enqueue(&mut tx, &[record], ProviderKind::Oneflow, &self.delivery, None).await?;
            tx.commit().await?;
            return Ok((None, "already followed; its sync is queued".into()));
        }
        let Ok(link) = link(store, clients, &conn, "oneflow_connection_id").await else {
            return Ok((None, "not followed: the connection links no Teamtailor connection".into()));
        };
        let contract = match of.contract(self.contract_id).await {
            Ok(contract) => contract,
            Err(e) if e.status == Some(404) => return Ok((None, "the contract no longer exists".into())),
            Err(e) => return Err(e.into()),
        };
        let tt = clients.teamtailor(&link.teamtailor)?;
        let candidate = match tie(&tt, &link, &contract).await? {
            Ok(candidate) => candidate,
            Err(why) => return Ok((None, format!("not followed: {why}"))),
        };
        let record = adopt(workspace, &conn, &link, &contract, candidate);
        // Stored and its first sync queued together; the sync takes turns with every later one.
        let mut tx = store.begin().await?;
        match contracts::insert(&mut tx, &record).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                tx.rollback().await.map_err(StoreError::from)?;
                return Ok((None, "the contract was followed meanwhile".into()));
            }
            Err(e) => return Err(e.into()),
        }
        enqueue(&mut tx, std::slice::from_ref(&record), ProviderKind::Oneflow, &self.delivery, None).await?;
        tx.commit().await?;
        Ok((
            None,
            format!(
                "followed as contract {} of candidate {}; its sync is queued",
                record.id.as_str(),
                record.candidate
            ),
        ))
    }
}

/// The one Teamtailor candidate `contract` is about, or why there is none.
async fn tie(tt: &TeamtailorClient, link: &Link, contract: &Contract) -> Result<Result<String, String>, ContractError> {
    let values = data_field_values(contract);
    if let Some(field) = &link.candidate_data_field
        && let Some(id) = values.get(field).map(|v| v.trim()).filter(|v| !v.is_empty())
    {
        return match tt.candidate(id).await {
            Ok(candidate) => Ok(Ok(candidate.id)),
            Err(e) if matches!(e.status, Some(404 | 400)) => {
                Ok(Err(format!("data field {field} names candidate {id}, whom Teamtailor does not know")))
            }
            Err(e) => Err(e.into()),
        };
    }
    let emails: BTreeSet<String> = contract
        .parties
        .iter()
        .filter(|p| p.my_party != Some(true))
        .flat_map(|p| &p.participants)
        .filter_map(|p| p.email.as_deref())
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    if emails.is_empty() {
        return Ok(Err("no candidate id in a data field and no counterparty email to match".into()));
    }
    let mut found = BTreeSet::new();
    for email in &emails {
        for candidate in tt.candidates_by_email(email).await? {
            found.insert(candidate.id);
        }
    }
    let mut found = found.into_iter();
    Ok(match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err("no Teamtailor candidate has a counterparty's email".into()),
        (Some(_), Some(_)) => Err("the counterparties' emails match more than one Teamtailor candidate".into()),
    })
}

/// The contract as `candidate`'s, nothing synced yet.
fn adopt(
    workspace: &WorkspaceId,
    conn: &Connection,
    link: &Link,
    contract: &Contract,
    candidate: String,
) -> ContractRecord {
    let now = now_ms();
    ContractRecord {
        id: ContractId::generate(),
        workspace_id: workspace.clone(),
        oneflow_connection_id: conn.id.as_str().to_owned(),
        teamtailor_connection_id: link.teamtailor.id.as_str().to_owned(),
        contract_id: contract.id,
        candidate,
        oneflow_workspace_id: contract.private.as_ref().and_then(|p| p.workspace_id).unwrap_or_default(),
        template_id: contract.ownerside.as_ref().and_then(|o| o.template_id).unwrap_or_default(),
        name: contract.private.as_ref().and_then(|p| p.name.clone()),
        url: contract_url(contract.id),
        field_map: link.field_map.clone(),
        synced: Default::default(),
        state: contract.state.clone().unwrap_or_else(|| "draft".to_owned()),
        upload_id: None,
        attached_at: None,
        created_at: now,
        updated_at: now,
    }
}
