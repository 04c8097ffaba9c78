//! Typed candidate endpoints: lookup, create and update, notes, custom field
//! definitions and values (read, create, update), uploads and users. The
//! contracts feature (SPEC B) uses the custom-field and upload methods.

use super::client::{PAGE_SIZE, TeamtailorClient, permanent};
use super::wire::{
    Candidate, CandidateAttributes, CandidateWrite, CustomFieldDef, CustomFieldOption, CustomFieldValue,
    CustomFieldValueAttributes, Document, Note, NoteAttributes, Upload, UploadAttributes, User, UserAttributes, to_one,
    typed, write_document,
};
use crate::Result;
use http::Method;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

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
        let url = self.url("/v1/candidates", &[("filter[email]", email), ("page[size]", &size())])?;
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
        self.url("/v1/candidates", &query)
    }

    /// One page of candidates and the next page's link.
    pub async fn candidates_page(&self, url: url::Url) -> Result<(Vec<Candidate>, Option<String>)> {
        let page = self.page::<CandidateAttributes>(url, "search people").await?;
        Ok((page.data, page.links.next.filter(|n| !n.is_empty())))
    }

    /// One candidate.
    pub async fn candidate(&self, id: &str) -> Result<Candidate> {
        Ok(self.one(self.url(&format!("/v1/candidates/{id}"), &[])?, "read person").await?.data)
    }

    /// `POST /v1/candidates`.
    pub async fn create_candidate(&self, attributes: &CandidateWrite) -> Result<Candidate> {
        let body = write_document("candidates", None, json!(attributes), Map::new());
        let url = self.url("/v1/candidates", &[])?;
        Ok(self.json::<Document<Candidate>>(Method::POST, url, Some(&body), "create person").await?.data)
    }

    /// `PATCH /v1/candidates/{id}` with the attributes present in `attributes`.
    pub async fn update_candidate(&self, id: &str, attributes: &CandidateWrite) -> Result<Candidate> {
        let body = write_document("candidates", Some(id), json!(attributes), Map::new());
        let url = self.url(&format!("/v1/candidates/{id}"), &[])?;
        Ok(self.json::<Document<Candidate>>(Method::PATCH, url, Some(&body), "update person").await?.data)
    }

    /// A candidate's notes (`/v1/candidates/{id}/notes`).
    pub async fn candidate_notes(&self, candidate_id: &str) -> Result<Vec<Note>> {
        let url = self.url(&format!("/v1/candidates/{candidate_id}/notes"), &[("page[size]", &size())])?;
        Ok(self.all::<NoteAttributes>(url, "read notes").await?.data)
    }

    /// `POST /v1/notes` on a candidate, authored by `user_id` when given.
    pub async fn create_note(&self, candidate_id: &str, text: &str, user_id: Option<&str>) -> Result<Note> {
        let mut relationships = Map::new();
        relationships.insert("candidate".into(), to_one("candidates", candidate_id));
        if let Some(user) = user_id {
            relationships.insert("user".into(), to_one("users", user));
        }
        let body = write_document("notes", None, json!({ "note": text }), relationships);
        let url = self.url("/v1/notes", &[])?;
        Ok(self.json::<Document<Note>>(Method::POST, url, Some(&body), "write note").await?.data)
    }

    /// Every custom field definition.
    pub async fn custom_field_definitions(&self) -> Result<Vec<CustomFieldDef>> {
        let url = self.url("/v1/custom-fields", &[("page[size]", &size())])?;
        Ok(self.all(url, "list custom fields").await?.data)
    }

    /// Select options grouped by their custom field id (`include=custom-field` links them).
    pub async fn custom_field_options(&self) -> Result<BTreeMap<String, Vec<CustomFieldOption>>> {
        let url = self.url("/v1/custom-field-options", &[("include", "custom-field"), ("page[size]", &size())])?;
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
            &format!("/v1/candidates/{candidate_id}/custom-field-values"),
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
        let mut relationships = Map::new();
        relationships.insert("custom-field".into(), to_one("custom-fields", field_id));
        relationships.insert("owner".into(), to_one("candidates", candidate_id));
        let body = write_document("custom-field-values", None, json!({ "value": value }), relationships);
        let url = self.url("/v1/custom-field-values", &[])?;
        let doc: Document<CustomFieldValue> = self.json(Method::POST, url, Some(&body), "write custom field").await?;
        Ok(doc.data)
    }

    /// `PATCH /v1/custom-field-values/{id}`.
    pub async fn update_custom_field_value(&self, value_id: &str, value: &Value) -> Result<CustomFieldValue> {
        let body = write_document("custom-field-values", Some(value_id), json!({ "value": value }), Map::new());
        let url = self.url(&format!("/v1/custom-field-values/{value_id}"), &[])?;
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
        let url = self.url(&format!("/v1/candidates/{candidate_id}/uploads"), &[("page[size]", &size())])?;
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
        let mut relationships = Map::new();
        relationships.insert("candidate".into(), to_one("candidates", candidate_id));
        let attributes = json!({"url": file_url, "file-name": file_name, "internal": internal});
        let body = write_document("uploads", None, attributes, relationships);
        let url = self.url("/v1/uploads", &[])?;
        Ok(self.json::<Document<Upload>>(Method::POST, url, Some(&body), "attach file").await?.data)
    }

    /// Users holding `email` (`filter[email]`).
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<User>> {
        let url = self.url("/v1/users", &[("filter[email]", email), ("page[size]", &size())])?;
        Ok(self.all::<UserAttributes>(url, "read users").await?.data)
    }

    /// A cheap authenticated read needing the Admin scope we write with, as the credential check.
    pub async fn probe(&self) -> Result<()> {
        self.page::<CandidateAttributes>(self.url("/v1/candidates", &[("page[size]", "1")])?, "check credentials")
            .await
            .map(|_| ())
    }
}
