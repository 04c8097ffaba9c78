//! SPEC B2-B4: one contract reconciled. Both sides are read now, whatever
//! the webhook said. Per mapped field, a side whose value differs from the one
//! last synced on that side has changed: an Oneflow change is written to the
//! candidate's custom field (created when empty), a Teamtailor change to the
//! open contract's data field. Unchanged sides, echoes of our own writes among
//! them, write nothing. When both changed, the side whose webhook caused the
//! job wins; a closed contract is never written. Once every party has signed,
//! the signed file is attached to the candidate, once.

use super::ContractError;
use super::fields::{CandidateFields, permanent};
use crate::clients::Clients;
use crate::public::PublicUrl;
use hiresync_core::{ProviderKind, WorkspaceId};
use hiresync_providers::oneflow::wire::Contract;
use hiresync_providers::oneflow::{
    CONTRACT_PDF, ContractFile, DataFieldRef, OneflowClient, data_field_values, fully_signed, signed_file_name,
};
use hiresync_providers::teamtailor::TeamtailorClient;
use hiresync_store::contracts::{self, CLOSED_STATES, ContractRecord, SyncedValue};
use hiresync_store::{Store, StoreError, connections, now_ms};

/// What one sync found and did.
#[derive(Clone, Debug)]
pub struct Synced {
    /// The contract with its new synced values, state and attachment; none when it is gone.
    pub record: Option<ContractRecord>,
    /// What was written, for the sync log.
    pub detail: String,
}

fn skipped(why: &str) -> Synced {
    Synced { record: None, detail: why.to_owned() }
}

