//! [`GreenhouseV1Provider`]: the [`People`] capability over legacy Harvest
//! v1, for a connection whose credentials are a v1 key. It mirrors the v3
//! one: every write is preceded by the read that makes it safe to repeat, and
//! people map through the same v3 [`Candidate`] shape.

use super::wire::{
    CandidateCreate, EmailCreate, EmploymentCreate, NoteCreate, V1Application, V1Candidate, V1Email, V1Note,
};
use crate::greenhouse::GreenhouseClient;
use crate::greenhouse::client::permanent;
use crate::greenhouse::mapping::{self, person, person_url};
use crate::greenhouse::people::{CAPABILITIES, id, standard_fields};
use crate::greenhouse::placing::{Spot, gh_id};
use crate::greenhouse::wire::{ApplicationWrite, Candidate};
use crate::{Capabilities, Created, CustomField, Page, People, Placement, Provider, Result, TargetOption, search};
use async_trait::async_trait;
use hiresync_core::fields::FieldOption;
use hiresync_core::{Employment, NoteDraft, Person, PersonDraft, PlacedStage, ProviderKind, Target};

/// Greenhouse over legacy Harvest v1.
#[derive(Clone, Debug)]
pub struct GreenhouseV1Provider {
    client: GreenhouseClient,
}

/// The `POST /v1/candidates/{id}/employments` body of a [`mapping::employment_row`].
fn employment((company, title, start, end): (String, String, String, Option<String>)) -> EmploymentCreate {
    EmploymentCreate { company_name: company, title, start_date: start, end_date: end }
}

/// An email record's subject: the note's own, else its outreach type in words.
fn v1_subject(note: &NoteDraft) -> String {
    note.subject.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| note.outreach_type.replace('_', " "))
}

/// v1 notes have no subject and activities cannot be written: both become the note's text.
fn v1_text(note: &NoteDraft) -> String {
    match note.subject.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => format!("{s}\n\n{}", note.body),
        None => note.body.clone(),
    }
}

fn live(a: &V1Application) -> bool {
    a.status.as_deref().is_none_or(|s| s == "active")
}

impl GreenhouseV1Provider {
    /// Wraps a client whose requests carry the v1 key.
    pub fn new(client: GreenhouseClient) -> Self {
        Self { client }
    }

    fn client(&self) -> &GreenhouseClient {
        &self.client
    }

    async fn v1_find(&self, email: &str) -> Result<Option<Person>> {
        let found = self.client().v1_candidates_by_email(email).await?;
        // The oldest record wins when Greenhouse already holds duplicates.
        Ok(found.iter().min_by_key(|c| c.id).map(|c| person(&c.candidate())))
    }

    async fn v1_create(&self, draft: &PersonDraft, spot: Option<Spot>) -> Result<Created> {
        let mut person_fields = mapping::create_body(draft);
        person_fields.application = None;
        let mut body = CandidateCreate { candidate: person_fields, applications: None };
        // A candidate needs a job in v1 (`POST /v1/candidates`); everyone else starts as a prospect,
        // in a pool or considered for a job, placed in the same request.
        let candidate_on_job = match spot {
            Some(Spot::Job { job, stage }) if !draft.as_prospect => Some((job, stage)),
            _ => None,
        };
        let created = match (candidate_on_job, spot) {
            (Some((job, stage)), _) => {
                let application =
                    ApplicationWrite { job_id: Some(job), initial_stage_id: stage, ..ApplicationWrite::default() };
                body.applications = Some(vec![application]);
                self.client().v1_create_candidate(&body).await?
            }
            (None, Some(spot)) => {
                // v1 knows a prospect by the endpoint, not by a flag.
                body.candidate.application = Some(ApplicationWrite { prospect: None, ..spot.application(true) });
                self.client().v1_create_prospect(&body).await?
            }
            (None, None) => self.client().v1_create_prospect(&body).await?,
        };
        let mut p = person(&created.candidate());
        if p.emails.is_empty() {
            p.emails = draft.emails.clone();
            p.first_name = p.first_name.or_else(|| draft.first_name.clone());
            p.last_name = p.last_name.or_else(|| draft.last_name.clone());
        }
        for row in draft.employment.iter().filter_map(mapping::employment_row) {
            self.client().v1_create_employment(created.id, &employment(row)).await?;
        }
        let placement = match (spot, created.applications.iter().flatten().next()) {
            (Some(spot), Some(app)) => Some(spot.placement(app.id, candidate_on_job.is_none())),
            _ => None,
        };
        Ok(Created { person: p, placement })
    }

