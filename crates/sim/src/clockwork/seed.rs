//! Seeding the simulated firm: typed helpers for tests and the sandbox, and
//! a JSON merge for `POST /_sim/seed`.

use super::CwApp;
use super::errors::CwError;
use super::model::{
    ApiKey, ClockworkState, CustomField, CustomFieldOption, EmailAddress, Person, Project, Status, Tag, now,
};

/// Clockwork's default candidate statuses, in order (support article 561).
pub const DEFAULT_STATUSES: &[&str] = &[
    "Research",
    "Potential Candidate",
    "Pursuing",
    "Qualifying",
    "Candidate",
    "Interviewing",
    "Finalist",
    "Offer Extended",
    "Placed",
    "Turned Off",
    "Disqualified",
    "DQ by Client",
    "Withdrew",
    "Timing Off",
    "Offer Declined",
    "Not Responding",
    "Not Interested",
    "Location Issue",
    "On Hold",
    "Source",
    "Reference",
    "Benchmark",
    "Remove from Project",
];

impl CwApp {
    /// Renames the firm (the `{firm}` path segment; `acme` by default).
    pub fn set_firm(&self, firm: &str) {
        firm.clone_into(&mut self.lock().firm);
    }

    /// Adds a user's API key and secret and a firm service key, all accepted together or apart.
    pub fn add_credentials(&self, api_key: &str, api_secret: &str, firm_service_key: &str) {
        let mut s = self.lock();
        s.api_keys.push(ApiKey { api_key: api_key.into(), api_secret: api_secret.into() });
        s.firm_service_keys.push(firm_service_key.into());
    }

    /// Adds a candidate status at the end of the firm's order and returns its id.
    pub fn add_status(&self, name: &str) -> String {
        let mut s = self.lock();
        let id = s.next_id();
        let sort_order = s.statuses.len() as i64;
        s.statuses.insert(id.clone(), Status { id: id.clone(), name: name.into(), sort_order });
        id
    }

    /// Adds statuses in order and returns their ids.
    pub fn add_statuses(&self, names: &[&str]) -> Vec<String> {
        names.iter().map(|n| self.add_status(n)).collect()
    }

    /// Adds Clockwork's default statuses ([`DEFAULT_STATUSES`]) and returns their ids.
    pub fn seed_default_statuses(&self) -> Vec<String> {
        self.add_statuses(DEFAULT_STATUSES)
    }

    /// Adds a project with a status (`Active`, `Pitch`, `On Hold`, `Closed`, ...) and returns its id.
    pub fn add_project(&self, name: &str, status: &str) -> String {
        let mut s = self.lock();
        let id = s.next_id();
        let project = Project { id: id.clone(), name: name.into(), status: status.into(), project_type: None };
        s.projects.insert(id.clone(), project);
        id
    }

    /// Adds a person custom field of `field_type` (`text`, `single_select`, `multi_select`) with
    /// these options; returns its id and its options' ids.
    pub fn add_custom_field(&self, name: &str, field_type: &str, options: &[&str]) -> (String, Vec<String>) {
        let mut s = self.lock();
        let id = s.next_id();
        let options: Vec<CustomFieldOption> =
            options.iter().map(|o| CustomFieldOption { id: s.next_id(), value: (*o).to_owned() }).collect();
        let ids = options.iter().map(|o| o.id.clone()).collect();
        let field = CustomField {
            id: id.clone(),
            name: name.into(),
            field_type: field_type.into(),
            object_type: "person".into(),
            options,
        };
        s.custom_fields.insert(id.clone(), field);
        (id, ids)
    }

    /// Adds a person with one (preferred) work email, none when `email` is empty; returns the id.
    pub fn add_person(&self, name: &str, email: &str) -> String {
        let id = {
            let mut s = self.lock();
            let id = s.next_id();
            let at = now();
            let person = Person {
                id: id.clone(),
                name: name.into(),
                created_at: at.clone(),
                updated_at: at,
                ..Person::default()
            };
            s.people.insert(id.clone(), person);
            id
        };
        if !email.trim().is_empty() {
            self.add_email(&id, email);
        }
        id
    }

