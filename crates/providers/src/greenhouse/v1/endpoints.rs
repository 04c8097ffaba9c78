//! Every legacy Harvest v1 endpoint the client calls (greenhouse.md §1.3):
//! its path, verb and query, and the typed method that calls it. Ids stay in
//! the path, candidates carry their applications and employments, and
//! listings page through `Link` headers. Basic auth and `On-Behalf-Of` on
//! writes come from [`super::auth::BasicKey`].

use super::wire::{
    CandidateCreate, EmailCreate, EmploymentCreate, NoteCreate, ProspectMove, V1ActivityFeed, V1Application,
    V1Candidate, V1Created, V1CustomField, V1JobStage, V1Pool,
};
use crate::Result;
use crate::greenhouse::GreenhouseClient;
use crate::greenhouse::client::permanent;
use crate::greenhouse::wire::{ApplicationWrite, CandidateWrite, Job, StageMove};
use http::Method;
use serde_json::Value;
use url::Url;

/// Page size asked for on v1 listings (the documented maximum).
pub const V1_PER_PAGE: &str = "500";

const CANDIDATES: &str = "/v1/candidates";
const PROSPECTS: &str = "/v1/prospects";
const APPLICATIONS: &str = "/v1/applications";
const JOBS: &str = "/v1/jobs";
const POOLS: &str = "/v1/prospect_pools";
const CANDIDATE_CUSTOM_FIELDS: &str = "/v1/custom_fields/candidate";

fn candidate(id: i64) -> String {
    format!("{CANDIDATES}/{id}")
}

fn application(id: i64) -> String {
    format!("{APPLICATIONS}/{id}")
}

impl GreenhouseClient {
    /// Candidates holding `email`.
    pub async fn v1_candidates_by_email(&self, email: &str) -> Result<Vec<V1Candidate>> {
        self.all(self.url_with(CANDIDATES, &[("email", email.to_owned())])?, "lookup person").await
    }

    /// One candidate, read through the `candidate_ids` filter.
    pub async fn v1_candidate(&self, id: i64, operation: &str) -> Result<V1Candidate> {
        let url = self.url_with(CANDIDATES, &[("candidate_ids", id.to_string())])?;
        let found = self.all::<V1Candidate>(url, operation).await?.into_iter().find(|c| c.id == id);
        found.ok_or_else(|| permanent(operation, format!("Candidate {id} not found")))
    }

    /// `POST /v1/prospects`: a candidate with one jobless prospect application.
    pub async fn v1_create_prospect(&self, body: &CandidateCreate) -> Result<V1Candidate> {
        self.json(Method::POST, self.url(PROSPECTS)?, Some(body), "create person").await
    }

    /// `POST /v1/candidates`: a candidate with the applications in `body.applications`.
    pub async fn v1_create_candidate(&self, body: &CandidateCreate) -> Result<V1Candidate> {
        self.json(Method::POST, self.url(CANDIDATES)?, Some(body), "create person").await
    }

    /// `PATCH /v1/candidates/{id}`; arrays in `body` replace the stored ones.
    pub async fn v1_update_candidate(&self, id: i64, body: &CandidateWrite) -> Result<()> {
        self.request(Method::PATCH, self.url(&candidate(id))?, Some(body), "update person").await.map(|_| ())
    }

    /// `POST /v1/candidates/{id}/applications` (a job application, or a prospect one with a pool).
    pub async fn v1_add_application(&self, candidate_id: i64, body: &ApplicationWrite) -> Result<V1Application> {
        let url = self.url(&format!("{}/applications", candidate(candidate_id)))?;
        self.json(Method::POST, url, Some(body), "place person").await
    }

    /// `PATCH /v1/applications/{id}` with `prospect_pool_id` / `prospect_stage_id`.
    pub async fn v1_move_prospect(&self, application_id: i64, pool_id: i64, stage_id: Option<i64>) -> Result<()> {
        let body = ProspectMove { prospect_pool_id: pool_id, prospect_stage_id: stage_id };
        let url = self.url(&application(application_id))?;
        self.request(Method::PATCH, url, Some(&body), "move stage").await.map(|_| ())
    }

