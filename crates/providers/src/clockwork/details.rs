//! A Clockwork person's sub-resources, written one call each: contact
//! details a person lacks, roles and schools made exactly what is wanted
//! (they cannot be matched up for editing, so unwanted ones are deleted and
//! missing ones added), and the current role a hand edit points elsewhere.

use super::ClockworkProvider;
use super::client::permanent;
use super::mapping;
use super::wire::{EducationFields, Person as WirePerson, Position, PositionFields};
use crate::Result;
use hiresync_core::PersonDraft;

impl ClockworkProvider {
    /// Adds the emails, phones and LinkedIn profiles of the draft that `have` lacks, each email
    /// and phone with the type its mapped field gives it. Returns the emails added.
    pub(super) async fn add_contact_details(
        &self,
        id: &str,
        have: &WirePerson,
        draft: &PersonDraft,
        op: &str,
    ) -> Result<(Vec<String>, bool)> {
        let held_emails = mapping::emails(have);
        let emails: Vec<(String, String)> =
            mapping::wanted_emails(draft).into_iter().filter(|(e, _)| mapping::lacks(&held_emails, e)).collect();
        let digits: Vec<String> = have.phone_numbers.iter().flatten().filter_map(|p| p.digits.clone()).collect();
        let phones: Vec<(String, String)> =
            mapping::wanted_phones(draft).into_iter().filter(|(p, _)| mapping::lacks(&digits, p)).collect();
        let urls: Vec<String> = have.linkedin_urls.iter().flatten().filter_map(|l| l.url.clone()).collect();
        let linkedin = mapping::missing(&urls, &mapping::wanted_linkedin(draft));
        for (e, kind) in &emails {
            self.client().add_email(id, e, kind, op).await?;
        }
        for (p, kind) in &phones {
            self.client().add_phone(id, p, kind, op).await?;
        }
        for url in &linkedin {
            self.client().add_linkedin(id, url, op).await?;
        }
        let address = mapping::wanted_address(have, draft);
        if let Some(address) = &address {
            self.client().add_address(id, address.clone(), op).await?;
        }
        let sites = mapping::wanted_sites(have, draft);
        for (url, network) in &sites {
            self.client().add_web_site(id, url, network, op).await?;
        }
        let custom = self.write_custom_fields(id, have, draft, op).await?;
        let other = !(phones.is_empty() && linkedin.is_empty() && address.is_none() && sites.is_empty()) || custom;
        Ok((emails.into_iter().map(|(e, _)| e).collect(), other))
    }

    /// Sets the draft's custom field values the person does not hold yet, each converted for its
    /// field's type (option labels to ids). True when any was written.
    async fn write_custom_fields(&self, id: &str, have: &WirePerson, draft: &PersonDraft, op: &str) -> Result<bool> {
        let values = mapping::custom_values(draft);
        if values.is_empty() {
            return Ok(false);
        }
        let defs = self.client().custom_fields().await?;
        let mut wrote = false;
        for (field_id, value) in values {
            let def = defs.iter().find(|d| d.id == field_id).ok_or_else(|| {
                permanent(op, format!("Clockwork has no custom field `{}{field_id}`", mapping::CUSTOM_PREFIX))
            })?;
            let stored = mapping::custom_value(def, &value)
                .map_err(|e| permanent(op, format!("{}{field_id}: {e}", mapping::CUSTOM_PREFIX)))?;
            if !mapping::holds_value(have, &field_id, &stored) {
                self.client().set_custom_field(id, &field_id, stored, op).await?;
                wrote = true;
            }
        }
        Ok(wrote)
    }

    /// Makes the person's roles exactly `wanted`: `existing` are the stored ones (read when
    /// `None`; a person created just now has none). Roles cannot be matched up for editing, so
    /// what is not wanted is deleted and what is missing added.
    pub(super) async fn replace_positions(
        &self,
        person_id: &str,
        wanted: Vec<PositionFields>,
        existing: Option<Vec<Position>>,
    ) -> Result<()> {
        let existing = match existing {
            Some(e) => e,
            None => self.client().positions(person_id).await?,
        };
        let kept: Vec<PositionFields> = existing.iter().map(mapping::position_key).collect();
        for (position, key) in existing.iter().zip(&kept) {
            if !wanted.contains(key) && !position.id.is_empty() {
                self.client().delete_position(person_id, &position.id).await?;
            }
        }
        let mut added: Vec<&PositionFields> = Vec::new();
        for row in wanted.iter().filter(|w| !kept.contains(w)) {
            if !added.contains(&row) {
                self.client().create_position(person_id, row.clone()).await?;
                added.push(row);
            }
        }
        Ok(())
    }

    /// Makes the person's schools exactly `wanted`, like [`Self::replace_positions`].
    pub(super) async fn replace_educations(
        &self,
        person_id: &str,
        wanted: Vec<EducationFields>,
        fresh: bool,
    ) -> Result<()> {
        let existing = if fresh { Vec::new() } else { self.client().educations(person_id).await? };
        let kept: Vec<EducationFields> = existing.iter().map(mapping::education_key).collect();
        for (school, key) in existing.iter().zip(&kept) {
            if !wanted.contains(key) && !school.id.is_empty() {
                self.client().delete_education(person_id, &school.id).await?;
            }
        }
        let mut added: Vec<&EducationFields> = Vec::new();
        for row in wanted.iter().filter(|w| !kept.contains(w)) {
            if !added.contains(&row) {
                self.client().create_education(person_id, row.clone()).await?;
                added.push(row);
            }
        }
        Ok(())
    }

    /// Points the current role at the draft's company and title (a hand edit, a linked record):
    /// the stored current role is replaced, its dates kept; one is added when there is none.
    pub(super) async fn update_current_position(&self, person_id: &str, draft: &PersonDraft) -> Result<bool> {
        if mapping::current_company(draft).is_none() && draft.title.is_none() {
            return Ok(false);
        }
        let positions = self.client().positions(person_id).await?;
        let current = positions.iter().find(|p| mapping::is_current(p));
        let Some(want) = mapping::replaced_current(current, draft) else { return Ok(false) };
        if let Some(old) = current.filter(|p| !p.id.is_empty()) {
            self.client().delete_position(person_id, &old.id).await?;
        }
        self.client().create_position(person_id, want).await?;
        Ok(true)
    }
}
