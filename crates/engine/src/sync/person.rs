//! The person in the provider (SPEC S5-S9): found by any of the contact's
//! emails and linked, or created with their placement and history in one go;
//! a record that existed before the contact was added is flagged when the
//! dedup warning is on and updated except for its protected fields; hand
//! edits and history refreshes (work and education, as the provider's rule
//! in `core::history` gives them) go to people already linked.

use super::Syncing;
use crate::job::JobError;
use hiresync_core::{ContactIn, Education, Employment, EventType, Person, Target, history};
use serde_json::Value;

impl Syncing<'_> {
    /// Links the contact to the person holding one of its emails, or creates them (placed on
    /// `target` in the same call where the provider allows); stores the id at once.
    /// False when the contact has no email.
    pub(crate) async fn link_person(&mut self, target: Option<&Target>) -> Result<bool, JobError> {
        if self.contact.emails.is_empty() {
            return Ok(false);
        }
        let mut found = None;
        // Every email is tried: a record under any of them is linked, never doubled.
        for email in &self.contact.emails {
            if let Some(p) = self.provider.find_person_by_email(email).await? {
                found = Some(p);
                break;
            }
        }
        let history = (self.roles(), self.schools());
        match found {
            Some(p) => self.link_existing(p, history).await?,
            None => {
                let mut draft = self.draft();
                (draft.employment, draft.education) = history;
                if let Some(tag) = self.progress_tag() {
                    draft.tags.push(tag);
                    self.progress_written = true;
                }
                let created = self.provider.create_person(&draft, target).await?;
                self.record_person(&created.person);
                if let (Some(placement), Some(t)) = (created.placement, target) {
                    self.sync.placement_id = Some(placement.id);
                    self.sync.placement_stage = placement.stage;
                    self.sync.target = Some(t.to_json());
                }
                self.save().await?;
                self.done.push("created person");
            }
        }
        Ok(true)
    }

    /// A record found by email: ours when the provider made it after the contact was added (a
    /// repeated job, or another connection's sync); otherwise it pre-existed (S5) and is updated
    /// except for protected fields (S7).
    async fn link_existing(&mut self, p: Person, history: (Vec<Employment>, Vec<Education>)) -> Result<(), JobError> {
        // Strictly later: a record made in the very millisecond the contact arrived was not made by us.
        let ours = p.created_at.is_some_and(|t| t.timestamp_millis() > self.contact_added_at);
        self.record_person(&p);
        if !ours && self.settings.dedup_warning {
            let warning = format!("Exists in {}", self.conn.provider.display_name());
            if !self.sync.errors.contains(&warning) {
                self.sync.errors.push(warning);
            }
        }
        self.save().await?;
        self.done.push("linked person");
        if !ours {
            let mut draft = self.draft();
            draft.employment.clear();
            draft.education.clear();
            let protected = &self.settings.protected_fields;
            draft.retain(|f| !protected.iter().any(|p| p == f));
            if let Some(tag) = self.progress_tag() {
                draft.tags.push(tag);
                self.progress_written = true;
            }
            if !draft.is_empty() {
                self.provider.update_person(&p.id, &draft).await?;
                self.done.push("updated person");
            }
        }
        if (ours || self.settings.update_history) && self.write_history(&p.id, &history.0, &history.1).await? {
            self.done.push("wrote history");
        }
        Ok(())
    }

    /// Replaces the work and the education history the provider holds with what is given;
    /// an empty list is never written, since it would wipe what the provider holds. True when
    /// anything was written.
    async fn write_history(&self, person: &str, roles: &[Employment], schools: &[Education]) -> Result<bool, JobError> {
        if !roles.is_empty() {
            self.provider.write_history(person, roles).await?;
        }
        if !schools.is_empty() {
            self.provider.write_education(person, schools).await?;
        }
        Ok(!roles.is_empty() || !schools.is_empty())
    }

    fn record_person(&mut self, p: &Person) {
        self.sync.person_url = Some(p.url.clone().unwrap_or_else(|| self.provider.person_url(&p.id)));
        self.sync.person_id = Some(p.id.clone());
    }

    /// The work history this provider gets for this contact (S9); none when it keeps none.
    fn roles(&self) -> Vec<Employment> {
        if self.provider.capabilities().history {
            history::roles(self.conn.provider, &self.contact)
        } else {
            Vec::new()
        }
    }

    /// The education this provider gets for this contact (S9); none when it keeps none.
    fn schools(&self) -> Vec<Education> {
        if self.provider.capabilities().education {
            history::schools(self.conn.provider, &self.contact)
        } else {
            Vec::new()
        }
    }

    /// Writes the contact as it is now to the linked person, protected fields kept (S7); history
    /// is left alone. Returns the sync state and what was done.
    pub(crate) async fn refresh_person(self) -> Result<(hiresync_store::events::ContactSync, String), JobError> {
        let Some(person) = self.sync.person_id.clone() else {
            return Ok((self.sync, "not linked".into()));
        };
        let mut draft = self.draft();
        draft.employment.clear();
        draft.education.clear();
        let protected = &self.settings.protected_fields;
        draft.retain(|f| !protected.iter().any(|p| p == f));
        if draft.is_empty() {
            return Ok((self.sync, "nothing to write".into()));
        }
        self.provider.update_person(&person, &draft).await?;
        Ok((self.sync, "updated person".into()))
    }

    /// Pushes a hand edit (S8, protected fields kept, S7) and refreshes history on a re-sync (S9).
    pub(crate) async fn update_person(&mut self) -> Result<(), JobError> {
        let Some(person) = self.sync.person_id.clone() else { return Ok(()) };
        let changed = match self.event.data.get("changed") {
            Some(Value::Object(m)) => m.clone(),
            _ => serde_json::Map::new(),
        };
        if self.event.kind == EventType::ContactUpdated {
            // The edit's own values win over the stored contact for the fields it names.
            self.contact = self.contact.with_changes(&changed);
        }
        if self.event.kind == EventType::ContactUpdated && self.settings.sync_manual_updates {
            let edited = ContactIn::edited_fields(&changed, &self.settings);
            let protected = &self.settings.protected_fields;
            let mut draft = self.draft();
            draft.employment.clear();
            draft.education.clear();
            draft.retain(|f| edited.contains(f) && !protected.iter().any(|p| p == f));
            if !draft.is_empty() {
                self.provider.update_person(&person, &draft).await?;
                self.done.push("pushed hand edits");
            }
        }
        let resync = self.event.kind == EventType::ContactAdded
            || changed.contains_key("employment")
            || changed.contains_key("education");
        if self.settings.update_history && resync && self.write_history(&person, &self.roles(), &self.schools()).await?
        {
            self.done.push("refreshed history");
        }
        Ok(())
    }
}
