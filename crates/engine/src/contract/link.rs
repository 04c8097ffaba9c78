//! Which Teamtailor connection an Oneflow connection's contracts sync with,
//! and how their fields map, from the Oneflow connection's settings.

use super::ContractError;
use crate::clients::Clients;
use hiresync_core::{ConnectionSettings, ContractFieldMapping, ProviderKind, ValidationError};
use hiresync_store::connections::{self, Connection};
use hiresync_store::{Store, StoreError, workspaces};

/// The Teamtailor side of an Oneflow connection.
#[derive(Clone, Debug)]
pub struct Link {
    /// The Teamtailor connection its contracts sync with.
    pub teamtailor: Connection,
    /// Teamtailor custom fields to Oneflow data fields.
    pub field_map: Vec<ContractFieldMapping>,
    /// The data field holding the Teamtailor candidate id, for contracts made in Oneflow.
    pub candidate_data_field: Option<String>,
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
            .credentials
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
    Ok(Link { teamtailor, field_map: contracts.field_map, candidate_data_field: contracts.candidate_data_field })
}
