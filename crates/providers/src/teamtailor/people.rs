//! [`TeamtailorProvider`]: the [`People`] capability over Teamtailor. Writes
//! are safe to repeat: a candidate made just now is written without reading
//! (it holds nothing yet), and a create Teamtailor refuses as a duplicate
//! reads what is there and reuses it. Company-wide definitions (custom fields,
//! each job's Inbox) come from a per-connection [`Catalog`], not per contact.

use super::catalog::Catalog;
use super::client::{TeamtailorClient, permanent};
use super::mapping::{self, person, person_url};
use super::wire::CustomFieldOption;
use crate::{Capabilities, Created, CustomField, Page, People, Placement, Provider, Result, TargetOption, search};
use async_trait::async_trait;
use hiresync_core::fields::FieldOption;
use hiresync_core::validation::same_email;
use hiresync_core::{Employment, NoteDraft, Person, PersonDraft, PlacedStage, ProviderKind, Target};
use serde_json::Value;

/// Candidate attributes a search may name (as [`mapping::person`] reports them).
const SEARCHABLE: &[&str] = &[
    "email",
    "emails",
    "first-name",
    "last-name",
    "first_name",
    "last_name",
    "name",
    "phone",
    "pitch",
    "linkedin-url",
    "tags",
    "unsubscribed",
    "connected",
    "sourced",
    "referring-site",
];

/// Job statuses whose jobs can take new candidates.
const PLACEABLE: &[&str] = &["open", "unlisted"];

/// The job and stage of a job target.
fn job(target: &Target, operation: &str) -> Result<(String, Option<String>)> {
    match target {
        Target::Job { job_id, stage_id } => Ok((job_id.to_string(), stage_id.as_ref().map(ToString::to_string))),
        Target::ProspectPool { .. } | Target::Project { .. } => Err(permanent(operation, "target has no job_id")),
    }
}

impl TeamtailorProvider {
    /// The stage id a setting's stage means in the placement's job: an id as given, a name
    /// looked up among that job's stages (each job has its own).
    async fn stage_of(&self, placement: &Placement, target: Option<&Target>, stage: &str) -> Result<String> {
        let op = "move stage";
        if stage.trim().bytes().all(|b| b.is_ascii_digit()) && !stage.trim().is_empty() {
            return Ok(stage.trim().to_owned());
        }
        let job_id = match target.map(|t| job(t, op)).transpose()? {
            Some((job_id, _)) => job_id,
            None => self
                .client
                .job_application(&placement.id)
                .await?
                .related_id("job")
                .map(str::to_owned)
                .ok_or_else(|| permanent(op, "the job application names no job"))?,
        };
        let stages: Vec<(String, String)> = self
            .client
            .job_stages(&job_id)
            .await?
            .into_iter()
            .map(|s| (s.id, s.attributes.name.unwrap_or_default()))
            .collect();
        crate::stages::stage_id(stage, &stages, &format!("job {job_id}")).map_err(|m| permanent(op, m))
    }
}

/// Teamtailor behind the [`Provider`] and [`People`] traits.
#[derive(Clone, Debug)]
pub struct TeamtailorProvider {
    client: TeamtailorClient,
    catalog: Catalog,
}

impl TeamtailorProvider {
    /// Wraps a client.
    pub fn new(client: TeamtailorClient) -> Self {
        Self { client, catalog: Catalog::default() }
    }

    /// The underlying client.
    pub fn client(&self) -> &TeamtailorClient {
        &self.client
    }

    fn person(&self, c: &super::wire::Candidate) -> Person {
        person(c, self.client.config().app_url())
    }

    /// Writes custom fields named by `api-name`, each checked against its field type. A candidate
    /// made just now (`fresh`) holds no values, so they are created without reading; otherwise the
    /// candidate's values are read once and each is created, updated or left as it is.
    async fn write_custom_fields(&self, candidate_id: &str, custom: &[(String, Value)], fresh: bool) -> Result<()> {
        if custom.is_empty() {
            return Ok(());
        }
        let op = "write custom field";
        let mut fields = self.catalog.fields(&self.client, false).await?;
        if custom.iter().any(|(k, _)| fields.by_api_name(k).is_none()) {
            // A field made since the definitions were listed.
            fields = self.catalog.fields(&self.client, true).await?;
        }
        let mut wanted = Vec::with_capacity(custom.len());
        for (api_name, value) in custom {
            let def = fields
                .by_api_name(api_name)
                .ok_or_else(|| permanent(op, format!("Teamtailor has no custom field `{api_name}`")))?;
            let field_type = def.attributes.field_type.as_deref().unwrap_or("CustomField::Text");
            let field_options: &[CustomFieldOption] = fields.options.get(&def.id).map_or(&[], Vec::as_slice);
            let stored = mapping::custom_value(field_type, value, field_options)
                .map_err(|e| permanent(op, format!("{api_name}: {e}")))?;
            wanted.push((def.id.clone(), stored));
        }
        if fresh {
            for (field_id, value) in &wanted {
                match self.client.create_custom_field_value(candidate_id, field_id, value).await {
                    Ok(_) => {}
                    // `merge` joined an existing candidate that already holds this field.
                    Err(e) if e.status == Some(422) => {
                        self.client.upsert_custom_field_value(candidate_id, field_id, value).await?;
                    }
                    Err(e) => return Err(e),
                }
            }
            return Ok(());
        }
        let held = self.client.candidate_custom_field_values(candidate_id).await?;
        for (field_id, value) in &wanted {
            let existing = held.iter().find(|v| {
                v.value.related_id("custom-field") == Some(field_id.as_str())
                    || v.field.as_ref().is_some_and(|f| &f.id == field_id)
            });
            match existing {
                Some(v) if &v.value.attributes.value == value => {}
                Some(v) => {
                    self.client.update_custom_field_value(&v.value.id, value).await?;
                }
                None => {
                    self.client.create_custom_field_value(candidate_id, field_id, value).await?;
                }
            }
        }
        Ok(())
    }
}

