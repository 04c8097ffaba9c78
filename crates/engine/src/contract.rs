//! Contracts both ways between Teamtailor and Oneflow (SPEC B): a contract is
//! created from a template prefilled with the candidate's mapped custom
//! fields; verified webhooks from either side are recorded once and become a
//! job per contract; the job reads both sides again (a webhook body is never
//! trusted), carries each changed field across, and attaches the signed file
//! once every party has signed. A change is a value that differs from the one
//! last synced on that side, so hiresync's own writes, echoed back, change nothing.

mod create;
mod fields;
mod inbox;
mod sync;

pub use create::{Created, NewContract, create};
pub use inbox::{Received, receive_oneflow, receive_teamtailor};
pub use sync::{Synced, sync};

use crate::clients::{Clients, OpenError};
use crate::executor::JobError;
use hiresync_core::{ConnectionSettings, ContractFieldMapping, ProviderKind, ValidationError};
use hiresync_providers::ProviderError;
use hiresync_store::connections::{self, Connection};
use hiresync_store::{Store, StoreError, workspaces};

/// Why a contract could not be created or synced.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// The request or the connection's settings are not usable; the fields say why.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A provider call failed; its kind says whether to retry.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A connection's credentials cannot be opened.
    #[error("{0}")]
    Broken(String),
}

impl From<ProviderError> for ContractError {
    fn from(e: ProviderError) -> Self {
        ContractError::Provider(Box::new(e))
    }
}

impl From<OpenError> for ContractError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Provider(p) => ContractError::Provider(p),
            OpenError::Vault(v) => ContractError::Broken(v.to_string()),
        }
    }
}

impl From<ContractError> for JobError {
    fn from(e: ContractError) -> Self {
        match e {
            ContractError::Invalid(v) => JobError::Broken(v.to_string()),
            ContractError::Provider(p) => JobError::Provider(p),
            ContractError::Store(s) => JobError::Store(s),
            ContractError::Broken(b) => JobError::Broken(b),
        }
    }
}

/// The Teamtailor side of an Oneflow connection.
#[derive(Clone, Debug)]
pub struct Link {
    /// The Teamtailor connection its contracts sync with.
    pub teamtailor: Connection,
    /// Teamtailor custom fields to Oneflow data fields.
    pub field_map: Vec<ContractFieldMapping>,
}

/// Resolves an Oneflow connection's Teamtailor connection and field mapping from its settings
/// (or, failing that, the `teamtailor_connection_id` of its credentials); errors name `field`.
pub async fn link(store: &Store, clients: &Clients, oneflow: &Connection, field: &str) -> Result<Link, ContractError> {
    let invalid = |message: &str| ContractError::Invalid(ValidationError::field(field, message));
    if oneflow.provider != ProviderKind::Oneflow {
        return Err(invalid("must be an Oneflow connection"));
    }
    let mut c = store.db().await?;
    let defaults = workspaces::defaults(&mut c, &oneflow.workspace_id, ProviderKind::Oneflow.as_str()).await?;
    let settings = ConnectionSettings::resolve(ProviderKind::Oneflow, &defaults, &oneflow.settings)
        .map_err(|e| invalid(&format!("the connection's settings are invalid: {e}")))?;
    let contracts = settings.contracts.unwrap_or_default();
    let teamtailor_id = match contracts.teamtailor_connection_id {
        Some(id) => id,
        None => clients
            .oneflow(oneflow)?
            .config()
            .teamtailor_connection_id
            .clone()
            .ok_or_else(|| invalid("the connection's settings name no teamtailor_connection_id"))?,
    };
    let teamtailor = match connections::get(&mut c, &oneflow.workspace_id, &teamtailor_id).await {
        Ok(k) if k.provider == ProviderKind::Teamtailor => k,
        Ok(_) => return Err(invalid("the connection's teamtailor_connection_id is not a Teamtailor connection")),
        Err(StoreError::NotFound) => {
            return Err(invalid("the connection's teamtailor_connection_id names no connection of this workspace"));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Link { teamtailor, field_map: contracts.field_map })
}
