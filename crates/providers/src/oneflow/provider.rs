//! [`OneflowProvider`]: Oneflow behind the [`Provider`] trait. Oneflow holds
//! contracts, not people (`ProviderKind::syncs_people` is false), so only the
//! credential check works; every people capability is off and its methods
//! fail permanently with a reason instead of pretending to succeed.

use super::client::{OneflowClient, permanent};
use super::mapping::contract_url;
use crate::{Capabilities, Created, CustomField, Page, Placement, Provider, Result, TargetOption};
use async_trait::async_trait;
use hiresync_core::{Employment, NoteDraft, Person, PersonDraft, ProviderKind, Target};

/// Oneflow behind the [`Provider`] trait.
#[derive(Clone, Debug)]
pub struct OneflowProvider {
    client: OneflowClient,
}

impl OneflowProvider {
    /// Wraps a client.
    pub fn new(client: OneflowClient) -> Self {
        Self { client }
    }

    /// The underlying client, for the contracts feature.
    pub fn client(&self) -> &OneflowClient {
        &self.client
    }
}

fn unsupported<T>(operation: &str) -> Result<T> {
    Err(permanent(operation, "Oneflow holds contracts, not people; this connection does not sync people"))
}

#[async_trait]
impl Provider for OneflowProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Oneflow
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }

    async fn check_credentials(&self) -> Result<()> {
        self.client.ping().await
    }

    async fn find_person_by_email(&self, _email: &str) -> Result<Option<Person>> {
        unsupported("lookup person")
    }

    async fn create_person(&self, _draft: &PersonDraft, _target: Option<&Target>) -> Result<Created> {
        unsupported("create person")
    }

    async fn update_person(&self, _person_id: &str, _draft: &PersonDraft) -> Result<Person> {
        unsupported("update person")
    }

    async fn place_person(&self, _person_id: &str, _target: &Target, _as_prospect: bool) -> Result<Placement> {
        unsupported("place person")
    }

    async fn move_stage(
        &self,
        _person_id: &str,
        _placement: &Placement,
        _target: Option<&Target>,
        _stage_id: &str,
    ) -> Result<Placement> {
        unsupported("move stage")
    }

    async fn find_note(&self, _person_id: &str, _note: &NoteDraft) -> Result<Option<String>> {
        unsupported("read notes")
    }

    async fn write_note(&self, _person_id: &str, _note: &NoteDraft) -> Result<String> {
        unsupported("write note")
    }

    async fn write_history(&self, _person_id: &str, _history: &[Employment]) -> Result<()> {
        unsupported("write history")
    }

    async fn list_targets(&self) -> Result<Vec<TargetOption>> {
        unsupported("list targets")
    }

    async fn list_target_people(&self, _target: &Target, _cursor: Option<&str>) -> Result<Page<Person>> {
        unsupported("list target people")
    }

    async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        unsupported("list custom fields")
    }

    async fn search_people(&self, _filters: &[(String, String)]) -> Result<Vec<Person>> {
        unsupported("search people")
    }

    fn standard_fields(&self) -> Vec<&'static str> {
        Vec::new()
    }

    async fn off_limits(&self, _person_id: &str) -> Result<Option<String>> {
        unsupported("read off-limits")
    }

    /// Oneflow's ids name contracts; a non-numeric id links to the contract list.
    fn person_url(&self, person_id: &str) -> String {
        person_id.trim().parse::<i64>().map_or_else(|_| format!("{}/contracts", super::config::APP_URL), contract_url)
    }
}
