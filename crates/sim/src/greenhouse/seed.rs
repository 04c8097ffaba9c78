//! Seeding the simulated tenant: typed helpers for tests and a JSON merge
//! for `POST /_sim/seed`.

use super::GhApp;
use super::model::{
    Candidate, CustomField, CustomFieldOption, GreenhouseState, Job, JobStage, Pool, PoolStage, Typed, User, now,
};
use serde::Serialize;

/// Ids of a seeded job and its stages, in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeededTarget {
    /// Job or pool id.
    pub id: i64,
    /// Stage ids in order.
    pub stage_ids: Vec<i64>,
}

impl GhApp {
    /// Adds an OAuth client.
    pub fn add_client(&self, client_id: &str, client_secret: &str) {
        self.lock().clients.insert(client_id.to_owned(), client_secret.to_owned());
    }

    /// Adds a legacy v1 key.
    pub fn add_api_key(&self, key: &str) {
        self.lock().api_keys.push(key.to_owned());
    }

    /// Adds an active site-admin user and returns its id.
    pub fn add_user(&self, first_name: &str, last_name: &str, email: &str) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        s.users.insert(
            id,
            User {
                id,
                first_name: first_name.into(),
                last_name: last_name.into(),
                primary_email: email.into(),
                site_admin: true,
                deactivated: false,
            },
        );
        id
    }

    /// Adds an open job with active stages named `stages` (first = sort order 0).
    pub fn add_job(&self, name: &str, stages: &[&str]) -> SeededTarget {
        let mut s = self.lock();
        let id = s.next_id();
        let at = now();
        s.jobs.insert(
            id,
            Job {
                id,
                name: name.into(),
                status: "open".into(),
                created_at: at.clone(),
                updated_at: at.clone(),
                opened_at: Some(at),
                is_template: Some(false),
                ..Job::default()
            },
        );
        let stage_ids = stage_rows(&mut s, stages, |s, sid, i, n| {
            s.job_stages.insert(sid, JobStage { id: sid, job_id: id, name: n.into(), sort_order: i, active: true });
        });
        SeededTarget { id, stage_ids }
    }

    /// Adds an active prospect pool with stages.
    pub fn add_prospect_pool(&self, name: &str, stages: &[&str]) -> SeededTarget {
        let mut s = self.lock();
        let id = s.next_id();
        s.prospect_pools.insert(id, Pool { id, name: name.into(), active: true, ..Pool::default() });
        let stage_ids = stage_rows(&mut s, stages, |s, sid, i, n| {
            s.prospect_pool_stages
                .insert(sid, PoolStage { id: sid, prospect_pool_id: id, name: n.into(), sort_order: i });
        });
        SeededTarget { id, stage_ids }
    }

    /// Adds a candidate with one personal email and returns its id.
    pub fn add_candidate(&self, first_name: &str, last_name: &str, email: &str) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        let at = now();
        let email_addresses = vec![Typed { value: email.into(), kind: Some("personal".into()) }];
        s.candidates.insert(
            id,
            Candidate {
                id,
                first_name: first_name.into(),
                last_name: last_name.into(),
                can_email: true,
                email_addresses,
                created_at: at.clone(),
                updated_at: at.clone(),
                last_activity_at: at,
                ..Candidate::default()
            },
        );
        id
    }

    /// Adds a candidate custom field (with select options) and returns its id.
    pub fn add_custom_field(&self, name_key: &str, name: &str, value_type: &str, options: &[&str]) -> i64 {
        let mut s = self.lock();
        let id = s.next_id();
        s.custom_fields.insert(
            id,
            CustomField {
                id,
                field_type: "candidate".into(),
                name: name.into(),
                value_type: value_type.into(),
                name_key: name_key.into(),
                private: false,
                required: false,
                active: true,
            },
        );
        for (i, option) in (0i64..).zip(options) {
            let oid = s.next_id();
            s.custom_field_options.insert(
                oid,
                CustomFieldOption {
                    id: oid,
                    custom_field_id: id,
                    name: (*option).into(),
                    external_id: None,
                    sort_order: i,
                    active: true,
                },
            );
        }
        id
    }

    /// Puts a candidate on a job at its first stage and returns the application id.
    pub fn add_application(&self, candidate_id: i64, job_id: i64) -> Result<i64, super::GhError> {
        let placement = super::placements::Placement::Job { job_id, stage_id: None };
        super::placements::add_application(&mut self.lock(), candidate_id, &placement).map(|a| a.id)
    }

    /// A recruiter adds a candidate to a job in the web app: the application is made and
    /// `new_candidate_application` goes to every registered web hook, signed with its secret.
    pub fn recruiter_adds_to_job(&self, candidate_id: i64, job_id: i64) -> Result<i64, super::GhError> {
        let placement = super::placements::Placement::Job { job_id, stage_id: None };
        let application = super::placements::add_application(&mut self.lock(), candidate_id, &placement)?;
        super::webhook::application_created(self, &application);
        Ok(application.id)
    }

    /// Merges `seed` into the state: rows with the same id are replaced.
    pub fn merge(&self, seed: GreenhouseState) {
        let mut s = self.lock();
        s.clients.extend(seed.clients);
        s.api_keys.extend(seed.api_keys);
        s.users.extend(seed.users);
        s.jobs.extend(seed.jobs);
        s.job_stages.extend(seed.job_stages);
        s.prospect_pools.extend(seed.prospect_pools);
        s.prospect_pool_stages.extend(seed.prospect_pool_stages);
        s.candidates.extend(seed.candidates);
        s.applications.extend(seed.applications);
        s.application_stages.extend(seed.application_stages);
        s.prospect_details.extend(seed.prospect_details);
        s.notes.extend(seed.notes);
        s.employments.extend(seed.employments);
        s.custom_fields.extend(seed.custom_fields);
        s.custom_field_options.extend(seed.custom_field_options);
        let highest = [
            s.users.keys().max(),
            s.jobs.keys().max(),
            s.job_stages.keys().max(),
            s.prospect_pools.keys().max(),
            s.prospect_pool_stages.keys().max(),
            s.candidates.keys().max(),
            s.applications.keys().max(),
            s.application_stages.keys().max(),
            s.prospect_details.keys().max(),
            s.notes.keys().max(),
            s.employments.keys().max(),
            s.custom_fields.keys().max(),
            s.custom_field_options.keys().max(),
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

fn stage_rows(
    s: &mut GreenhouseState,
    names: &[&str],
    mut insert: impl FnMut(&mut GreenhouseState, i64, i64, &str),
) -> Vec<i64> {
    (0i64..)
        .zip(names)
        .map(|(i, name)| {
            let sid = s.next_id();
            insert(s, sid, i, name);
            sid
        })
        .collect()
}
