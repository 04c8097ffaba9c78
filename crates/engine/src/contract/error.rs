//! Why a contract could not be created or synced, and what that means for
//! the job that tried.

use crate::clients::OpenError;
use crate::job::JobError;
use hiresync_core::ValidationError;
use hiresync_providers::ProviderError;
use hiresync_store::StoreError;

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
