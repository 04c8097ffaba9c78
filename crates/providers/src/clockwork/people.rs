//! [`ClockworkProvider`]: the [`People`] capability over Clockwork v3. People
//! are person records; targets are projects with candidate statuses; notes go
//! on the person (contact) record, which the firm's clients never see.

use super::client::{ClockworkClient, permanent};
use super::mapping::{self, COMPANY_FIELDS, LIST_FIELDS, STANDARD_FIELDS, person, person_url};
use super::wire::{EducationFields, Person as WirePerson};
use crate::{
    Capabilities, Created, CustomField, ErrorKind, Page, People, Placement, Provider, ProviderError, Result,
    TargetOption, search,
};
use async_trait::async_trait;
use hiresync_core::validation::same_email;
use hiresync_core::{Education, Employment, NoteDraft, Person, PersonDraft, PlacedStage, ProviderKind, Target};

/// How many partial search hits an email lookup opens to compare every address.
const LOOKUP_READS: usize = 10;

/// Filters a partial search hit can answer without its full record being read.
const HIT_FIELDS: &[&str] = &["name", "tags", "tag", "first_name", "last_name", "first-name", "last-name"];

/// Clockwork behind the [`Provider`] and [`People`] traits.
#[derive(Clone, Debug)]
pub struct ClockworkProvider {
    client: ClockworkClient,
}

/// The project and status of a project target.
fn project(target: &Target, operation: &str) -> Result<(String, Option<String>)> {
    match target {
        Target::Project { project_id, status_id } => {
            Ok((project_id.to_string(), status_id.as_ref().map(ToString::to_string)))
        }
        Target::Job { .. } | Target::ProspectPool { .. } => Err(permanent(operation, "target has no project_id")),
    }
}

impl ClockworkProvider {
    /// Wraps a client.
    pub fn new(client: ClockworkClient) -> Self {
        Self { client }
    }

    /// The underlying client.
    pub fn client(&self) -> &ClockworkClient {
        &self.client
    }

    pub(super) fn host(&self) -> &str {
        self.client.config().app_host()
    }
}

/// Whether Clockwork refused a create as a conflict with what it holds (the body is `[U]`).
fn refused(e: &ProviderError) -> bool {
    e.kind == ErrorKind::Permanent && matches!(e.status, Some(400 | 409 | 422))
}

#[async_trait]
impl Provider for ClockworkProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Clockwork
    }

    async fn check_credentials(&self) -> Result<()> {
        self.client.probe().await.map_err(|e| match e.status {
            // The firm is a path segment: an unknown one is a wrong credential, not a bad request.
            Some(404) => ProviderError { kind: ErrorKind::Auth, ..e },
            _ => e,
        })
    }
}

