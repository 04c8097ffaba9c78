//! [`GreenhouseProvider`]: the [`People`] capability over Harvest v3. Every
//! write is preceded by the read that makes it safe to repeat. (Legacy v1
//! keys get their own implementation in `v1/`.)

use super::client::{GreenhouseClient, permanent};
use super::mapping::{self, person, person_url};
use super::placing::{Spot, gh_id};
use super::users::UserCache;
use super::wire::{Candidate, NoteWrite};
use crate::{Capabilities, Created, CustomField, Page, People, Placement, Provider, Result, TargetOption, search};
use async_trait::async_trait;
use hiresync_core::fields::FieldOption;
use hiresync_core::{Employment, NoteDraft, Person, PersonDraft, ProviderKind, Target};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What Greenhouse can do, in either Harvest version.
pub(super) const CAPABILITIES: Capabilities = Capabilities {
    targets: true,
    stages: true,
    notes: true,
    email_records: true,
    history: true,
    education: false,
    custom_fields: true,
    off_limits: false,
    list_people: true,
    search_people: true,
};

/// The candidate fields a field map may fill besides custom fields.
pub(super) fn standard_fields() -> Vec<&'static str> {
    let mut v = vec!["first_name", "last_name", "company", "title"];
    v.extend(mapping::STANDARD_FIELDS);
    v
}

/// Greenhouse over Harvest v3, behind the [`Provider`] and [`People`] traits.
#[derive(Clone, Debug)]
pub struct GreenhouseProvider {
    client: GreenhouseClient,
    /// Greenhouse users by email, shared by every view acting as another user.
    users: Arc<UserCache>,
}

/// A person, placement or stage id given as text, as Greenhouse's integer id.
pub(super) fn id(raw: &str, what: &str, operation: &str) -> Result<i64> {
    raw.trim().parse().map_err(|_| permanent(operation, format!("{what} `{raw}` is not a Greenhouse id")))
}

impl GreenhouseProvider {
    /// Wraps a client.
    pub fn new(client: GreenhouseClient) -> Self {
        Self { client, users: Arc::default() }
    }

    /// The underlying client.
    pub fn client(&self) -> &GreenhouseClient {
        &self.client
    }