/// Reconciles contract `id` of `workspace`; `source` is the side whose webhook asked for it, and
/// `delivered` the Oneflow events its delivery named, which must all be this contract's.
#[tracing::instrument(skip_all, fields(contract = id, source = source.as_str()))]
pub async fn sync(
    store: &Store,
    clients: &Clients,
    workspace: &WorkspaceId,
    id: &str,
    source: ProviderKind,
    delivered: Option<&[i64]>,
) -> Result<Synced, ContractError> {
    let mut c = store.db().await?;
    let mut record = match contracts::get(&mut c, workspace, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Ok(skipped("the contract is not known")),
        Err(e) => return Err(e.into()),
    };
    let (of_conn, tt_conn) = match (
        connections::get(&mut c, workspace, &record.oneflow_connection_id).await,
        connections::get(&mut c, workspace, &record.teamtailor_connection_id).await,
    ) {
        (Ok(o), Ok(t)) => (o, t),
        (Err(StoreError::NotFound), _) | (_, Err(StoreError::NotFound)) => {
            return Ok(skipped("a connection of the contract was deleted"));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    drop(c);
    let of = clients.oneflow(&of_conn)?;
    let tt = clients.teamtailor(&tt_conn)?;
    if let Some(events) = delivered
        && let Some(why) = foreign_events(&of, record.contract_id, events).await?
    {
        tracing::warn!(contract_id = record.contract_id, %why, "An Oneflow delivery named another contract's events; nothing changed.");
        return Ok(skipped(&format!("nothing changed: {why}")));
    }
    let contract = match of.contract(record.contract_id).await {
        Ok(contract) => contract,
        Err(e) if e.status == Some(404) => {
            record.state = "deleted".to_owned();
            return Ok(Synced { record: Some(record), detail: "the contract no longer exists in Oneflow".into() });
        }
        Err(e) => return Err(e.into()),
    };
    let mut done = Vec::new();
    if !record.field_map.is_empty() {
        let fields = CandidateFields::read(&tt, &record.candidate, &record.field_map).await?;
        reconcile(&of, &tt, &mut record, &contract, &fields, source, &mut done).await?;
    }
    if record.attached_at.is_none() && fully_signed(&contract) {
        attach(&of, &tt, clients.public(), &mut record, &contract).await?;
        done.push("attached the signed file".to_owned());
    }
    record.state = if fully_signed(&contract) { "signed".to_owned() } else { contract.state.unwrap_or(record.state) };
    let detail = if done.is_empty() { "nothing changed".to_owned() } else { done.join("; ") };
    Ok(Synced { record: Some(record), detail })
}

/// Why a delivery's `events` cannot be about contract `id`, if they cannot: Oneflow signs only
/// the callback id, so a captured delivery could name any contract beside its events. Oneflow's
/// own event list for the contract must hold every one of them.
pub(super) async fn foreign_events(
    of: &OneflowClient,
    id: i64,
    events: &[i64],
) -> Result<Option<String>, ContractError> {
    if events.is_empty() {
        return Ok(Some(format!("the delivery for contract {id} named no events to check")));
    }
    let own = match of.contract_events(id).await {
        Ok(own) => own,
        Err(e) if e.status == Some(404) => return Ok(Some(format!("Oneflow has no contract {id}"))),
        Err(e) => return Err(e.into()),
    };
    let foreign: Vec<String> =
        events.iter().filter(|e| !own.iter().any(|o| o.id == **e)).map(ToString::to_string).collect();
    Ok((!foreign.is_empty()).then(|| format!("the delivery's events {} are not contract {id}'s", foreign.join(", "))))
}

/// Carries each changed field across and records the values now synced.
async fn reconcile(
    of: &OneflowClient,
    tt: &TeamtailorClient,
    record: &mut ContractRecord,
    contract: &Contract,
    fields: &CandidateFields,
    source: ProviderKind,
    done: &mut Vec<String>,
) -> Result<(), ContractError> {
    let open = !contract.state.as_deref().is_some_and(|s| CLOSED_STATES.contains(&s)) && !fully_signed(contract);
    let of_values = data_field_values(contract);
    for m in record.field_map.clone() {
        let df = m.oneflow_data_field.as_str();
        // A data field the contract lacks has nothing to sync.
        let Some(of_now) = of_values.get(df).cloned() else { continue };
        let tt_now = fields.text(df);
        let last = record.synced.get(df).cloned().unwrap_or_default();
        let of_changed = of_now != last.oneflow;
        let tt_changed = tt_now != last.teamtailor;
        let api = fields.api_name(df).to_owned();
        let next = if of_changed && (!tt_changed || source == ProviderKind::Oneflow || !open) {
            match fields.stored(df, &of_now) {
                Ok((value, shown)) => {
                    if shown != tt_now {
                        fields.write(tt, df, &value).await?;
                        done.push(format!("Teamtailor {api} set from Oneflow {df}"));
                    }
                    SyncedValue { oneflow: of_now, teamtailor: shown }
                }
                // The participant's value stands in Oneflow; Teamtailor keeps its own.
                Err(why) => {
                    done.push(format!("Teamtailor {api} not set: {why}"));
                    SyncedValue { oneflow: of_now, teamtailor: tt_now }
                }
            }
        } else if tt_changed && open {
            if tt_now != of_now {
                of.update_data_field(contract.id, &DataFieldRef::CustomId(df.to_owned()), Some(&tt_now)).await?;
                done.push(format!("Oneflow {df} set from Teamtailor {api}"));
            }
            SyncedValue { oneflow: tt_now.clone(), teamtailor: tt_now }
        } else if tt_changed {
            done.push(format!("Oneflow {df} not set: the contract can no longer change"));
            SyncedValue { oneflow: last.oneflow, teamtailor: tt_now }
        } else {
            continue;
        };
        record.synced.insert(df.to_owned(), next);
    }
    Ok(())
}

/// Attaches the signed PDF to the candidate. A file of the same name already on the
/// candidate is an earlier attempt whose outcome was not recorded, so it is not sent twice.
/// Teamtailor fetches uploads from a URL: Oneflow's storage link when it gives one, else a
/// short-lived signed link to this server, which reads the file from Oneflow as it is fetched.
async fn attach(
    of: &OneflowClient,
    tt: &TeamtailorClient,
    public: Option<&PublicUrl>,
    record: &mut ContractRecord,
    contract: &Contract,
) -> Result<(), ContractError> {
    let name = signed_file_name(contract);
    let uploads = tt.candidate_uploads(&record.candidate).await?;
    let upload_id = match uploads.iter().find(|u| u.attributes.file_name.as_deref() == Some(name.as_str())) {
        Some(upload) => upload.id.clone(),
        None => match of.contract_file(contract.id, CONTRACT_PDF).await? {
            // Teamtailor fetches uploads from a URL; Oneflow's storage link is one.
            ContractFile::Redirect(url) => tt.create_upload(&record.candidate, &url, &name, true).await?.id,
            ContractFile::Content { .. } => {
                let Some(public) = public else {
                    return Err(permanent(
                        "attach file",
                        "Oneflow sent the signed file itself, and Teamtailor only takes files by URL: set \
                         HIRESYNC_PUBLIC_URL so hiresync can hand it a link"
                            .to_owned(),
                    )
                    .into());
                };
                let link = public.contract_file(&record.workspace_id, record.id.as_str(), now_ms() / 1000);
                tt.create_upload(&record.candidate, &link, &name, true).await?.id
            }
        },
    };
    record.upload_id = Some(upload_id);
    record.attached_at = Some(now_ms());
    Ok(())
}