    async fn v1_update(&self, cid: i64, draft: &PersonDraft) -> Result<Person> {
        let existing: Candidate = self.client().v1_candidate(cid, "update person").await?.candidate();
        let Some(body) = mapping::update_body(&existing, draft) else {
            return Ok(person(&existing));
        };
        self.client().v1_update_candidate(cid, &body).await?;
        Ok(person(&self.client().v1_candidate(cid, "update person").await?.candidate()))
    }

    async fn v1_place_in_pool(&self, cid: i64, pool: i64, stage: Option<i64>) -> Result<Placement> {
        let c = self.client().v1_candidate(cid, "place person").await?;
        let prospects: Vec<&V1Application> =
            c.applications.iter().flatten().filter(|a| a.prospect == Some(true) && live(a)).collect();
        let placed =
            |id: i64, stage: Option<i64>| Placement { id: id.to_string(), stage: stage.map(|s| s.to_string()).into() };
        if let Some(a) = prospects.iter().find(|a| a.pool().0 == Some(pool)) {
            return Ok(placed(a.id, a.pool().1));
        }
        // A prospect created without a pool is placed by moving that application, not adding a second.
        if let Some(a) = prospects.iter().find(|a| a.pool().0.is_none()) {
            self.client().v1_move_prospect(a.id, pool, stage).await?;
            return Ok(placed(a.id, stage));
        }
        let body = Spot::Pool { pool, stage }.application(true);
        Ok(placed(self.client().v1_add_application(cid, &body).await?.id, stage))
    }

    async fn v1_place_on_job(&self, cid: i64, job: i64, stage: Option<i64>) -> Result<Placement> {
        let c = self.client().v1_candidate(cid, "place person").await?;
        let existing =
            c.applications.iter().flatten().find(|a| a.job_id() == Some(job) && a.prospect != Some(true) && live(a));
        let application = match existing {
            Some(a) => a.clone(),
            None => {
                let body =
                    ApplicationWrite { job_id: Some(job), initial_stage_id: stage, ..ApplicationWrite::default() };
                self.client().v1_add_application(cid, &body).await?
            }
        };
        let current = application.current_stage.map(|s| s.id).or(stage);
        Ok(Placement { id: application.id.to_string(), stage: current.map(|s| s.to_string()).into() })
    }

    async fn v1_move(&self, cid: i64, app_id: i64, to: i64) -> Result<()> {
        let op = "move stage";
        let c: V1Candidate = self.client().v1_candidate(cid, op).await?;
        let app = c
            .applications
            .iter()
            .flatten()
            .find(|a| a.id == app_id)
            .ok_or_else(|| permanent(op, format!("Application {app_id} not found on candidate {cid}")))?;
        if app.prospect == Some(true) {
            let (pool, current) = app.pool();
            if current == Some(to) {
                return Ok(());
            }
            let pool = pool.ok_or_else(|| permanent(op, "the prospect is in no pool; place it in one first"))?;
            return self.client().v1_move_prospect(app_id, pool, Some(to)).await;
        }
        let current = app
            .current_stage
            .as_ref()
            .map(|s| s.id)
            .ok_or_else(|| permanent(op, "the application has no current stage"))?;
        if current == to {
            return Ok(());
        }
        self.client().v1_move_application(app_id, current, to).await
    }

    async fn v1_find_note(&self, cid: i64, note: &NoteDraft) -> Result<Option<String>> {
        let user = self.client().acting_user();
        let feed = self.client().v1_activity_feed(cid).await?;
        if mapping::note_type(note) == "EMAIL" {
            let subject = v1_subject(note);
            let same = |e: &&V1Email| {
                e.body.as_deref() == Some(note.body.as_str()) && e.subject.as_deref() == Some(subject.as_str())
            };
            return Ok(feed.emails.iter().find(same).map(|e| e.id.to_string()));
        }
        let text = v1_text(note);
        let mine = |n: &&V1Note| n.user.as_ref().is_none_or(|u| u.id == user);
        Ok(feed.notes.iter().filter(mine).find(|n| n.body.as_deref() == Some(text.as_str())).map(|n| n.id.to_string()))
    }