#[async_trait]
impl Provider for TeamtailorProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Teamtailor
    }

    async fn check_credentials(&self) -> Result<()> {
        self.client.probe().await
    }
}

#[async_trait]
impl People for TeamtailorProvider {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            targets: true,
            stages: true,
            notes: true,
            email_records: false,
            history: false,
            education: false,
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
        let found = self.client.candidates_by_email(email).await?;
        // `filter[email]` is exact in Teamtailor; keep the check so a looser server never links a stranger.
        Ok(found
            .iter()
            .filter(|c| c.attributes.email.as_deref().is_some_and(|e| same_email(e, email)))
            .min_by_key(|c| c.id.parse::<i64>().unwrap_or(i64::MAX))
            .map(|c| self.person(c)))
    }

    async fn create_person(&self, draft: &PersonDraft, target: Option<&Target>) -> Result<Created> {
        let body = mapping::create_attributes(draft);
        if body.email.is_none() {
            return Err(permanent("create person", "Teamtailor candidates need an email"));
        }
        let created = self.client.create_candidate(&body).await?;
        self.write_custom_fields(&created.id, &mapping::split_fields(draft).1, true).await?;
        // A job application is its own resource: placing takes its own call.
        let placement = match target {
            Some(t) => Some(self.place_person(&created.id, t, false).await?),
            None => None,
        };
        Ok(Created { person: self.person(&created), placement })
    }

    async fn update_person(&self, person_id: &str, draft: &PersonDraft) -> Result<Person> {
        let existing = self.client.candidate(person_id).await?;
        self.write_custom_fields(person_id, &mapping::split_fields(draft).1, false).await?;
        match mapping::update_attributes(&existing, draft) {
            Some(body) => Ok(self.person(&self.client.update_candidate(person_id, &body).await?)),
            None => Ok(self.person(&existing)),
        }
    }

    async fn place_person(&self, person_id: &str, target: &Target, _as_prospect: bool) -> Result<Placement> {
        let op = "place person";
        let (job, wanted_stage) = job(target, op)?;
        let created = match self.client.create_job_application(person_id, &job).await {
            Ok(created) => created,
            // Teamtailor refuses a second application to the same job, rejected or not: reuse it.
            Err(e) if e.status == Some(422) => {
                let mut on_job: Vec<_> = self
                    .client
                    .candidate_applications(person_id)
                    .await?
                    .into_iter()
                    .filter(|a| a.related_id("job") == Some(job.as_str()))
                    .collect();
                on_job.sort_by_key(|a| a.attributes.rejected_at.is_some());
                return match on_job.into_iter().next() {
                    Some(application) => {
                        let stage = application.related_id("stage").map(str::to_owned);
                        Ok(Placement { id: application.id, stage: stage.into() })
                    }
                    None => Err(e),
                };
            }
            Err(e) => return Err(e),
        };
        // New applications land in the job's Inbox; another stage is a move. Moving into the
        // Inbox again could fire its stage triggers, so the Inbox is never asked for twice.
        let inbox = self.catalog.inbox(&self.client, &job).await?;
        match wanted_stage {
            Some(want) if inbox.as_deref() != Some(want.as_str()) => {
                self.client.move_job_application(&created.id, &want).await?;
                Ok(Placement { id: created.id, stage: PlacedStage::At(want) })
            }
            _ => Ok(Placement { id: created.id, stage: inbox.into() }),
        }
    }

    async fn move_stage(
        &self,
        _person_id: &str,
        placement: &Placement,
        target: Option<&Target>,
        stage: &str,
    ) -> Result<Placement> {
        let stage_id = &self.stage_of(placement, target, stage).await?;
        let moved = Placement { id: placement.id.clone(), stage: PlacedStage::At(stage_id.to_owned()) };
        // A stage's triggers (emails, smart moves) may fire on every move into it, so a move is
        // never repeated: the stage we last put it at decides, or, not knowing it, Teamtailor's answer.
        let current = match &placement.stage {
            PlacedStage::At(stage) => Some(stage.clone()),
            PlacedStage::Unknown | PlacedStage::None => {
                self.client.job_application(&placement.id).await?.related_id("stage").map(str::to_owned)
            }
        };
        if current.as_deref() != Some(stage_id) {
            self.client.move_job_application(&placement.id, stage_id).await?;
        }
        Ok(moved)
    }

    async fn find_note(&self, person_id: &str, note: &NoteDraft) -> Result<Option<String>> {
        let text = mapping::note_text(note);
        Ok(self
            .client
            .candidate_notes(person_id)
            .await?
            .into_iter()
            .find(|n| n.attributes.note.as_deref() == Some(&text))
            .map(|n| n.id))
    }

    async fn write_note(&self, person_id: &str, note: &NoteDraft) -> Result<String> {
        let text = mapping::note_text(note);
        Ok(self.client.create_note(person_id, &text, None, mapping::is_private(note)).await?.id)
    }

    async fn write_history(&self, _person_id: &str, _history: &[Employment]) -> Result<()> {
        Err(permanent("write history", "Teamtailor has no employment history resource"))
    }

    async fn list_targets(&self) -> Result<Vec<TargetOption>> {
        let mut out = Vec::new();
        for job in self.client.jobs("all").await? {
            if !job.attributes.status.as_deref().is_some_and(|s| PLACEABLE.contains(&s)) {
                continue;
            }
            let stages: Vec<(String, String)> = self
                .client
                .job_stages(&job.id)
                .await?
                .into_iter()
                .map(|s| (s.id, s.attributes.name.unwrap_or_default()))
                .collect();
            let target = Target::Job {
                job_id: job.id.clone().into(),
                stage_id: stages.first().map(|(first, _)| first.clone().into()),
            };
            out.push(TargetOption {
                target,
                name: job.attributes.title.unwrap_or_default(),
                kind: "job".into(),
                status: job.attributes.human_status.or(job.attributes.status),
                stages,
            });
        }
        Ok(out)
    }

    async fn list_target_people(&self, target: &Target, cursor: Option<&str>) -> Result<Page<Person>> {
        let (job, _) = job(target, "list target people")?;
        let (candidates, next) = self.client.job_candidates_page(&job, cursor).await?;
        Ok(Page { items: candidates.iter().map(|c| self.person(c)).collect(), next })
    }

    async fn target_person(&self, target: &Target, person_id: &str) -> Result<Option<Person>> {
        let (job, _) = job(target, "read target person")?;
        let applications = self.client.candidate_applications(person_id).await?;
        if !applications.iter().any(|a| a.related_id("job") == Some(job.as_str())) {
            return Ok(None);
        }
        Ok(Some(self.person(&self.client.candidate(person_id).await?)))
    }

    async fn placement_person(&self, placement_id: &str) -> Result<Option<String>> {
        match self.client.job_application_candidate(placement_id).await {
            Ok(application) => Ok(application.related_id("candidate").map(str::to_owned)),
            Err(e) if e.status == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        let fields = self.catalog.fields(&self.client, true).await?;
        Ok(fields
            .defs
            .iter()
            .filter_map(|d| {
                let key = d.attributes.api_name.clone()?;
                Some(CustomField {
                    options: fields
                        .options
                        .get(&d.id)
                        .map(|o| {
                            o.iter()
                                .filter_map(|o| {
                                    Some(FieldOption { id: o.id.clone(), label: o.attributes.value.clone()? })
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    name: d.attributes.name.clone().unwrap_or_else(|| key.clone()),
                    key,
                    object: "person".into(),
                    value_type: d.attributes.field_type.clone().unwrap_or_default(),
                })
            })
            .collect())
    }

    async fn search_people(&self, filters: &[(String, String)]) -> Result<Vec<Person>> {
        // Custom field values are separate resources that cannot be filtered on: only the
        // candidate's own attributes are searchable.
        if let Some((field, _)) = filters.iter().find(|(f, _)| !SEARCHABLE.contains(&f.as_str())) {
            return Err(permanent(
                "search people",
                format!("Teamtailor candidates can be searched by their own attributes only, not `{field}`"),
            ));
        }
        let email = search::first(filters, &["email", "emails"]);
        let connected = search::first(filters, &["connected"]);
        search::walk(self.client.candidates_search_url(email, connected)?, filters, |url| async move {
            let (page, link) = self.client.candidates_page(url).await?;
            Ok((page.iter().map(|c| self.person(c)).collect(), link.map(|l| self.client.follow(&l)).transpose()?))
        })
        .await
    }

    fn joins_lists_into_text(&self) -> bool {
        true
    }

    fn standard_fields(&self) -> Vec<&'static str> {
        let mut v = vec!["first-name", "last-name", "first_name", "last_name", "email", "tags"];
        v.extend(mapping::STANDARD_FIELDS);
        v
    }

    async fn off_limits(&self, person_id: &str) -> Result<Option<String>> {
        let candidate = self.client.candidate(person_id).await?;
        Ok((candidate.attributes.unsubscribed == Some(true)).then(|| "Unsubscribed in Teamtailor".to_owned()))
    }

    fn person_url(&self, person_id: &str) -> String {
        person_url(self.client.config().app_url(), person_id)
    }
}