    /// Adds an email to a person; the first one is preferred. `None` when the person is unknown.
    pub fn add_email(&self, person_id: &str, email: &str) -> Option<String> {
        let mut s = self.lock();
        if !s.people.contains_key(person_id) {
            return None;
        }
        let id = s.next_id();
        let is_preferred = s.emails_of(person_id).is_empty();
        let row = EmailAddress {
            id: id.clone(),
            person_id: person_id.into(),
            address: email.trim().into(),
            location: Some("work".into()),
            is_preferred,
            created_at: now(),
        };
        s.emails.insert(id.clone(), row);
        Some(id)
    }

    /// Sets a person's Do Not Contact flag (Clockwork's off-limits signal); false when unknown.
    pub fn set_do_not_contact(&self, person_id: &str, value: bool) -> bool {
        let mut s = self.lock();
        let Some(p) = s.people.get_mut(person_id) else { return false };
        p.do_not_contact = value;
        p.updated_at = now();
        true
    }

    /// Adds a firm tag and returns its id.
    pub fn add_tag(&self, name: &str) -> String {
        let mut s = self.lock();
        let id = s.next_id();
        s.tags.insert(id.clone(), Tag { id: id.clone(), name: name.into() });
        id
    }

    /// Puts a person on a project (at Research, or the first status, when `status_id` is none).
    pub fn add_candidacy(&self, person_id: &str, project_id: &str, status_id: Option<&str>) -> Result<String, CwError> {
        super::projects::add_candidacy(&mut self.lock(), project_id, person_id, status_id.map(str::to_owned))
            .map(|c| c.id)
    }

    /// A recruiter adds a person to a project in the web app: `candidacy_updated` goes to every
    /// hook (Clockwork's one known event; that adding emits it is an assumption, see the
    /// provider's ASSUMPTIONS.md), unsigned as Clockwork sends it.
    pub fn recruiter_adds_to_project(&self, person_id: &str, project_id: &str) -> Result<String, CwError> {
        let candidacy = super::projects::add_candidacy(&mut self.lock(), project_id, person_id, None)?;
        super::webhook::candidacy_updated(self, &candidacy);
        Ok(candidacy.id)
    }

    /// Merges `seed` into the state: rows with the same id are replaced; a non-empty firm renames it.
    pub fn merge(&self, seed: ClockworkState) {
        let mut s = self.lock();
        if !seed.firm.is_empty() {
            s.firm = seed.firm;
        }
        s.api_keys.extend(seed.api_keys);
        s.firm_service_keys.extend(seed.firm_service_keys);
        s.people.extend(seed.people);
        s.emails.extend(seed.emails);
        s.phones.extend(seed.phones);
        s.linkedin_urls.extend(seed.linkedin_urls);
        s.addresses.extend(seed.addresses);
        s.web_sites.extend(seed.web_sites);
        s.custom_fields.extend(seed.custom_fields);
        s.custom_field_values.extend(seed.custom_field_values);
        s.tags.extend(seed.tags);
        s.person_tags.extend(seed.person_tags);
        s.positions.extend(seed.positions);
        s.educations.extend(seed.educations);
        s.notes.extend(seed.notes);
        s.projects.extend(seed.projects);
        s.statuses.extend(seed.statuses);
        s.candidacies.extend(seed.candidacies);
        s.hooks.extend(seed.hooks);
        // Fresh ids lead with a counter; keep it past every seeded one so order and uniqueness hold.
        let highest = s
            .people
            .keys()
            .chain(s.emails.keys())
            .chain(s.tags.keys())
            .chain(s.custom_fields.keys())
            .chain(s.positions.keys())
            .chain(s.educations.keys())
            .chain(s.notes.keys())
            .chain(s.projects.keys())
            .chain(s.statuses.keys())
            .chain(s.candidacies.keys())
            .filter_map(|id| u64::from_str_radix(id.split('-').next().unwrap_or_default(), 16).ok())
            .max()
            .unwrap_or(0);
        s.last_id = s.last_id.max(seed.last_id).max(highest);
    }
}
