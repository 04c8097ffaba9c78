//! Typed legacy Harvest v1 endpoints (§1.3): ids in the path, candidates
//! carrying their applications and employments, `Link` page pagination.
//! Basic auth and `On-Behalf-Of` on writes come from [`GreenhouseClient`].

use super::client::GreenhouseClient;
use super::wire::{CandidateWrite, Job};
use super::wire_v1::{V1ActivityFeed, V1Application, V1Candidate, V1Created, V1CustomField, V1JobStage, V1Pool};
use crate::{ErrorKind, ProviderError, Result};
use hiresync_core::ProviderKind;
use http::Method;
use serde_json::{Value, json};
use url::Url;

/// Page size asked for on v1 listings (the documented maximum).
pub const V1_PER_PAGE: &str = "500";

impl GreenhouseClient {
    /// `/v1/<path>` with query pairs.
    pub(crate) fn v1_url(&self, path: &str, query: &[(&str, String)]) -> Result<Url> {
        let mut url = self.url(&format!("/v1/{path}"))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// Candidates holding `email`.
    pub async fn v1_candidates_by_email(&self, email: &str) -> Result<Vec<V1Candidate>> {
        self.all(self.v1_url("candidates", &[("email", email.to_owned())])?, "lookup person").await
    }

    /// One candidate, read through the `candidate_ids` filter.
    pub async fn v1_candidate(&self, id: i64, operation: &str) -> Result<V1Candidate> {
        let url = self.v1_url("candidates", &[("candidate_ids", id.to_string())])?;
        self.all::<V1Candidate>(url, operation).await?.into_iter().find(|c| c.id == id).ok_or_else(|| {
            ProviderError::new(
                ErrorKind::Permanent,
                ProviderKind::Greenhouse,
                operation,
                format!("Candidate {id} not found"),
            )
        })
    }

    /// `POST /v1/prospects`: a candidate with one jobless prospect application.
    pub async fn v1_create_prospect(&self, body: &CandidateWrite) -> Result<V1Candidate> {
        self.json(Method::POST, self.v1_url("prospects", &[])?, Some(body), "create person").await
    }

    /// `POST /v1/candidates`: a candidate with the applications in `body.applications`.
    pub async fn v1_create_candidate(&self, body: &CandidateWrite) -> Result<V1Candidate> {
        self.json(Method::POST, self.v1_url("candidates", &[])?, Some(body), "create person").await
    }

    /// `PATCH /v1/candidates/{id}`; arrays in `body` replace the stored ones.
    pub async fn v1_update_candidate(&self, id: i64, body: &CandidateWrite) -> Result<()> {
        let url = self.v1_url(&format!("candidates/{id}"), &[])?;
        self.request(Method::PATCH, url, Some(body), "update person").await.map(|_| ())
    }

    /// `POST /v1/candidates/{id}/applications` (a job application, or a prospect one with a pool).
    pub async fn v1_add_application(&self, candidate_id: i64, body: &Value) -> Result<V1Application> {
        let url = self.v1_url(&format!("candidates/{candidate_id}/applications"), &[])?;
        self.json(Method::POST, url, Some(body), "place person").await
    }

    /// `PATCH /v1/applications/{id}` with `prospect_pool_id` / `prospect_stage_id`.
    pub async fn v1_move_prospect(&self, application_id: i64, pool_id: i64, stage_id: Option<i64>) -> Result<()> {
        let body = json!({"prospect_pool_id": pool_id, "prospect_stage_id": stage_id});
        let url = self.v1_url(&format!("applications/{application_id}"), &[])?;
        self.request(Method::PATCH, url, Some(&body), "move stage").await.map(|_| ())
    }

    /// `POST /v1/applications/{id}/move`.
    pub async fn v1_move_application(&self, application_id: i64, from: i64, to: i64) -> Result<()> {
        let body = json!({"from_stage_id": from, "to_stage_id": to});
        let url = self.v1_url(&format!("applications/{application_id}/move"), &[])?;
        self.request(Method::POST, url, Some(&body), "move stage").await.map(|_| ())
    }

    /// `GET /v1/candidates/{id}/activity_feed`.
    pub async fn v1_activity_feed(&self, candidate_id: i64) -> Result<V1ActivityFeed> {
        let url = self.v1_url(&format!("candidates/{candidate_id}/activity_feed"), &[])?;
        self.json(Method::GET, url, None, "read notes").await
    }

    /// `POST /v1/candidates/{id}/activity_feed/{notes|emails}`.
    pub async fn v1_create_activity(&self, candidate_id: i64, kind: &str, body: &Value) -> Result<V1Created> {
        let url = self.v1_url(&format!("candidates/{candidate_id}/activity_feed/{kind}"), &[])?;
        self.json(Method::POST, url, Some(body), "write note").await
    }

    /// `POST /v1/candidates/{id}/employments`.
    pub async fn v1_create_employment(&self, candidate_id: i64, body: &Value) -> Result<()> {
        let url = self.v1_url(&format!("candidates/{candidate_id}/employments"), &[])?;
        self.request(Method::POST, url, Some(body), "write history").await.map(|_| ())
    }

    /// `DELETE /v1/candidates/{id}/employments/{employment_id}`.
    pub async fn v1_delete_employment(&self, candidate_id: i64, employment_id: i64) -> Result<()> {
        let url = self.v1_url(&format!("candidates/{candidate_id}/employments/{employment_id}"), &[])?;
        self.request(Method::DELETE, url, None, "write history").await.map(|_| ())
    }

    /// Open jobs (v1 jobs carry the same `id`, `name`, `status` as v3's).
    pub async fn v1_open_jobs(&self) -> Result<Vec<Job>> {
        let url = self.v1_url("jobs", &[("status", "open".into()), ("per_page", V1_PER_PAGE.into())])?;
        self.all(url, "list targets").await
    }

    /// `GET /v1/jobs/{id}/stages`.
    pub async fn v1_job_stages(&self, job_id: i64) -> Result<Vec<V1JobStage>> {
        self.all(self.v1_url(&format!("jobs/{job_id}/stages"), &[])?, "list targets").await
    }

    /// `GET /v1/prospect_pools`, stages embedded.
    pub async fn v1_pools(&self) -> Result<Vec<V1Pool>> {
        self.all(self.v1_url("prospect_pools", &[("per_page", V1_PER_PAGE.into())])?, "list targets").await
    }

    /// `GET /v1/custom_fields/candidate`, options embedded.
    pub async fn v1_custom_fields(&self) -> Result<Vec<V1CustomField>> {
        self.all(self.v1_url("custom_fields/candidate", &[])?, "list custom fields").await
    }

    /// The first page of a job's candidates (prospects excluded, §1.3), or the page a `next` link names.
    pub async fn v1_job_candidates_page(
        &self,
        job_id: i64,
        cursor: Option<&str>,
    ) -> Result<(Vec<V1Candidate>, Option<String>)> {
        let url = match cursor {
            Some(next) => self.follow(next)?,
            None => self.v1_url("candidates", &[("job_id", job_id.to_string()), ("per_page", "100".into())])?,
        };
        self.page(url, "list target people").await
    }

    /// A cheap authenticated read, as the credential check.
    pub async fn v1_probe(&self) -> Result<()> {
        let url = self.v1_url("jobs", &[("per_page", "1".into())])?;
        self.page::<Value>(url, "check credentials").await.map(|_| ())
    }
}
