//! Typed job endpoints: jobs and their stages, job applications (create,
//! read with their stage, move), and a job's candidates page by page.

use super::client::{PAGE_SIZE, TeamtailorClient};
use super::wire::{
    Candidate, CandidateAttributes, Document, Job, JobApplication, JobApplicationAttributes, JobAttributes, Stage,
    StageAttributes, to_one, write_document,
};
use crate::Result;
use http::Method;
use serde_json::{Map, json};

impl TeamtailorClient {
    /// Jobs with `filter[status]` (`published` is Teamtailor's default; `all` lists every job).
    pub async fn jobs(&self, status: &str) -> Result<Vec<Job>> {
        let url = self.url("/v1/jobs", &[("filter[status]", status), ("page[size]", &PAGE_SIZE.to_string())])?;
        Ok(self.all::<JobAttributes>(url, "list targets").await?.data)
    }

    /// A job's stages, ordered by `row-order`.
    pub async fn job_stages(&self, job_id: &str) -> Result<Vec<Stage>> {
        let url = self.url(&format!("/v1/jobs/{job_id}/stages"), &[("page[size]", &PAGE_SIZE.to_string())])?;
        let mut stages = self.all::<StageAttributes>(url, "list targets").await?.data;
        stages.sort_by_key(|s| (s.attributes.row_order.unwrap_or(i64::MAX), s.id.parse::<i64>().unwrap_or(i64::MAX)));
        Ok(stages)
    }

    /// A candidate's job applications with their `job` and `stage` linkage.
    pub async fn candidate_applications(&self, candidate_id: &str) -> Result<Vec<JobApplication>> {
        let url = self.url(
            &format!("/v1/candidates/{candidate_id}/job-applications"),
            &[("include", "job,stage"), ("page[size]", &PAGE_SIZE.to_string())],
        )?;
        Ok(self.all::<JobApplicationAttributes>(url, "read placements").await?.data)
    }

    /// One job application with its `job` and `stage` linkage.
    pub async fn job_application(&self, id: &str) -> Result<JobApplication> {
        let url = self.url(&format!("/v1/job-applications/{id}"), &[("include", "job,stage")])?;
        Ok(self.one(url, "read placement").await?.data)
    }

    /// `POST /v1/job-applications`: a sourced application of `candidate_id` to `job_id`, notifying nobody.
    pub async fn create_job_application(&self, candidate_id: &str, job_id: &str) -> Result<JobApplication> {
        let mut relationships = Map::new();
        relationships.insert("candidate".into(), to_one("candidates", candidate_id));
        relationships.insert("job".into(), to_one("jobs", job_id));
        let attributes = json!({"sourced": true, "send-user-notifications": false, "send-default-reply": false});
        let body = write_document("job-applications", None, attributes, relationships);
        let doc: Document<JobApplication> =
            self.json(Method::POST, self.url("/v1/job-applications", &[])?, Some(&body), "place person").await?;
        Ok(doc.data)
    }

    /// `PATCH /v1/job-applications/{id}` moving it to `stage_id`.
    pub async fn move_job_application(&self, id: &str, stage_id: &str) -> Result<JobApplication> {
        let mut relationships = Map::new();
        relationships.insert("stage".into(), to_one("stages", stage_id));
        let body = write_document("job-applications", Some(id), json!({}), relationships);
        let url = self.url(&format!("/v1/job-applications/{id}"), &[])?;
        let doc: Document<JobApplication> = self.json(Method::PATCH, url, Some(&body), "move stage").await?;
        Ok(doc.data)
    }

    /// One page of a job's candidates (`/v1/jobs/{id}/candidates`) and the next link.
    pub async fn job_candidates_page(
        &self,
        job_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<Candidate>, Option<String>)> {
        let url = match cursor {
            Some(next) => self.follow(next)?,
            None => self.url(&format!("/v1/jobs/{job_id}/candidates"), &[("page[size]", &PAGE_SIZE.to_string())])?,
        };
        let page = self.page::<CandidateAttributes>(url, "list target people").await?;
        Ok((page.data, page.links.next.filter(|n| !n.is_empty())))
    }
}