    async fn candidate(&self, person_id: i64, operation: &str) -> Result<Candidate> {
        self.client
            .candidates_by_ids(&[person_id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| permanent(operation, format!("Candidate {person_id} not found")))
    }

    /// Writes the roles of a person created just now: nothing to read or delete first.
    async fn add_roles(&self, cid: i64, roles: &[Employment]) -> Result<()> {
        for row in roles.iter().filter_map(mapping::employment_row) {
            self.client.create_employment(&mapping::employment_write(cid, row)).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Provider for GreenhouseProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Greenhouse
    }

    async fn check_credentials(&self) -> Result<()> {
        self.client.probe().await
    }
}

#[async_trait]
impl People for GreenhouseProvider {
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<String>> {
        let email = email.trim().to_lowercase();
        if let Some(known) = self.users.get(&email) {
            return Ok(known.map(|id| id.to_string()));
        }
        // One active user per primary email; should Greenhouse hold two, the oldest acts.
        let found = self.client.users_by_email(&email).await?.iter().map(|u| u.id).min();
        self.users.put(email, found);
        Ok(found.map(|id| id.to_string()))
    }

    async fn user_exists(&self, user: &str) -> Result<bool> {
        let Ok(id) = user.trim().parse::<i64>() else { return Ok(false) };
        Ok(id > 0 && self.client.active_user(id).await?.is_some())
    }

    fn acting_as(&self, user: &str) -> Option<Arc<dyn People>> {
        let id = user.trim().parse::<i64>().ok().filter(|id| *id > 0)?;
        Some(Arc::new(Self { client: self.client.acting_as(id), users: Arc::clone(&self.users) }))
    }

    async fn find_person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let email = email.trim();
        if email.is_empty() {
            return Ok(None);
        }
        // The oldest record wins when Greenhouse already holds duplicates.
        Ok(self.client.candidates_by_email(email).await?.iter().min_by_key(|c| c.id).map(person))
    }

    async fn create_person(&self, draft: &PersonDraft, target: Option<&Target>) -> Result<Created> {
        let spot = target.map(|t| Spot::of(t, "create person")).transpose()?;
        let mut body = mapping::create_body(draft);
        // The person and their placement in one request (§7.7).
        if let Some(spot) = spot {
            body.application = Some(spot.application(draft.as_prospect));
        }
        let created = self.client.create_candidate(&body).await?;
        let candidate =
            created.candidate.ok_or_else(|| permanent("create person", "Greenhouse answered without the candidate"))?;
        let mut p = person(&candidate);
        // A truncated (still processing) answer carries only ids; fill in what we sent.
        if p.emails.is_empty() {
            p.emails = draft.emails.clone();
            p.first_name = p.first_name.or_else(|| draft.first_name.clone());
            p.last_name = p.last_name.or_else(|| draft.last_name.clone());
        }
        self.add_roles(candidate.id, &draft.employment).await?;
        let placement = match (spot, created.application) {
            (Some(spot), Some(app)) => Some(spot.placement(app.id, draft.as_prospect)),
            _ => None,
        };
        Ok(Created { person: p, placement })
    }

    async fn update_person(&self, person_id: &str, draft: &PersonDraft) -> Result<Person> {
        let cid = id(person_id, "person id", "update person")?;
        let existing = self.candidate(cid, "update person").await?;
        let Some(body) = mapping::update_body(&existing, draft) else {
            return Ok(person(&existing));
        };
        let answer = self.client.update_candidate(cid, &body).await?;
        // The answer is the updated candidate (some wrap it in an array); read it back otherwise.
        let updated = match answer {
            Value::Array(mut items) if items.len() == 1 => serde_json::from_value::<Candidate>(items.remove(0)).ok(),
            other => serde_json::from_value::<Candidate>(other).ok(),
        };
        match updated.filter(|c| c.id == cid) {
            Some(c) => Ok(person(&c)),
            None => Ok(person(&self.candidate(cid, "update person").await?)),
        }
    }

    async fn place_person(&self, person_id: &str, target: &Target, as_prospect: bool) -> Result<Placement> {
        let op = "place person";
        let cid = id(person_id, "person id", op)?;
        let spot = Spot::of(target, op)?;
        self.place_v3(cid, spot, as_prospect).await
    }

    async fn move_stage(
        &self,
        person_id: &str,
        placement: &Placement,
        target: Option<&Target>,
        stage: &str,
    ) -> Result<Placement> {
        let op = "move stage";
        let (cid, app_id) = (id(person_id, "person id", op)?, id(&placement.id, "placement id", op)?);
        let spot = target.map(|t| Spot::of(t, op)).transpose()?;
        self.move_v3(cid, app_id, &placement.stage, spot, stage).await
    }

    async fn find_note(&self, person_id: &str, note: &NoteDraft) -> Result<Option<String>> {
        let cid = id(person_id, "person id", "read notes")?;
        let kind = mapping::note_type(note);
        let subject = note.subject.clone().filter(|s| !s.trim().is_empty());
        let found = self
            .client
            .notes(cid, self.client.acting_user(), kind)
            .await?
            .into_iter()
            .find(|n| n.body.as_deref() == Some(note.body.as_str()) && (kind != "EMAIL" || n.subject == subject));
        Ok(found.map(|n| n.id.to_string()))
    }

    async fn write_note(&self, person_id: &str, note: &NoteDraft) -> Result<String> {
        let cid = id(person_id, "person id", "write note")?;
        let kind = mapping::note_type(note);
        let subject = note.subject.clone().filter(|s| !s.trim().is_empty());
        let email = kind == "EMAIL";
        let addresses = |a: &Option<String>| email.then(|| a.iter().cloned().collect::<Vec<_>>());
        let body = NoteWrite {
            candidate_id: cid,
            user_id: self.client.acting_user(),
            body: note.body.clone(),
            visibility: "public",
            note_type: kind,
            // An email record needs a subject: the outreach type in words stands in.
            subject: if email {
                Some(subject.unwrap_or_else(|| note.outreach_type.replace('_', " ")))
            } else {
                subject
            },
            email_from: addresses(&note.from),
            email_to: addresses(&note.to),
            email_cc: email.then(Vec::new),
        };
        Ok(self.client.create_note(&body).await?.id.to_string())
    }

    async fn write_history(&self, person_id: &str, history: &[Employment]) -> Result<()> {
        let cid = id(person_id, "person id", "write history")?;
        let wanted: Vec<_> = history.iter().filter_map(mapping::employment_row).collect();
        let existing = self.client.employments(cid).await?;
        let key = mapping::employment_key;
        // Employments cannot be edited: delete what is no longer wanted, create what is missing.
        for e in &existing {
            if !wanted.contains(&key(e)) {
                self.client.delete_employment(e.id).await?;
            }
        }
        let kept: Vec<_> = existing.iter().map(key).collect();
        for row in wanted.into_iter().filter(|w| !kept.contains(w)) {
            self.client.create_employment(&mapping::employment_write(cid, row)).await?;
        }
        Ok(())
    }

    async fn list_targets(&self) -> Result<Vec<TargetOption>> {
        let jobs = self.client.open_jobs().await?;
        let job_ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
        let mut stages = if job_ids.is_empty() { Vec::new() } else { self.client.job_stages(&job_ids).await? };
        stages.sort_by_key(|s| (s.sort_order.unwrap_or(i64::MAX), s.id));
        let mut out = Vec::new();
        for job in &jobs {
            let mine: Vec<(String, String)> = stages
                .iter()
                .filter(|s| s.job_id == Some(job.id))
                .map(|s| (s.id.to_string(), s.name.clone().unwrap_or_default()))
                .collect();
            let Some((first, _)) = mine.first() else {
                continue;
            };
            let target =
                Target::Job { job_id: job.id.into(), stage_id: Some(first.parse::<i64>().unwrap_or_default().into()) };
            out.push(TargetOption {
                target,
                name: job.name.clone().unwrap_or_default(),
                kind: "job".into(),
                status: job.status.clone(),
                stages: mine,
            });
        }
        let pools: Vec<_> = self.client.pools().await?.into_iter().filter(|p| p.active != Some(false)).collect();
        let pool_ids: Vec<i64> = pools.iter().map(|p| p.id).collect();
        let mut pool_stages = if pool_ids.is_empty() { Vec::new() } else { self.client.pool_stages(&pool_ids).await? };
        pool_stages.sort_by_key(|s| (s.sort_order.unwrap_or(i64::MAX), s.id));
        for pool in &pools {
            let mine: Vec<(i64, String)> = pool_stages
                .iter()
                .filter(|s| s.prospect_pool_id == Some(pool.id))
                .map(|s| (s.id, s.name.clone().unwrap_or_default()))
                .collect();
            let target = Target::ProspectPool {
                prospect_pool_id: pool.id.into(),
                prospect_pool_stage_id: mine.first().map(|(first, _)| (*first).into()),
            };
            let stages = mine.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
            out.push(TargetOption {
                target,
                name: pool.name.clone().unwrap_or_default(),
                kind: "prospect_pool".into(),
                status: Some("active".into()),
                stages,
            });
        }
        Ok(out)
    }

    async fn list_target_people(&self, target: &Target, cursor: Option<&str>) -> Result<Page<Person>> {
        let op = "list target people";
        let Target::Job { job_id, .. } = target else {
            return Err(permanent(op, "Harvest cannot list a prospect pool's people; pick a job"));
        };
        let job = gh_id(job_id, "job_id", op)?;
        let (applications, next) = self.client.job_applications_page(job, cursor).await?;
        let mut ids: Vec<i64> = applications.iter().filter_map(|a| a.candidate_id).collect();
        ids.dedup();
        let people: BTreeMap<i64, Candidate> = if ids.is_empty() {
            BTreeMap::new()
        } else {
            self.client.candidates_by_ids(&ids).await?.into_iter().map(|c| (c.id, c)).collect()
        };
        let items = ids.iter().filter_map(|i| people.get(i)).map(person).collect();
        Ok(Page { items, next })
    }

    async fn target_person(&self, target: &Target, person_id: &str) -> Result<Option<Person>> {
        let op = "read target person";
        let Target::Job { job_id, .. } = target else {
            return Err(permanent(op, "Harvest cannot list a prospect pool's people; pick a job"));
        };
        let (job, cid) = (gh_id(job_id, "job_id", op)?, id(person_id, "person id", op)?);
        if self.client.job_applications_of(cid, job).await?.is_empty() {
            return Ok(None);
        }
        Ok(self.client.candidates_by_ids(&[cid]).await?.first().map(person))
    }

    async fn placement_person(&self, placement_id: &str) -> Result<Option<String>> {
        let application = self.client.application(id(placement_id, "placement id", "read placement")?).await?;
        Ok(application.and_then(|a| a.candidate_id).map(|c| c.to_string()))
    }

    async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        let fields: Vec<_> = self
            .client
            .candidate_custom_fields()
            .await?
            .into_iter()
            .filter(|f| f.active != Some(false) && f.name_key.is_some())
            .collect();
        let selects: Vec<i64> = fields
            .iter()
            .filter(|f| f.value_type.as_deref().is_some_and(|t| t.ends_with("select")))
            .map(|f| f.id)
            .collect();
        let mut options =
            if selects.is_empty() { Vec::new() } else { self.client.custom_field_options(&selects).await? };
        options.sort_by_key(|o| (o.sort_order.unwrap_or(i64::MAX), o.id));
        Ok(fields
            .into_iter()
            .map(|f| CustomField {
                options: options
                    .iter()
                    .filter(|o| o.custom_field_id == Some(f.id))
                    .filter_map(|o| Some(FieldOption { id: o.id.to_string(), label: o.name.clone()? }))
                    .collect(),
                key: f.name_key.unwrap_or_default(),
                name: f.name.unwrap_or_default(),
                object: "person".into(),
                value_type: f.value_type.unwrap_or_default(),
            })
            .collect())
    }

    async fn search_people(&self, filters: &[(String, String)]) -> Result<Vec<Person>> {
        // `email` and `tag` are the documented candidate filters (§7.6); the rest is matched here.
        let email = search::first(filters, &["email", "emails", "email_addresses"]);
        let tag = search::first(filters, &["tag", "tags"]);
        search::walk(self.client.candidate_search(email, tag)?, filters, |url| async move {
            let (page, link) = self.client.page::<Candidate>(url, "search people").await?;
            Ok((page.iter().map(person).collect(), link.map(|l| self.client.follow(&l)).transpose()?))
        })
        .await
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
