//! Every Teamtailor endpoint the client calls: its path and query, and the
//! typed method that calls it. Candidates (lookup, create, update, notes,
//! custom field values, uploads), users, jobs and their stages, and job
//! applications. The contracts feature (SPEC B) uses the custom-field and
//! upload methods.

use super::client::{PAGE_SIZE, TeamtailorClient, permanent};
use super::wire::{
    Candidate, CandidateAttributes, CandidateWrite, CustomFieldDef, CustomFieldOption, CustomFieldValue,
    CustomFieldValueAttributes, CustomFieldValueWrite, Document, Job, JobApplication, JobApplicationAttributes,
    JobApplicationCreate, JobAttributes, Note, NoteAttributes, NoteCreate, Stage, StageAttributes, Upload,
    UploadAttributes, UploadCreate, User, UserAttributes, WriteDocument, typed,
};
use crate::Result;
use http::Method;
use serde_json::Value;
use std::collections::BTreeMap;

const CANDIDATES: &str = "/v1/candidates";
const NOTES: &str = "/v1/notes";
const CUSTOM_FIELDS: &str = "/v1/custom-fields";
const CUSTOM_FIELD_OPTIONS: &str = "/v1/custom-field-options";
const CUSTOM_FIELD_VALUES: &str = "/v1/custom-field-values";
const UPLOADS: &str = "/v1/uploads";
const USERS: &str = "/v1/users";
const JOBS: &str = "/v1/jobs";
const JOB_APPLICATIONS: &str = "/v1/job-applications";

/// A candidate, or one of its related-resource collections (`notes`, `uploads`, ...).
fn candidate(id: &str, related: &str) -> String {
    if related.is_empty() { format!("{CANDIDATES}/{id}") } else { format!("{CANDIDATES}/{id}/{related}") }
}

fn size() -> String {
    PAGE_SIZE.to_string()
}

/// A candidate's custom field value with the definition it belongs to.
#[derive(Clone, Debug)]
pub struct FieldValue {
    /// The value resource.
    pub value: CustomFieldValue,
    /// Its definition, when Teamtailor included it.
    pub field: Option<CustomFieldDef>,
}

impl TeamtailorClient {
    /// Candidates holding `email` (`filter[email]`, unique per company).
    pub async fn candidates_by_email(&self, email: &str) -> Result<Vec<Candidate>> {
        let url = self.url(CANDIDATES, &[("filter[email]", email), ("page[size]", &size())])?;
        Ok(self.all::<CandidateAttributes>(url, "lookup person").await?.data)
    }

    /// The first page of a candidate search: `filter[email]` and `filter[connected]` are the
    /// documented candidate filters; other attributes are matched by the caller.
    pub fn candidates_search_url(&self, email: Option<&str>, connected: Option<&str>) -> Result<url::Url> {
        let size = size();
        let mut query = vec![("page[size]", size.as_str())];
        if let Some(email) = email {
            query.push(("filter[email]", email));
        }
        if let Some(connected) = connected {
            query.push(("filter[connected]", connected));
        }
        self.url(CANDIDATES, &query)
    }

    /// One page of candidates and the next page's link.
    pub async fn candidates_page(&self, url: url::Url) -> Result<(Vec<Candidate>, Option<String>)> {
        let page = self.page::<CandidateAttributes>(url, "search people").await?;
        Ok((page.data, page.links.next.filter(|n| !n.is_empty())))
    }

    /// One candidate.
    pub async fn candidate(&self, id: &str) -> Result<Candidate> {
        Ok(self.one(self.url(&candidate(id, ""), &[])?, "read person").await?.data)
    }

    /// `POST /v1/candidates`.
    pub async fn create_candidate(&self, attributes: &CandidateWrite) -> Result<Candidate> {
        let body = WriteDocument::new("candidates", None, Some(attributes));
        let url = self.url(CANDIDATES, &[])?;
        Ok(self.json::<Document<Candidate>, _>(Method::POST, url, Some(&body), "create person").await?.data)
    }

    /// `PATCH /v1/candidates/{id}` with the attributes present in `attributes`.
    pub async fn update_candidate(&self, id: &str, attributes: &CandidateWrite) -> Result<Candidate> {
        let body = WriteDocument::new("candidates", Some(id), Some(attributes));
        let url = self.url(&candidate(id, ""), &[])?;
        Ok(self.json::<Document<Candidate>, _>(Method::PATCH, url, Some(&body), "update person").await?.data)
    }

    /// A candidate's notes (`/v1/candidates/{id}/notes`).
    pub async fn candidate_notes(&self, candidate_id: &str) -> Result<Vec<Note>> {
        let url = self.url(&candidate(candidate_id, "notes"), &[("page[size]", &size())])?;
        Ok(self.all::<NoteAttributes>(url, "read notes").await?.data)
    }

