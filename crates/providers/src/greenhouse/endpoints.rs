//! Every Harvest v3 endpoint the client calls (greenhouse.md §7.6–7.12): its
//! path, verb and query, and the typed method that calls it. Reads use flat
//! collections with plural parent filters; writes keep ids in the path.

use super::client::GreenhouseClient;
use super::wire::{
    Application, ApplicationStage, ApplicationWrite, Candidate, CandidateWrite, ConvertToCandidate, CreatedCandidate,
    CustomField, CustomFieldOption, Employment, EmploymentWrite, Job, JobStage, Note, NoteWrite, Pool, PoolMove,
    PoolStage, ProspectDetail, StageMove, User,
};
use crate::Result;
use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

/// The token endpoint, relative to the token host.
pub const TOKEN: &str = "token";
const CANDIDATES: &str = "/v3/candidates";
const APPLICATIONS: &str = "/v3/applications";
const APPLICATION_STAGES: &str = "/v3/application_stages";
const PROSPECT_DETAILS: &str = "/v3/prospect_details";
const NOTES: &str = "/v3/notes";
const EMPLOYMENTS: &str = "/v3/candidate_employments";
const JOBS: &str = "/v3/jobs";
const JOB_STAGES: &str = "/v3/job_interview_stages";
const POOLS: &str = "/v3/prospect_pools";
const POOL_STAGES: &str = "/v3/prospect_pool_stages";
const CUSTOM_FIELDS: &str = "/v3/custom_fields";
const CUSTOM_FIELD_OPTIONS: &str = "/v3/custom_field_options";
const USERS: &str = "/v3/users";

fn candidate(id: i64) -> String {
    format!("{CANDIDATES}/{id}")
}

fn application(id: i64) -> String {
    format!("{APPLICATIONS}/{id}")
}

fn employment(id: i64) -> String {
    format!("{EMPLOYMENTS}/{id}")
}

/// Largest page Greenhouse serves (§7.4).
pub const MAX_PER_PAGE: &str = "500";