    async fn v1_note(&self, cid: i64, note: &NoteDraft) -> Result<String> {
        let user = self.client().acting_user();
        if mapping::note_type(note) == "EMAIL" {
            let body = EmailCreate {
                user_id: user,
                to: note.to.clone(),
                from: note.from.clone(),
                cc: Vec::new(),
                subject: v1_subject(note),
                body: note.body.clone(),
            };
            return Ok(self.client().v1_create_email(cid, &body).await?.id.to_string());
        }
        let body = NoteCreate { user_id: user, body: v1_text(note), visibility: "public" };
        Ok(self.client().v1_create_note(cid, &body).await?.id.to_string())
    }

    async fn v1_history(&self, cid: i64, history: &[Employment]) -> Result<()> {
        let wanted: Vec<_> = history.iter().filter_map(mapping::employment_row).collect();
        let existing = self.client().v1_candidate(cid, "write history").await?.employments();
        // Employments cannot be edited: delete what is no longer wanted, create what is missing.
        for e in &existing {
            if !wanted.contains(&mapping::employment_key(e)) {
                self.client().v1_delete_employment(cid, e.id).await?;
            }
        }
        let kept: Vec<_> = existing.iter().map(mapping::employment_key).collect();
        for row in wanted.into_iter().filter(|w| !kept.contains(w)) {
            self.client().v1_create_employment(cid, &employment(row)).await?;
        }
        Ok(())
    }

    async fn v1_targets(&self) -> Result<Vec<TargetOption>> {
        let mut out = Vec::new();
        for job in self.client().v1_open_jobs().await? {
            let mut stages = self.client().v1_job_stages(job.id).await?;
            stages.retain(|s| s.active != Some(false));
            stages.sort_by_key(|s| (s.priority.unwrap_or(i64::MAX), s.id));
            let Some(first) = stages.first().map(|s| s.id) else {
                continue;
            };
            out.push(TargetOption {
                target: Target::Job { job_id: job.id.into(), stage_id: Some(first.into()) },
                name: job.name.unwrap_or_default(),
                kind: "job".into(),
                status: job.status,
                stages: stages.into_iter().map(|s| (s.id.to_string(), s.name.unwrap_or_default())).collect(),
            });
        }
        for pool in self.client().v1_pools().await?.into_iter().filter(|p| p.active != Some(false)) {
            let stages = pool.prospect_stages.unwrap_or_default();
            out.push(TargetOption {
                target: Target::ProspectPool {
                    prospect_pool_id: pool.id.into(),
                    prospect_pool_stage_id: stages.first().map(|s| s.id.into()),
                },
                name: pool.name.unwrap_or_default(),
                kind: "prospect_pool".into(),
                status: Some("active".into()),
                stages: stages.into_iter().map(|s| (s.id.to_string(), s.name.unwrap_or_default())).collect(),
            });
        }
        Ok(out)
    }

    async fn v1_target_people(&self, job: i64, cursor: Option<&str>) -> Result<Page<Person>> {
        let (candidates, next) = self.client().v1_job_candidates_page(job, cursor).await?;
        Ok(Page { items: candidates.iter().map(|c| person(&c.candidate())).collect(), next })
    }

    /// v1 filters candidates by `email` only (§1.3); every other filter is matched here.
    async fn v1_search(&self, filters: &[(String, String)]) -> Result<Vec<Person>> {
        let email = search::first(filters, &["email", "emails", "email_addresses"]);
        search::walk(self.client().v1_candidate_search(email)?, filters, |url| async move {
            let (page, link) = self.client().page::<V1Candidate>(url, "search people").await?;
            let people = page.iter().map(|c| person(&c.candidate())).collect();
            Ok((people, link.map(|l| self.client().follow(&l)).transpose()?))
        })
        .await
    }