    /// `POST /v1/notes` on a candidate, authored by `user_id` when given.
    pub async fn create_note(
        &self,
        candidate_id: &str,
        text: &str,
        user_id: Option<&str>,
        private_note: bool,
    ) -> Result<Note> {
        let note = NoteCreate { note: text.to_owned(), private_note };
        let mut body = WriteDocument::new("notes", None, Some(note)).relate("candidate", "candidates", candidate_id);
        if let Some(user) = user_id {
            body = body.relate("user", "users", user);
        }
        let url = self.url(NOTES, &[])?;
        Ok(self.json::<Document<Note>, _>(Method::POST, url, Some(&body), "write note").await?.data)
    }

    /// Every custom field definition.
    pub async fn custom_field_definitions(&self) -> Result<Vec<CustomFieldDef>> {
        let url = self.url(CUSTOM_FIELDS, &[("page[size]", &size())])?;
        Ok(self.all(url, "list custom fields").await?.data)
    }

    /// Select options grouped by their custom field id (`include=custom-field` links them).
    pub async fn custom_field_options(&self) -> Result<BTreeMap<String, Vec<CustomFieldOption>>> {
        let url = self.url(CUSTOM_FIELD_OPTIONS, &[("include", "custom-field"), ("page[size]", &size())])?;
        let options = self.all(url, "list custom fields").await?.data;
        let mut grouped: BTreeMap<String, Vec<CustomFieldOption>> = BTreeMap::new();
        for option in options {
            if let Some(field) = option.related_id("custom-field").map(str::to_owned) {
                grouped.entry(field).or_default().push(option);
            }
        }
        Ok(grouped)
    }

    /// A candidate's custom field values with their definitions (`include=custom-field`).
    pub async fn candidate_custom_field_values(&self, candidate_id: &str) -> Result<Vec<FieldValue>> {
        let url = self.url(
            &candidate(candidate_id, "custom-field-values"),
            &[("include", "custom-field"), ("page[size]", &size())],
        )?;
        let collected = self.all::<CustomFieldValueAttributes>(url, "read custom fields").await?;
        let fields: Vec<CustomFieldDef> =
            [typed(&collected.included, "custom-fields"), typed(&collected.included, "custom-field-selects")].concat();
        Ok(collected
            .data
            .into_iter()
            .map(|value| {
                let field = value.related_id("custom-field").and_then(|id| fields.iter().find(|f| f.id == id)).cloned();
                FieldValue { value, field }
            })
            .collect())
    }

    /// `POST /v1/custom-field-values`: sets `field_id` on a candidate.
    pub async fn create_custom_field_value(
        &self,
        candidate_id: &str,
        field_id: &str,
        value: &Value,
    ) -> Result<CustomFieldValue> {
        let body =
            WriteDocument::new("custom-field-values", None, Some(CustomFieldValueWrite { value: value.clone() }))
                .relate("custom-field", "custom-fields", field_id)
                .relate("owner", "candidates", candidate_id);
        let url = self.url(CUSTOM_FIELD_VALUES, &[])?;
        let doc: Document<CustomFieldValue> = self.json(Method::POST, url, Some(&body), "write custom field").await?;
        Ok(doc.data)
    }

    /// `PATCH /v1/custom-field-values/{id}`.
    pub async fn update_custom_field_value(&self, value_id: &str, value: &Value) -> Result<CustomFieldValue> {
        let attributes = CustomFieldValueWrite { value: value.clone() };
        let body = WriteDocument::new("custom-field-values", Some(value_id), Some(attributes));
        let url = self.url(&format!("{CUSTOM_FIELD_VALUES}/{value_id}"), &[])?;
        let doc: Document<CustomFieldValue> = self.json(Method::PATCH, url, Some(&body), "write custom field").await?;
        Ok(doc.data)
    }

    /// Sets a candidate's custom field: updates the existing value, creates one when empty,
    /// and does nothing when it already holds `value` (so replays write nothing).
    pub async fn upsert_custom_field_value(
        &self,
        candidate_id: &str,
        field_id: &str,
        value: &Value,
    ) -> Result<CustomFieldValue> {
        let existing = self.candidate_custom_field_values(candidate_id).await?.into_iter().find(|v| {
            v.value.related_id("custom-field") == Some(field_id) || v.field.as_ref().is_some_and(|f| f.id == field_id)
        });
        match existing {
            Some(v) if &v.value.attributes.value == value => Ok(v.value),
            Some(v) => self.update_custom_field_value(&v.value.id, value).await,
            None => self.create_custom_field_value(candidate_id, field_id, value).await,
        }
    }

    /// A candidate's uploads (`/v1/candidates/{id}/uploads`).
    pub async fn candidate_uploads(&self, candidate_id: &str) -> Result<Vec<Upload>> {
        let url = self.url(&candidate(candidate_id, "uploads"), &[("page[size]", &size())])?;
        Ok(self.all::<UploadAttributes>(url, "read uploads").await?.data)
    }