/// Largest `ids` / parent-id filter Greenhouse accepts.
pub const MAX_IDS: usize = 50;

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl GreenhouseClient {
    async fn list_by_ids<T: DeserializeOwned>(
        &self,
        path: &str,
        filter: &str,
        ids: &[i64],
        extra: &[(&str, String)],
        op: &str,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(MAX_IDS) {
            let mut query = vec![(filter, join(chunk)), ("per_page", "500".to_owned())];
            query.extend(extra.iter().cloned());
            out.extend(self.all::<T>(self.url_with(path, &query)?, op).await?);
        }
        Ok(out)
    }

    /// Candidates holding `email` (exact, case-insensitive).
    pub async fn candidates_by_email(&self, email: &str) -> Result<Vec<Candidate>> {
        self.all(self.url_with(CANDIDATES, &[("email", email.to_owned())])?, "lookup person").await
    }

    /// Active users whose primary email is `email` (exact).
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<User>> {
        let users: Vec<User> =
            self.all(self.url_with(USERS, &[("primary_email", email.to_owned())])?, "find user").await?;
        Ok(users.into_iter().filter(|u| u.deactivated != Some(true)).collect())
    }

    /// The active user `id`, if there is one.
    pub async fn active_user(&self, id: i64) -> Result<Option<User>> {
        let users: Vec<User> = self.list_by_ids(USERS, "ids", &[id], &[], "read user").await?;
        Ok(users.into_iter().find(|u| u.id == id && u.deactivated != Some(true)))
    }

    /// Candidates by id (chunked by 50).
    pub async fn candidates_by_ids(&self, ids: &[i64]) -> Result<Vec<Candidate>> {
        self.list_by_ids(CANDIDATES, "ids", ids, &[], "read people").await
    }

    /// `POST /v3/candidates`.
    pub async fn create_candidate(&self, body: &CandidateWrite) -> Result<CreatedCandidate> {
        self.json(Method::POST, self.url(CANDIDATES)?, Some(body), "create person").await
    }

    /// `PATCH /v3/candidates/{id}`; collections in `body` replace the stored ones. The answer is
    /// the candidate, though some answers wrap it in a one-element array.
    pub async fn update_candidate(&self, id: i64, body: &CandidateWrite) -> Result<Value> {
        self.json(Method::PATCH, self.url(&candidate(id))?, Some(body), "update person").await
    }

    /// A candidate's applications.
    pub async fn applications_of(&self, candidate_id: i64) -> Result<Vec<Application>> {
        self.list_by_ids(APPLICATIONS, "candidate_ids", &[candidate_id], &[], "read placements").await
    }

    /// One application by id.
    pub async fn application(&self, id: i64) -> Result<Option<Application>> {
        Ok(self.list_by_ids::<Application>(APPLICATIONS, "ids", &[id], &[], "read placement").await?.into_iter().next())
    }

    /// `POST /v3/applications`.
    pub async fn create_application(&self, body: &ApplicationWrite) -> Result<Application> {
        self.json(Method::POST, self.url(APPLICATIONS)?, Some(body), "place person").await
    }

    /// `PATCH /v3/applications/{id}`: a prospect's pool and pool stage.
    pub async fn move_prospect(&self, id: i64, body: &PoolMove) -> Result<()> {
        self.request(Method::PATCH, self.url(&application(id))?, Some(body), "move stage").await.map(|_| ())
    }

    /// `POST /v3/applications/{id}/move` from one job stage to another.
    pub async fn move_application(&self, id: i64, from_stage_id: i64, to_stage_id: i64) -> Result<()> {
        let body = StageMove { from_stage_id, to_stage_id };
        let url = self.url(&format!("{}/move", application(id)))?;
        self.request(Method::POST, url, Some(&body), "move stage").await.map(|_| ())
    }

    /// `POST /v3/applications/{id}/convert_to_candidate`: the prospect becomes a candidate on
    /// `job_id` at `stage_id`; the new candidate application is returned.
    pub async fn convert_to_candidate(&self, id: i64, job_id: i64, stage_id: i64) -> Result<Application> {
        let body = ConvertToCandidate { job_id, to_job_interview_stage_id: stage_id };
        let url = self.url(&format!("{}/convert_to_candidate", application(id)))?;
        self.json(Method::POST, url, Some(&body), "move stage").await
    }

    /// The current stage row of an application.
    pub async fn current_stage(&self, application_id: i64) -> Result<Option<ApplicationStage>> {
        let rows: Vec<ApplicationStage> = self
            .list_by_ids(
                APPLICATION_STAGES,
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
        self.list_by_ids(PROSPECT_DETAILS, "application_ids", application_ids, &[], "read prospect pool").await
    }

    /// Notes of `candidate_id` written by `user_id` with `note_type`.
    pub async fn notes(&self, candidate_id: i64, user_id: i64, note_type: &str) -> Result<Vec<Note>> {
        let extra = [("user_ids", user_id.to_string()), ("type", note_type.to_owned())];
        self.list_by_ids(NOTES, "candidate_ids", &[candidate_id], &extra, "read notes").await
    }

    /// `POST /v3/notes`.
    pub async fn create_note(&self, body: &NoteWrite) -> Result<Note> {
        self.json(Method::POST, self.url(NOTES)?, Some(body), "write note").await
    }

    /// A candidate's employments.
    pub async fn employments(&self, candidate_id: i64) -> Result<Vec<Employment>> {
        self.list_by_ids(EMPLOYMENTS, "candidate_ids", &[candidate_id], &[], "read history").await
    }

    /// `POST /v3/candidate_employments`.
    pub async fn create_employment(&self, body: &EmploymentWrite) -> Result<()> {
        self.request(Method::POST, self.url(EMPLOYMENTS)?, Some(body), "write history").await.map(|_| ())
    }

    /// `DELETE /v3/candidate_employments/{id}`.
    pub async fn delete_employment(&self, id: i64) -> Result<()> {
        self.request(Method::DELETE, self.url(&employment(id))?, None, "write history").await.map(|_| ())
    }

    /// Open jobs.
    pub async fn open_jobs(&self) -> Result<Vec<Job>> {
        self.all(self.url_with(JOBS, &[("status", "open".into()), ("per_page", "500".into())])?, "list targets").await
    }

    /// Active stages of these jobs.
    pub async fn job_stages(&self, job_ids: &[i64]) -> Result<Vec<JobStage>> {
        self.list_by_ids(JOB_STAGES, "job_ids", job_ids, &[("active", "true".into())], "list targets").await
    }

    /// Prospect pools.
    pub async fn pools(&self) -> Result<Vec<Pool>> {
        self.all(self.url_with(POOLS, &[("per_page", "500".into())])?, "list targets").await
    }

    /// Stages of these pools.
    pub async fn pool_stages(&self, pool_ids: &[i64]) -> Result<Vec<PoolStage>> {
        self.list_by_ids(POOL_STAGES, "prospect_pool_ids", pool_ids, &[], "list targets").await
    }

    /// Candidate custom field definitions.
    pub async fn candidate_custom_fields(&self) -> Result<Vec<CustomField>> {
        self.all(
            self.url_with(CUSTOM_FIELDS, &[("field_type", "candidate".into()), ("per_page", "500".into())])?,
            "list custom fields",
        )
        .await
    }

    /// Options of these custom fields.
    pub async fn custom_field_options(&self, field_ids: &[i64]) -> Result<Vec<CustomFieldOption>> {
        self.list_by_ids(CUSTOM_FIELD_OPTIONS, "custom_field_ids", field_ids, &[], "list custom fields").await
    }

    /// The first page of a job's active applications, or the page a cursor points at.
    pub async fn job_applications_page(
        &self,
        job_id: i64,
        cursor: Option<&str>,
    ) -> Result<(Vec<Application>, Option<String>)> {
        let url = match cursor {
            Some(next) => self.follow(next)?,
            None => self.url_with(
                APPLICATIONS,
                &[("job_ids", job_id.to_string()), ("status", "active".into()), ("per_page", "100".into())],
            )?,
        };
        self.page(url, "list target people").await
    }

    /// A candidate's active applications on one job: what [`Self::job_applications_page`]
    /// would list of them.
    pub async fn job_applications_of(&self, candidate_id: i64, job_id: i64) -> Result<Vec<Application>> {
        let extra = [("job_ids", job_id.to_string()), ("status", "active".to_owned())];
        self.list_by_ids(APPLICATIONS, "candidate_ids", &[candidate_id], &extra, "read target person").await
    }

    /// A cheap authenticated read, as the credential check.
    pub async fn probe(&self) -> Result<()> {
        self.page::<Job>(self.url_with(JOBS, &[("per_page", "1".into())])?, "check credentials").await.map(|_| ())
    }

    /// The first page of a candidate search: `email` and `tag` are the documented candidate
    /// filters (§7.6); the caller matches the rest.
    pub fn candidate_search(&self, email: Option<&str>, tag: Option<&str>) -> Result<Url> {
        let mut query = vec![("per_page", MAX_PER_PAGE.to_owned())];
        query.extend(email.map(|e| ("email", e.to_owned())));
        query.extend(tag.map(|t| ("tag", t.to_owned())));
        self.url_with(CANDIDATES, &query)
    }
}