    async fn v1_custom_fields(&self) -> Result<Vec<CustomField>> {
        let fields = self.client().v1_custom_fields().await?;
        Ok(fields
            .into_iter()
            .filter(|f| f.active != Some(false) && f.name_key.is_some())
            .map(|f| {
                let mut options = f.custom_field_options.unwrap_or_default();
                options.sort_by_key(|o| (o.priority.unwrap_or(i64::MAX), o.id));
                CustomField {
                    key: f.name_key.unwrap_or_default(),
                    name: f.name.unwrap_or_default(),
                    object: "person".into(),
                    value_type: f.value_type.unwrap_or_default(),
                    options: options
                        .into_iter()
                        .filter_map(|o| Some(FieldOption { id: o.id.to_string(), label: o.name? }))
                        .collect(),
                }
            })
            .collect())
    }
}

#[async_trait]
impl Provider for GreenhouseV1Provider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Greenhouse
    }

    async fn check_credentials(&self) -> Result<()> {
        self.client.v1_probe().await
    }
}

#[async_trait]
impl People for GreenhouseV1Provider {
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn find_person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(None);
        }
        self.v1_find(email).await
    }

    async fn create_person(&self, draft: &PersonDraft, target: Option<&Target>) -> Result<Created> {
        let spot = target.map(|t| Spot::of(t, "create person")).transpose()?;
        self.v1_create(draft, spot).await
    }

    async fn update_person(&self, person_id: &str, draft: &PersonDraft) -> Result<Person> {
        self.v1_update(id(person_id, "person id", "update person")?, draft).await
    }

    async fn place_person(&self, person_id: &str, target: &Target, _as_prospect: bool) -> Result<Placement> {
        let op = "place person";
        let cid = id(person_id, "person id", op)?;
        match Spot::of(target, op)? {
            Spot::Pool { pool, stage } => self.v1_place_in_pool(cid, pool, stage).await,
            Spot::Job { job, stage } => self.v1_place_on_job(cid, job, stage).await,
        }
    }

    async fn move_stage(
        &self,
        person_id: &str,
        placement: &Placement,
        _target: Option<&Target>,
        stage: &str,
    ) -> Result<Placement> {
        let op = "move stage";
        let (cid, app_id) = (id(person_id, "person id", op)?, id(&placement.id, "placement id", op)?);
        // v1 reads an application's stage and pool through its candidate.
        let to = id(stage, "stage id", op)?;
        self.v1_move(cid, app_id, to).await?;
        Ok(Placement { id: placement.id.clone(), stage: PlacedStage::At(to.to_string()) })
    }

    async fn find_note(&self, person_id: &str, note: &NoteDraft) -> Result<Option<String>> {
        self.v1_find_note(id(person_id, "person id", "read notes")?, note).await
    }

    async fn write_note(&self, person_id: &str, note: &NoteDraft) -> Result<String> {
        self.v1_note(id(person_id, "person id", "write note")?, note).await
    }

    async fn write_history(&self, person_id: &str, history: &[Employment]) -> Result<()> {
        self.v1_history(id(person_id, "person id", "write history")?, history).await
    }

    async fn list_targets(&self) -> Result<Vec<TargetOption>> {
        self.v1_targets().await
    }

    async fn list_target_people(&self, target: &Target, cursor: Option<&str>) -> Result<Page<Person>> {
        let op = "list target people";
        let Target::Job { job_id, .. } = target else {
            return Err(permanent(op, "Harvest cannot list a prospect pool's people; pick a job"));
        };
        self.v1_target_people(gh_id(job_id, "job_id", op)?, cursor).await
    }

    async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        self.v1_custom_fields().await
    }

    async fn search_people(&self, filters: &[(String, String)]) -> Result<Vec<Person>> {
        self.v1_search(filters).await
    }

    fn standard_fields(&self) -> Vec<&'static str> {
        standard_fields()
    }

    async fn off_limits(&self, _person_id: &str) -> Result<Option<String>> {
        // Greenhouse has no off-limits state; `can_email` is reported in the person's fields.
        Ok(None)
    }

    fn person_url(&self, person_id: &str) -> String {
        person_url(person_id)
    }
}