    /// `POST /v1/applications/{id}/move`.
    pub async fn v1_move_application(&self, application_id: i64, from: i64, to: i64) -> Result<()> {
        let body = StageMove { from_stage_id: from, to_stage_id: to };
        let url = self.url(&format!("{}/move", application(application_id)))?;
        self.request(Method::POST, url, Some(&body), "move stage").await.map(|_| ())
    }

    /// `GET /v1/candidates/{id}/activity_feed`.
    pub async fn v1_activity_feed(&self, candidate_id: i64) -> Result<V1ActivityFeed> {
        let url = self.url(&format!("{}/activity_feed", candidate(candidate_id)))?;
        self.json(Method::GET, url, None, "read notes").await
    }

    /// `POST /v1/candidates/{id}/activity_feed/notes`.
    pub async fn v1_create_note(&self, candidate_id: i64, body: &NoteCreate) -> Result<V1Created> {
        let url = self.url(&format!("{}/activity_feed/notes", candidate(candidate_id)))?;
        self.json(Method::POST, url, Some(body), "write note").await
    }

    /// `POST /v1/candidates/{id}/activity_feed/emails`.
    pub async fn v1_create_email(&self, candidate_id: i64, body: &EmailCreate) -> Result<V1Created> {
        let url = self.url(&format!("{}/activity_feed/emails", candidate(candidate_id)))?;
        self.json(Method::POST, url, Some(body), "write note").await
    }

    /// `POST /v1/candidates/{id}/employments`.
    pub async fn v1_create_employment(&self, candidate_id: i64, body: &EmploymentCreate) -> Result<()> {
        let url = self.url(&format!("{}/employments", candidate(candidate_id)))?;
        self.request(Method::POST, url, Some(body), "write history").await.map(|_| ())
    }

    /// `DELETE /v1/candidates/{id}/employments/{employment_id}`.
    pub async fn v1_delete_employment(&self, candidate_id: i64, employment_id: i64) -> Result<()> {
        let url = self.url(&format!("{}/employments/{employment_id}", candidate(candidate_id)))?;
        self.request(Method::DELETE, url, None, "write history").await.map(|_| ())
    }

    /// Open jobs (v1 jobs carry the same `id`, `name`, `status` as v3's).
    pub async fn v1_open_jobs(&self) -> Result<Vec<Job>> {
        let url = self.url_with(JOBS, &[("status", "open".into()), ("per_page", V1_PER_PAGE.into())])?;
        self.all(url, "list targets").await
    }

    /// `GET /v1/jobs/{id}/stages`.
    pub async fn v1_job_stages(&self, job_id: i64) -> Result<Vec<V1JobStage>> {
        self.all(self.url(&format!("{JOBS}/{job_id}/stages"))?, "list targets").await
    }

    /// `GET /v1/prospect_pools`, stages embedded.
    pub async fn v1_pools(&self) -> Result<Vec<V1Pool>> {
        self.all(self.url_with(POOLS, &[("per_page", V1_PER_PAGE.into())])?, "list targets").await
    }

    /// `GET /v1/custom_fields/candidate`, options embedded.
    pub async fn v1_custom_fields(&self) -> Result<Vec<V1CustomField>> {
        self.all(self.url(CANDIDATE_CUSTOM_FIELDS)?, "list custom fields").await
    }

    /// The first page of a job's candidates (prospects excluded, §1.3), or the page a `next` link names.
    pub async fn v1_job_candidates_page(
        &self,
        job_id: i64,
        cursor: Option<&str>,
    ) -> Result<(Vec<V1Candidate>, Option<String>)> {
        let url = match cursor {
            Some(next) => self.follow(next)?,
            None => self.url_with(CANDIDATES, &[("job_id", job_id.to_string()), ("per_page", "100".into())])?,
        };
        self.page(url, "list target people").await
    }

    /// A cheap authenticated read, as the credential check.
    pub async fn v1_probe(&self) -> Result<()> {
        let url = self.url_with(JOBS, &[("per_page", "1".into())])?;
        self.page::<Value>(url, "check credentials").await.map(|_| ())
    }

    /// The first page of a candidate search: v1 filters by `email` only (§1.3).
    pub fn v1_candidate_search(&self, email: Option<&str>) -> Result<Url> {
        let mut query = vec![("per_page", V1_PER_PAGE.to_owned())];
        query.extend(email.map(|e| ("email", e.to_owned())));
        self.url_with(CANDIDATES, &query)
    }
}
