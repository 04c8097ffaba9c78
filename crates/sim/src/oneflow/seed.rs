//! Seeding the simulated account (tokens, users, workspaces, templates with
//! data fields, contracts) and the participants' actions that happen in
//! Oneflow's web app: filling in a data field, signing. Actions record
//! events and notify webhooks exactly as the API routes do.

use super::OfApp;
use super::errors::OfError;
use super::lifecycle::{self, participant_defaults};
use super::model::{FieldDef, OneflowState, Template, TemplateType, User, Workspace};
use super::webhook::notify;
use serde::Serialize;
use std::time::Duration;

/// Ids of a seeded template, its template type and its data field definitions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeededTemplate {
    /// Workspace.
    pub workspace_id: i64,
    /// Template.
    pub template_id: i64,
    /// Template type (holds the data fields).
    pub template_type_id: i64,
}

impl OfApp {
    /// Adds an API token.
    pub fn add_token(&self, token: &str) {
        self.lock().tokens.push(token.to_owned());
    }

    /// Adds an account user and returns its id.
    pub fn add_user(&self, name: &str, email: &str) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        s.users.insert(id, User { id, name: name.into(), email: email.into() });
        id
    }

    /// Adds a workspace and returns its id.
    pub fn add_workspace(&self, name: &str) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        s.workspaces.insert(id, Workspace { id, name: name.into() });
        id
    }

    /// Adds a template in `workspace_id` whose template type defines `fields` (custom id, label).
    pub fn add_template(&self, workspace_id: i64, name: &str, fields: &[(&str, &str)]) -> SeededTemplate {
        let mut s = self.lock();
        let template_type_id = s.next_id();
        let data_fields = fields
            .iter()
            .map(|(custom_id, label)| FieldDef {
                id: s.next_id(),
                custom_id: (*custom_id).into(),
                name: (*label).into(),
            })
            .collect();
        s.template_types
            .insert(template_type_id, TemplateType { id: template_type_id, name: format!("{name} type"), data_fields });
        let template_id = s.next_id();
        s.templates
            .insert(template_id, Template { id: template_id, name: name.into(), workspace_id, template_type_id });
        SeededTemplate { workspace_id, template_id, template_type_id }
    }

    /// Creates a draft from `template_id` with data field `values` (custom id, value).
    pub fn add_contract(&self, template_id: i64, values: &[(&str, &str)]) -> Result<i64, OfError> {
        let mut s = self.lock();
        let workspace =
            s.templates.get(&template_id).map(|t| t.workspace_id).ok_or_else(|| OfError::not_found("Template"))?;
        let values: Vec<(String, String)> = values.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        lifecycle::create_contract(&mut s, None, workspace, template_id, None, &values)
    }

    /// A user creates a contract in Oneflow's web app from `template_id`, fills `values` (custom
    /// id, value) and adds `counterparty` (name, email) as an individual signatory; Oneflow
    /// notifies webhooks of the `contract:create`. Returns the contract id.
    pub fn user_creates_contract(
        &self,
        template_id: i64,
        name: &str,
        values: &[(&str, &str)],
        counterparty: Option<(&str, &str)>,
    ) -> Result<i64, OfError> {
        let id = {
            let mut s = self.lock();
            let workspace =
                s.templates.get(&template_id).map(|t| t.workspace_id).ok_or_else(|| OfError::not_found("Template"))?;
            let user = s.users.values().next().cloned();
            let values: Vec<(String, String)> = values.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
            lifecycle::create_contract(&mut s, user.as_ref(), workspace, template_id, Some(name.into()), &values)?
        };
        if let Some((who, email)) = counterparty {
            self.add_counterparty(id, who, email)?;
        }
        let event = self.lock().events.values().find(|e| e.contract_id == id).map(|e| e.id);
        notify(self, id, &event.into_iter().collect::<Vec<_>>());
        Ok(id)
    }

    /// Adds an individual counterparty with one signing participant; returns the participant id.
    pub fn add_counterparty(&self, contract_id: i64, name: &str, email: &str) -> Result<i64, OfError> {
        let mut s = self.lock();
        let participant_id = s.next_id();
        let party_id = s.next_id();
        let participant = super::model::Participant {
            id: participant_id,
            name: name.into(),
            email: Some(email.into()),
            ..participant_defaults()
        };
        lifecycle::editable(&mut s, contract_id)?.parties.push(super::model::Party {
            id: party_id,
            kind: "individual".into(),
            name: name.into(),
            participants: vec![participant],
            ..super::model::Party::default()
        });
        Ok(participant_id)
    }

    /// A counterparty participant fills in a data field in the web app (`data_field:update`).
    pub fn participant_sets_field(&self, contract_id: i64, custom_id: &str, value: &str) -> Result<(), OfError> {
        let event = {
            let mut s = self.lock();
            let who = s.contracts.get(&contract_id).and_then(|c| {
                c.parties
                    .iter()
                    .filter(|p| !p.my_party)
                    .flat_map(|p| &p.participants)
                    .next()
                    .map(|p| lifecycle::actor(p.id, &p.name))
            });
            lifecycle::set_field(&mut s, contract_id, &lifecycle::FieldRef::Custom(custom_id.into()), value, who)?.1
        };
        if let Some(event) = event {
            notify(self, contract_id, &[event]);
        }
        Ok(())
    }

    /// One participant signs (`participant:sign`, then `contract:sign` when all have).
    pub fn participant_signs(&self, contract_id: i64, participant_id: i64) -> Result<(), OfError> {
        let events = lifecycle::sign(&mut self.lock(), contract_id, participant_id)?;
        notify(self, contract_id, &events);
        Ok(())
    }

    /// Every signatory signs, in one notification.
    pub fn sign_all(&self, contract_id: i64) -> Result<(), OfError> {
        let events = {
            let mut s = self.lock();
            let signers: Vec<i64> = s
                .contracts
                .get(&contract_id)
                .ok_or_else(|| OfError::not_found("Contract"))?
                .parties
                .iter()
                .flat_map(|p| &p.participants)
                .filter(|p| p.signatory && p.sign_state != "signed")
                .map(|p| p.id)
                .collect();
            let mut events = Vec::new();
            for id in signers {
                events.extend(lifecycle::sign(&mut s, contract_id, id)?);
            }
            events
        };
        notify(self, contract_id, &events);
        Ok(())
    }

    /// Delays between webhook attempts (the documented schedule by default; shorten it in tests).
    pub fn set_retry_delays(&self, delays: Vec<Duration>) {
        *crate::harness::lock(&self.delays) = delays;
    }

    /// The current webhook retry delays.
    pub fn retry_delays(&self) -> Vec<Duration> {
        crate::harness::lock(&self.delays).clone()
    }

    /// Merges `seed` into the state: rows with the same id are replaced.
    pub fn merge(&self, seed: OneflowState) {
        let mut s = self.lock();
        s.tokens.extend(seed.tokens);
        s.users.extend(seed.users);
        s.workspaces.extend(seed.workspaces);
        s.template_types.extend(seed.template_types);
        s.templates.extend(seed.templates);
        s.contracts.extend(seed.contracts);
        s.events.extend(seed.events);
        s.webhooks.extend(seed.webhooks);
        s.files_inline |= seed.files_inline;
        let nested = s.contracts.values().flat_map(|c| {
            let fields = c.data_fields.iter().map(|f| f.id);
            let parties =
                c.parties.iter().flat_map(|p| std::iter::once(p.id).chain(p.participants.iter().map(|x| x.id)));
            std::iter::once(c.id).chain(fields).chain(parties).collect::<Vec<_>>()
        });
        let highest = nested
            .chain(s.users.keys().copied())
            .chain(s.workspaces.keys().copied())
            .chain(
                s.template_types.values().flat_map(|t| std::iter::once(t.id).chain(t.data_fields.iter().map(|f| f.id))),
            )
            .chain(s.templates.keys().copied())
            .chain(s.events.keys().copied())
            .chain(s.webhooks.keys().copied())
            .max()
            .unwrap_or(0);
        // Fresh ids must never collide with seeded ones.
        s.last_id = s.last_id.max(seed.last_id).max(highest);
    }
}