#[async_trait]
impl People for ClockworkProvider {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            targets: true,
            stages: true,
            notes: true,
            email_records: false,
            history: true,
            education: true,
            // Custom fields are read and written through routes of our best guess (`[U]`).
            custom_fields: true,
            off_limits: true,
            list_people: true,
            search_people: true,
        }
    }

    async fn find_person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(None);
        }
        let holds = |p: &WirePerson| mapping::emails(p).iter().any(|e| same_email(e, email));
        let hits = self.client.search_people(email).await?;
        // Search is full-text: only an exact address counts, and partial hits are opened to see every address.
        let mut opened = 0;
        for hit in hits.iter().filter(|h| !h.id.is_empty()) {
            if holds(hit) {
                return Ok(Some(person(&self.client.person(&hit.id, "lookup person").await?, self.host())));
            }
            if hit.email_addresses.is_none() && opened < LOOKUP_READS {
                opened += 1;
                let full = self.client.person(&hit.id, "lookup person").await?;
                if holds(&full) {
                    return Ok(Some(person(&full, self.host())));
                }
            }
        }
        Ok(None)
    }

    async fn create_person(&self, draft: &PersonDraft, target: Option<&Target>) -> Result<Created> {
        let op = "create person";
        let created = self.client.create_person(&mapping::create_body(draft)).await?;
        let id = created.id.clone();
        // A person made just now holds no details, roles or schools: nothing is read before writing.
        self.add_contact_details(&id, &created, draft, op).await?;
        let roles = mapping::initial_positions(draft);
        if !roles.is_empty() {
            self.replace_positions(&id, roles, Some(Vec::new())).await?;
        }
        let schools: Vec<EducationFields> = draft.education.iter().filter_map(mapping::education_row).collect();
        if !schools.is_empty() {
            self.replace_educations(&id, schools, true).await?;
        }
        let mut p = person(&created, self.host());
        p.emails = mapping::missing(&[], p.emails.iter().chain(&draft.emails));
        p.first_name = p.first_name.or_else(|| draft.first_name.clone());
        p.last_name = p.last_name.or_else(|| draft.last_name.clone());
        // A candidacy is its own resource: placing takes a second call.
        let placement = match target {
            Some(t) => Some(self.place_person(&id, t, false).await?),
            None => None,
        };
        Ok(Created { person: p, placement })
    }

    async fn update_person(&self, person_id: &str, draft: &PersonDraft) -> Result<Person> {
        let op = "update person";
        let existing = self.client.person(person_id, op).await?;
        let mut unknown = Vec::new();
        let mut tagged = Vec::new();
        let wanted = mapping::missing_tags(&existing, draft);
        if !wanted.is_empty() {
            let firm_tags = self.client.tags().await?;
            for name in wanted {
                match firm_tags.iter().find(|t| t.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&name))) {
                    Some(tag) => {
                        self.client.add_tag(person_id, &tag.id).await?;
                        tagged.push(tag.name.clone().unwrap_or(name));
                    }
                    None => unknown.push(name),
                }
            }
        }
        tagged.extend(unknown.iter().cloned());
        let body = mapping::update_body(&existing, draft, unknown);
        if let Some(body) = &body {
            self.client.update_person(person_id, body).await?;
        }
        let (added, _) = self.add_contact_details(person_id, &existing, draft, op).await?;
        self.update_current_position(person_id, draft).await?;
        // The person as it now stands, without reading it back: the engine keeps only its id and link.
        let mut now = existing;
        mapping::apply(&mut now, body.as_ref().map(|b| &b.person), &tagged, &added);
        Ok(person(&now, self.host()))
    }

    async fn place_person(&self, person_id: &str, target: &Target, _as_prospect: bool) -> Result<Placement> {
        let op = "place person";
        let (project, status) = project(target, op)?;
        // Created straight away: listing a project's candidacies first would read the whole project
        // for every person. A refusal (already on it, or an earlier answer lost) reads them once.
        match self.client.create_candidacy(&project, person_id, status.as_deref()).await {
            Ok(created) => Ok(Placement { id: created.id, stage: created.status_id.or(status).into() }),
            Err(e) if refused(&e) => {
                let on_project = self.client.candidacies(&project).await?;
                match on_project.into_iter().find(|c| c.person_ref() == Some(person_id)) {
                    Some(c) => Ok(Placement { id: c.id, stage: c.status_id.into() }),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn move_stage(
        &self,
        _person_id: &str,
        placement: &Placement,
        _target: Option<&Target>,
        stage_id: &str,
    ) -> Result<Placement> {
        // Setting the status a candidacy already has is harmless, so no read comes first. A status
        // given by name in the settings was stored as its id when they were saved.
        self.client.update_candidacy(&placement.id, stage_id).await?;
        Ok(Placement { id: placement.id.clone(), stage: PlacedStage::At(stage_id.to_owned()) })
    }

    async fn find_note(&self, person_id: &str, note: &NoteDraft) -> Result<Option<String>> {
        let content = mapping::note_content(note);
        Ok(self.client.notes(person_id).await?.into_iter().find(|n| mapping::same_note(n, &content)).map(|n| n.id))
    }

    async fn write_note(&self, person_id: &str, note: &NoteDraft) -> Result<String> {
        let content = mapping::note_content(note);
        let body = super::wire::NoteBody {
            note: super::wire::NoteFields {
                content,
                content_type: "text/html".into(),
                category: mapping::note_category(note),
            },
        };
        Ok(self.client.create_note(person_id, &body).await?.id)
    }

    async fn write_history(&self, person_id: &str, history: &[Employment]) -> Result<()> {
        self.replace_positions(person_id, history.iter().filter_map(mapping::position_row).collect(), None).await
    }

    async fn write_education(&self, person_id: &str, schools: &[Education]) -> Result<()> {
        self.replace_educations(person_id, schools.iter().filter_map(mapping::education_row).collect(), false).await
    }

    async fn list_targets(&self) -> Result<Vec<TargetOption>> {
        let projects = self.client.projects().await?;
        let (statuses, default) = mapping::ordered_statuses(self.client.statuses().await?);
        let stages: Vec<(String, String)> =
            statuses.iter().map(|s| (s.id.clone(), s.name.clone().unwrap_or_default())).collect();
        Ok(projects
            .into_iter()
            .filter(|p| !p.id.is_empty() && mapping::is_target(p))
            .map(|p| {
                let target =
                    Target::Project { project_id: p.id.clone().into(), status_id: default.clone().map(Into::into) };
                TargetOption {
                    target,
                    name: p.name.unwrap_or_default(),
                    kind: "project".into(),
                    status: p.status,
                    stages: stages.clone(),
                }
            })
            .collect())
    }

    async fn list_target_people(&self, target: &Target, cursor: Option<&str>) -> Result<Page<Person>> {
        let op = "list target people";
        let (project, _) = project(target, op)?;
        let offset = match cursor {
            None => 0,
            Some(c) => {
                c.trim().parse::<usize>().map_err(|_| permanent(op, format!("cursor `{c}` is not an offset")))?
            }
        };
        let page = self.client.candidacies_page(&project, offset).await?;
        let mut items = Vec::new();
        for c in &page.items {
            let Some(id) = c.person_ref() else { continue };
            let included = c.person.as_ref().filter(|p| !p.id.is_empty() && !mapping::emails(p).is_empty());
            // An included person without any email may be a partial record; read the whole one.
            let p = match included {
                Some(p) => person(p, self.host()),
                None => person(&self.client.person(id, op).await?, self.host()),
            };
            items.push(p);
        }
        let next_offset = offset + page.seen;
        let done = page.seen == 0 || page.total.is_some_and(|t| next_offset as u64 >= t);
        Ok(Page { items, next: (!done).then(|| next_offset.to_string()) })
    }

    async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        Ok(self.client.custom_fields().await?.iter().filter_map(mapping::custom_field).collect())
    }

    async fn search_people(&self, filters: &[(String, String)]) -> Result<Vec<Person>> {
        let op = "search people";
        // Clockwork has no field filters (`[U]`): an email goes through the lookup, a name through
        // the full-text search, anything else through a bounded walk of the people list.
        if let Some(email) = search::first(filters, &["email", "emails", "email_addresses"]) {
            let found = self.find_person_by_email(email).await?;
            return Ok(found.into_iter().filter(|p| search::matches(p, filters)).collect());
        }
        let mut found = Vec::new();
        if let Some(name) = search::first(filters, &["name"]) {
            let hits_suffice = filters.iter().all(|(f, _)| HIT_FIELDS.contains(&f.as_str()));
            let mut opened = 0;
            for hit in self.client.search_text(name).await?.iter().filter(|h| !h.id.is_empty()) {
                let p = if hit.email_addresses.is_some() || hits_suffice {
                    person(hit, self.host())
                } else if opened < LOOKUP_READS {
                    opened += 1;
                    person(&self.client.person(&hit.id, op).await?, self.host())
                } else {
                    continue;
                };
                if search::matches(&p, filters) {
                    found.push(p);
                }
            }
        } else {
            let mut offset = 0;
            for _ in 0..search::SEARCH_PAGES {
                let page = self.client.people_page(offset).await?;
                offset += page.seen;
                let people = page.items.iter().filter(|p| !p.id.is_empty()).map(|p| person(p, self.host()));
                found.extend(people.filter(|p| search::matches(p, filters)));
                if page.seen == 0
                    || found.len() >= search::SEARCH_LIMIT
                    || page.total.is_some_and(|t| offset as u64 >= t)
                {
                    break;
                }
            }
        }
        found.truncate(search::SEARCH_LIMIT);
        Ok(found)
    }

    fn joins_lists_into_text(&self) -> bool {
        true
    }

    fn standard_fields(&self) -> Vec<&'static str> {
        STANDARD_FIELDS.to_vec()
    }

    fn list_fields(&self) -> Vec<&'static str> {
        LIST_FIELDS.to_vec()
    }

    fn company_fields(&self) -> Vec<&'static str> {
        COMPANY_FIELDS.to_vec()
    }

    async fn off_limits(&self, person_id: &str) -> Result<Option<String>> {
        let p = self.client.person(person_id, "read off-limits").await?;
        Ok(p.do_not_contact.unwrap_or(false).then(|| "Do Not Contact".to_owned()))
    }

    fn person_url(&self, person_id: &str) -> String {
        person_url(self.host(), person_id)
    }
}
