//! Typed Harvest v3 endpoints (§7.6–7.12). Reads use flat collections with
//! plural parent filters; writes keep ids in the path.

use super::client::GreenhouseClient;
use super::wire::{
    Application, ApplicationStage, Candidate, CandidateWrite, CreatedCandidate, CustomField, CustomFieldOption,
    Employment, Job, JobStage, Note, Pool, PoolStage, ProspectDetail,
};
use crate::Result;
use http::Method;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

/// Largest page Greenhouse serves (§7.4).
pub const MAX_PER_PAGE: &str = "500";

/// Largest `ids` / parent-id filter Greenhouse accepts.
pub const MAX_IDS: usize = 50;

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl GreenhouseClient {
    /// `/v3/<collection>` with query pairs.
    pub(crate) fn v3_url(&self, collection: &str, query: &[(&str, String)]) -> Result<Url> {
        let mut url = self.url(&format!("/v3/{collection}"))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    async fn list_by_ids<T: DeserializeOwned>(
        &self,
        collection: &str,
        filter: &str,
        ids: &[i64],
        extra: &[(&str, String)],
        op: &str,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(MAX_IDS) {
            let mut query = vec![(filter, join(chunk)), ("per_page", "500".to_owned())];
            query.extend(extra.iter().cloned());
            out.extend(self.all::<T>(self.v3_url(collection, &query)?, op).await?);
        }
        Ok(out)
    }

    /// Candidates holding `email` (exact, case-insensitive).
    pub async fn candidates_by_email(&self, email: &str) -> Result<Vec<Candidate>> {
        self.all(self.v3_url("candidates", &[("email", email.to_owned())])?, "lookup person").await
    }

    /// Candidates by id (chunked by 50).
    pub async fn candidates_by_ids(&self, ids: &[i64]) -> Result<Vec<Candidate>> {
        self.list_by_ids("candidates", "ids", ids, &[], "read people").await
    }

    /// `POST /v3/candidates`.
    pub async fn create_candidate(&self, body: &CandidateWrite) -> Result<CreatedCandidate> {
        self.json(Method::POST, self.v3_url("candidates", &[])?, Some(body), "create person").await
    }

    /// `PATCH /v3/candidates/{id}`; collections in `body` replace the stored ones. The answer is
    /// the candidate, though some answers wrap it in a one-element array.
    pub async fn update_candidate(&self, id: i64, body: &CandidateWrite) -> Result<Value> {
        self.json(Method::PATCH, self.url(&format!("/v3/candidates/{id}"))?, Some(body), "update person").await
    }

    /// A candidate's applications.
    pub async fn applications_of(&self, candidate_id: i64) -> Result<Vec<Application>> {
        self.list_by_ids("applications", "candidate_ids", &[candidate_id], &[], "read placements").await
    }

    /// One application by id.
    pub async fn application(&self, id: i64) -> Result<Option<Application>> {
        Ok(self
            .list_by_ids::<Application>("applications", "ids", &[id], &[], "read placement")
            .await?
            .into_iter()
            .next())
    }

    /// `POST /v3/applications`.
    pub async fn create_application(&self, body: &Value) -> Result<Application> {
        self.json(Method::POST, self.v3_url("applications", &[])?, Some(body), "place person").await
    }

    /// `PATCH /v3/applications/{id}`.
    pub async fn update_application(&self, id: i64, body: &Value) -> Result<()> {
        self.request(Method::PATCH, self.url(&format!("/v3/applications/{id}"))?, Some(body), "move stage")
            .await
            .map(|_| ())
    }

    /// `POST /v3/applications/{id}/move` from one job stage to another.
    pub async fn move_application(&self, id: i64, from_stage_id: i64, to_stage_id: i64) -> Result<()> {
        let body = json!({"from_stage_id": from_stage_id, "to_stage_id": to_stage_id});
        self.request(Method::POST, self.url(&format!("/v3/applications/{id}/move"))?, Some(&body), "move stage")
            .await
            .map(|_| ())
    }

    /// `POST /v3/applications/{id}/convert_to_candidate`: the prospect becomes a candidate on
    /// `job_id` at `stage_id`; the new candidate application is returned.
    pub async fn convert_to_candidate(&self, id: i64, job_id: i64, stage_id: i64) -> Result<Application> {
        let body = json!({"job_id": job_id, "to_job_interview_stage_id": stage_id});
        let url = self.url(&format!("/v3/applications/{id}/convert_to_candidate"))?;
        self.json(Method::POST, url, Some(&body), "move stage").await
    }

    /// The current stage row of an application.
    pub async fn current_stage(&self, application_id: i64) -> Result<Option<ApplicationStage>> {
        let rows: Vec<ApplicationStage> = self
            .list_by_ids(
                "application_stages",
                "application_ids",
                &[application_id],
                &[("current", "true".into())],
                "read stage",
            )
            .await?;
        Ok(rows.into_iter().find(|r| r.current != Some(false)))
    }

    /// Where a prospect application sits.
    pub async fn prospect_details(&self, application_ids: &[i64]) -> Result<Vec<ProspectDetail>> {
        self.list_by_ids("prospect_details", "application_ids", application_ids, &[], "read prospect pool").await
    }

    /// Notes of `candidate_id` written by `user_id` with `note_type`.
    pub async fn notes(&self, candidate_id: i64, user_id: i64, note_type: &str) -> Result<Vec<Note>> {
        let extra = [("user_ids", user_id.to_string()), ("type", note_type.to_owned())];
        self.list_by_ids("notes", "candidate_ids", &[candidate_id], &extra, "read notes").await
    }

    /// `POST /v3/notes`.
    pub async fn create_note(&self, body: &Value) -> Result<Note> {
        self.json(Method::POST, self.v3_url("notes", &[])?, Some(body), "write note").await
    }

    /// A candidate's employments.
    pub async fn employments(&self, candidate_id: i64) -> Result<Vec<Employment>> {
        self.list_by_ids("candidate_employments", "candidate_ids", &[candidate_id], &[], "read history").await
    }

    /// `POST /v3/candidate_employments`.
    pub async fn create_employment(&self, body: &Value) -> Result<()> {
        self.request(Method::POST, self.v3_url("candidate_employments", &[])?, Some(body), "write history")
            .await
            .map(|_| ())
    }

    /// `DELETE /v3/candidate_employments/{id}`.
    pub async fn delete_employment(&self, id: i64) -> Result<()> {
        self.request(Method::DELETE, self.url(&format!("/v3/candidate_employments/{id}"))?, None, "write history")
            .await
            .map(|_| ())
    }

    /// Open jobs.
    pub async fn open_jobs(&self) -> Result<Vec<Job>> {
        self.all(self.v3_url("jobs", &[("status", "open".into()), ("per_page", "500".into())])?, "list targets").await
    }

    /// Active stages of these jobs.
    pub async fn job_stages(&self, job_ids: &[i64]) -> Result<Vec<JobStage>> {
        self.list_by_ids("job_interview_stages", "job_ids", job_ids, &[("active", "true".into())], "list targets").await
    }

    /// Prospect pools.
    pub async fn pools(&self) -> Result<Vec<Pool>> {
        self.all(self.v3_url("prospect_pools", &[("per_page", "500".into())])?, "list targets").await
    }

    /// Stages of these pools.
    pub async fn pool_stages(&self, pool_ids: &[i64]) -> Result<Vec<PoolStage>> {
        self.list_by_ids("prospect_pool_stages", "prospect_pool_ids", pool_ids, &[], "list targets").await
    }

    /// Candidate custom field definitions.
    pub async fn candidate_custom_fields(&self) -> Result<Vec<CustomField>> {
        self.all(
            self.v3_url("custom_fields", &[("field_type", "candidate".into()), ("per_page", "500".into())])?,
            "list custom fields",
        )
        .await
    }

    /// Options of these custom fields.
    pub async fn custom_field_options(&self, field_ids: &[i64]) -> Result<Vec<CustomFieldOption>> {
        self.list_by_ids("custom_field_options", "custom_field_ids", field_ids, &[], "list custom fields").await
    }

    /// The first page of a job's active applications, or the page a cursor points at.
    pub async fn job_applications_page(
        &self,
        job_id: i64,
        cursor: Option<&str>,
    ) -> Result<(Vec<Application>, Option<String>)> {
        let url = match cursor {
            Some(next) => self.follow(next)?,
            None => self.v3_url(
                "applications",
                &[("job_ids", job_id.to_string()), ("status", "active".into()), ("per_page", "100".into())],
            )?,
        };
        self.page(url, "list target people").await
    }

    /// A cheap authenticated read, as the credential check.
    pub async fn probe(&self) -> Result<()> {
        self.page::<Job>(self.v3_url("jobs", &[("per_page", "1".into())])?, "check credentials").await.map(|_| ())
    }
}