    /// `POST /v1/uploads`: Teamtailor fetches the file from the public `file_url`.
    pub async fn create_upload(
        &self,
        candidate_id: &str,
        file_url: &str,
        file_name: &str,
        internal: bool,
    ) -> Result<Upload> {
        if file_url.trim().is_empty() {
            return Err(permanent("attach file", "a public file URL is required"));
        }
        let attributes = UploadCreate { url: file_url.to_owned(), file_name: file_name.to_owned(), internal };
        let body =
            WriteDocument::new("uploads", None, Some(attributes)).relate("candidate", "candidates", candidate_id);
        let url = self.url(UPLOADS, &[])?;
        Ok(self.json::<Document<Upload>, _>(Method::POST, url, Some(&body), "attach file").await?.data)
    }

    /// Users holding `email` (`filter[email]`).
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<User>> {
        let url = self.url(USERS, &[("filter[email]", email), ("page[size]", &size())])?;
        Ok(self.all::<UserAttributes>(url, "read users").await?.data)
    }

    /// A cheap authenticated read needing the Admin scope we write with, as the credential check.
    pub async fn probe(&self) -> Result<()> {
        self.page::<CandidateAttributes>(self.url(CANDIDATES, &[("page[size]", "1")])?, "check credentials")
            .await
            .map(|_| ())
    }

    /// Jobs with `filter[status]` (`published` is Teamtailor's default; `all` lists every job).
    pub async fn jobs(&self, status: &str) -> Result<Vec<Job>> {
        let url = self.url(JOBS, &[("filter[status]", status), ("page[size]", &size())])?;
        Ok(self.all::<JobAttributes>(url, "list targets").await?.data)
    }

    /// A job's stages, ordered by `row-order`.
    pub async fn job_stages(&self, job_id: &str) -> Result<Vec<Stage>> {
        let url = self.url(&format!("{JOBS}/{job_id}/stages"), &[("page[size]", &size())])?;
        let mut stages = self.all::<StageAttributes>(url, "list targets").await?.data;
        stages.sort_by_key(|s| (s.attributes.row_order.unwrap_or(i64::MAX), s.id.parse::<i64>().unwrap_or(i64::MAX)));
        Ok(stages)
    }

    /// A candidate's job applications with their `job` and `stage` linkage.
    pub async fn candidate_applications(&self, candidate_id: &str) -> Result<Vec<JobApplication>> {
        let url = self
            .url(&candidate(candidate_id, "job-applications"), &[("include", "job,stage"), ("page[size]", &size())])?;
        Ok(self.all::<JobApplicationAttributes>(url, "read placements").await?.data)
    }

    /// One job application with its `job` and `stage` linkage.
    pub async fn job_application(&self, id: &str) -> Result<JobApplication> {
        let url = self.url(&format!("{JOB_APPLICATIONS}/{id}"), &[("include", "job,stage")])?;
        Ok(self.one(url, "read placement").await?.data)
    }

    /// One job application with its `candidate` linkage (JSON:API gives linkage only for
    /// what `include` names).
    pub async fn job_application_candidate(&self, id: &str) -> Result<JobApplication> {
        let url = self.url(&format!("{JOB_APPLICATIONS}/{id}"), &[("include", "candidate")])?;
        Ok(self.one(url, "read placement").await?.data)
    }

    /// `POST /v1/job-applications`: a sourced application of `candidate_id` to `job_id`, notifying nobody.
    pub async fn create_job_application(&self, candidate_id: &str, job_id: &str) -> Result<JobApplication> {
        let attributes =
            JobApplicationCreate { sourced: true, send_user_notifications: false, send_default_reply: false };
        let body = WriteDocument::new("job-applications", None, Some(attributes))
            .relate("candidate", "candidates", candidate_id)
            .relate("job", "jobs", job_id);
        let doc: Document<JobApplication> =
            self.json(Method::POST, self.url(JOB_APPLICATIONS, &[])?, Some(&body), "place person").await?;
        Ok(doc.data)
    }

    /// `PATCH /v1/job-applications/{id}` moving it to `stage_id`.
    pub async fn move_job_application(&self, id: &str, stage_id: &str) -> Result<JobApplication> {
        // Only the relationship changes: no attributes are sent.
        let body = WriteDocument::<()>::new("job-applications", Some(id), None).relate("stage", "stages", stage_id);
        let url = self.url(&format!("{JOB_APPLICATIONS}/{id}"), &[])?;
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
            None => self.url(&format!("{JOBS}/{job_id}/candidates"), &[("page[size]", &size())])?,
        };
        let page = self.page::<CandidateAttributes>(url, "list target people").await?;
        Ok((page.data, page.links.next.filter(|n| !n.is_empty())))
    }
}
