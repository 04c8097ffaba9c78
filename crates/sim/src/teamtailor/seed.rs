//! Seeding the simulated company: typed helpers for tests and the sandbox,
//! a JSON merge for `POST /_sim/seed`, and recruiter actions taken "in the
//! web app" that fire webhooks as Teamtailor would.

use super::TtApp;
use super::errors::TtError;
use super::model::{Candidate, CustomField, CustomFieldOption, Job, Stage, TeamtailorState, User, now};
use super::webhook;
use serde::Serialize;
use serde_json::Value;

/// Ids of a seeded job and its stages in order (Inbox first, Hired last).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeededJob {
    /// Job id.
    pub id: i64,
    /// Stage ids in `row-order`.
    pub stage_ids: Vec<i64>,
}

/// Ids of a seeded custom field and its options.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeededField {
    /// Field id.
    pub id: i64,
    /// Option ids, in the order given.
    pub option_ids: Vec<i64>,
}

impl TtApp {
    /// Adds an Admin read/write API key.
    pub fn add_api_key(&self, key: &str) {
        self.lock().api_keys.push(key.to_owned());
    }

    /// Adds an admin user and returns its id.
    pub fn add_user(&self, name: &str, email: &str) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        s.users.insert(id, User { id, name: name.into(), email: email.into(), role: "admin".into() });
        id
    }

    /// Adds a published job whose stages are Inbox, `stages` (In process) and Hired.
    pub fn add_job(&self, title: &str, stages: &[&str]) -> SeededJob {
        self.add_job_with_status(title, "open", stages)
    }

    /// Adds a job with `status` (`open`, `unlisted`, `draft`, `archived`).
    pub fn add_job_with_status(&self, title: &str, status: &str, stages: &[&str]) -> SeededJob {
        let mut s = self.lock();
        let id = s.next_id();
        let at = now();
        s.jobs.insert(
            id,
            Job { id, title: title.into(), status: status.into(), created_at: at.clone(), ..Job::default() },
        );
        let mut all = vec![("Inbox", "Inbox")];
        all.extend(stages.iter().map(|n| (*n, "In process")));
        all.push(("Hired", "Hired"));
        let stage_ids = (0i64..)
            .zip(all)
            .map(|(i, (name, stage_type))| {
                let sid = s.next_id();
                let row_order = i * 1_073_741_824;
                let stage = Stage {
                    id: sid,
                    job_id: id,
                    name: name.into(),
                    stage_type: stage_type.into(),
                    row_order,
                    created_at: at.clone(),
                };
                s.stages.insert(sid, stage);
                sid
            })
            .collect();
        SeededJob { id, stage_ids }
    }

    /// Adds a candidate and returns its id.
    pub fn add_candidate(&self, first_name: &str, last_name: &str, email: &str) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        let at = now();
        s.candidates.insert(
            id,
            Candidate {
                id,
                email: Some(email.into()),
                first_name: Some(first_name.into()),
                last_name: Some(last_name.into()),
                created_at: at.clone(),
                updated_at: at,
                ..Candidate::default()
            },
        );
        id
    }

    /// Adds a candidate custom field (`CustomField::Text`, ...) with select options.
    pub fn add_custom_field(&self, api_name: &str, name: &str, field_type: &str, options: &[&str]) -> SeededField {
        let mut s = self.lock();
        let id = s.next_id();
        let field = CustomField {
            id,
            api_name: api_name.into(),
            name: name.into(),
            field_type: field_type.into(),
            created_at: now(),
        };
        s.custom_fields.insert(id, field);
        let option_ids = options
            .iter()
            .map(|value| {
                let oid = s.next_id();
                s.custom_field_options
                    .insert(oid, CustomFieldOption { id: oid, custom_field_id: id, value: (*value).into() });
                oid
            })
            .collect();
        SeededField { id, option_ids }
    }

    /// Puts a candidate on a job, in its Inbox, and returns the application id.
    pub fn add_application(&self, candidate_id: i64, job_id: i64) -> Result<i64, TtError> {
        super::job_applications::insert_application(&mut self.lock(), candidate_id, job_id)
    }

    /// A recruiter adds a candidate to a job in the web app: the application lands in its
    /// Inbox and `job_application.create` goes to every registered company webhook.
    pub fn recruiter_adds_to_job(&self, candidate_id: i64, job_id: i64) -> Result<i64, TtError> {
        let id = self.add_application(candidate_id, job_id)?;
        webhook::application(self, "job_application.create", id);
        Ok(id)
    }

    /// Sets a candidate's custom field value as a recruiter would, checked against the field type.
    pub fn set_custom_field_value(&self, candidate_id: i64, field_id: i64, value: &Value) -> Result<i64, TtError> {
        let mut s = self.lock();
        let value = super::custom_field_values::checked(&s, field_id, value)?;
        if let Some(existing) =
            s.custom_field_values.values_mut().find(|v| v.custom_field_id == field_id && v.candidate_id == candidate_id)
        {
            existing.value = value;
            return Ok(existing.id);
        }
        let id = s.next_id();
        let row = super::model::CustomFieldValue { id, custom_field_id: field_id, candidate_id, value };
        s.custom_field_values.insert(id, row);
        Ok(id)
    }

    /// A recruiter edits a candidate's custom field in the web app: `candidate.update` fires
    /// (custom field changes are among the changes it reports) when the value changed.
    pub fn recruiter_sets_custom_field(&self, candidate_id: i64, field_id: i64, value: &Value) -> Result<i64, TtError> {
        let before = {
            let s = self.lock();
            if !s.candidates.contains_key(&candidate_id) {
                return Err(TtError::missing("candidates", &candidate_id.to_string()));
            }
            s.custom_field_values
                .values()
                .find(|v| v.custom_field_id == field_id && v.candidate_id == candidate_id)
                .map(|v| v.value.clone())
        };
        let id = self.set_custom_field_value(candidate_id, field_id, value)?;
        let after = self.lock().custom_field_values.get(&id).map(|v| v.value.clone());
        if before != after {
            webhook::candidate(self, "candidate.update", candidate_id);
        }
        Ok(id)
    }

    /// A recruiter moves an application in the web app: `job_application.update` fires.
    pub fn move_application(&self, application_id: i64, stage_id: i64) -> Result<(), TtError> {
        {
            let mut s = self.lock();
            let job = s.job_applications.get(&application_id).map(|a| a.job_id);
            let job = job.ok_or_else(|| TtError::missing("job-applications", &application_id.to_string()))?;
            if s.stages.get(&stage_id).is_none_or(|st| st.job_id != job) {
                return Err(TtError::field("stage", "must belong to the job of the application"));
            }
            if let Some(a) = s.job_applications.get_mut(&application_id) {
                a.stage_id = stage_id;
                a.changed_stage_at = now();
                a.updated_at = a.changed_stage_at.clone();
            }
        }
        webhook::application(self, "job_application.update", application_id);
        Ok(())
    }

    /// Merges `seed` into the state: rows with the same id are replaced.
    pub fn merge(&self, seed: TeamtailorState) {
        let mut s = self.lock();
        s.api_keys.extend(seed.api_keys);
        s.users.extend(seed.users);
        s.jobs.extend(seed.jobs);
        s.stages.extend(seed.stages);
        s.candidates.extend(seed.candidates);
        s.job_applications.extend(seed.job_applications);
        s.notes.extend(seed.notes);
        s.custom_fields.extend(seed.custom_fields);
        s.custom_field_options.extend(seed.custom_field_options);
        s.custom_field_values.extend(seed.custom_field_values);
        s.uploads.extend(seed.uploads);
        let highest = [
            s.users.keys().max(),
            s.jobs.keys().max(),
            s.stages.keys().max(),
            s.candidates.keys().max(),
            s.job_applications.keys().max(),
            s.notes.keys().max(),
            s.custom_fields.keys().max(),
            s.custom_field_options.keys().max(),
            s.custom_field_values.keys().max(),
            s.uploads.keys().max(),
        ]
        .into_iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
        // Fresh ids must never collide with seeded ones.
        s.last_id = s.last_id.max(seed.last_id).max(highest);
    }
}
