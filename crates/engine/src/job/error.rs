//! Why a job's run did not complete; the worker settles the attempt by it
//! (see `worker::settle`).

use crate::clients::OpenError;
use hiresync_providers::ProviderError;
use hiresync_store::StoreError;

/// Why a job did not complete.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The provider call failed; its kind says whether to retry.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// The database failed; retry.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The job cannot succeed as it stands (bad payload, unopenable credentials).
    #[error("{0}")]
    Broken(String),
    /// The job's connection does not work: the provider refuses its credentials, or its owner
    /// was removed. The job waits until it does, without calling the provider.
    #[error("the connection is {status}: {reason}")]
    ConnectionDown {
        /// `failing` or `disabled`.
        status: String,
        /// Why, as the connection shows it.
        reason: String,
    },
    /// Another worker took the job over; its result stands.
    #[error("lease lost")]
    LeaseLost,
}

impl From<ProviderError> for JobError {
    fn from(e: ProviderError) -> Self {
        JobError::Provider(Box::new(e))
    }
}

impl From<OpenError> for JobError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Provider(p) => JobError::Provider(p),
            OpenError::Vault(v) => JobError::Broken(v.to_string()),
        }
    }
}
