//! The [`Provider`] trait every provider client implements, whatever it
//! holds: which provider it is, and the live credential check. What a
//! provider can do beyond that is a capability of its own ([`crate::People`]
//! for an ATS, the Oneflow client for contracts), reached through
//! [`crate::Client`] without downcasting.

use crate::Result;
use async_trait::async_trait;
use hiresync_core::ProviderKind;

/// One provider account, as far as every provider is alike.
///
/// ```no_run
/// # async fn demo(provider: &dyn hiresync_providers::Provider) -> hiresync_providers::Result<()> {
/// provider.check_credentials().await?;
/// println!("{} accepts these credentials", provider.kind().display_name());
/// # Ok(()) }
/// ```
#[async_trait]
pub trait Provider: std::fmt::Debug + Send + Sync {
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;
    /// Checks the credentials with a cheap authenticated call, as normal operation would.
    async fn check_credentials(&self) -> Result<()>;
}
