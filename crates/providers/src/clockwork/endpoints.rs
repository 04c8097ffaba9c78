//! Typed Clockwork endpoints over [`ClockworkClient`]: one method per
//! route in [`super::wire::routes`], decoding the envelope the route answers with.

use super::client::{ClockworkClient, Listing, permanent};
use super::wire::{
    self, Candidacy, CandidacyBody, CandidacyFields, Education, EducationBody, EducationFields, EmailBody, EmailFields,
    LinkedinBody, LinkedinFields, Note, NoteBody, Person, PersonBody, PersonTagBody, PersonTagFields, PhoneBody,
    PhoneFields, Position, PositionBody, PositionFields, Project, Status, Tag, routes,
};
use crate::Result;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How many search hits an email lookup reads; an exact address should never match more.
pub const SEARCH_LIMIT: usize = 25;

fn record<T: DeserializeOwned>(value: &Value, key: &str, operation: &str) -> Result<T> {
    wire::one(value, key)
        .ok_or_else(|| permanent(operation, format!("unexpected response from Clockwork: no `{key}` with an id")))
}

impl ClockworkClient {
    /// People whose text matches `q` (search results, possibly partial records).
    pub async fn search_people(&self, q: &str) -> Result<Vec<Person>> {
        let op = "lookup person";
        let value = self.value(&routes::people_search(q, SEARCH_LIMIT), op).await?;
        // `peopleSearch` is what one community client reads; `people` is the plain list's key.
        wire::many(&value, "peopleSearch")
            .or_else(|| wire::many(&value, "people"))
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `peopleSearch` list"))
    }

    /// People whose text matches `q`, for a search (possibly partial records).
    pub async fn search_text(&self, q: &str) -> Result<Vec<Person>> {
        let op = "search people";
        let value = self.value(&routes::people_search(q, SEARCH_LIMIT), op).await?;
        wire::many(&value, "peopleSearch")
            .or_else(|| wire::many(&value, "people"))
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `peopleSearch` list"))
    }

    /// One page of the firm's people.
    pub async fn people_page(&self, offset: usize) -> Result<Listing<Person>> {
        self.page(&routes::people(routes::PAGE_SIZE, offset), "people", "search people").await
    }

    /// One person with its embedded collections.
    pub async fn person(&self, id: &str, operation: &str) -> Result<Person> {
        record(&self.value(&routes::person(id), operation).await?, "person", operation)
    }

    /// `POST /people`.
    pub async fn create_person(&self, body: &PersonBody) -> Result<Person> {
        let op = "create person";
        record(&self.value_with(&routes::create_person(), body, op).await?, "person", op)
    }

    /// `PATCH /people/{id}`.
    pub async fn update_person(&self, id: &str, body: &PersonBody) -> Result<()> {
        self.send_json(&routes::update_person(id), body, "update person").await.map(|_| ())
    }

    /// Adds an email of type `location` (`work`, `home`, `other`) to a person.
    pub async fn add_email(&self, person_id: &str, address: &str, location: &str, operation: &str) -> Result<()> {
        let body = EmailBody { email: EmailFields { address: address.to_owned(), location: location.to_owned() } };
        self.send_json(&routes::add_email(person_id), &body, operation).await.map(|_| ())
    }

    /// Adds a phone number of type `location` (`mobile`, `work`, `home`, `other`) to a person.
    pub async fn add_phone(&self, person_id: &str, digits: &str, location: &str, operation: &str) -> Result<()> {
        let body = PhoneBody { phone_number: PhoneFields { digits: digits.to_owned(), location: location.to_owned() } };
        self.send_json(&routes::add_phone(person_id), &body, operation).await.map(|_| ())
    }

    /// Adds a LinkedIn profile to a person.
    pub async fn add_linkedin(&self, person_id: &str, url: &str, operation: &str) -> Result<()> {
        let body = LinkedinBody { linkedin_url: LinkedinFields { url: url.to_owned() } };
        self.send_json(&routes::add_linkedin(person_id), &body, operation).await.map(|_| ())
    }

    /// Tags a person with an existing firm tag.
    pub async fn add_tag(&self, person_id: &str, tag_id: &str) -> Result<()> {
        let body = PersonTagBody { person_tag: PersonTagFields { tag_id: tag_id.to_owned() } };
        self.send_json(&routes::add_tag(person_id), &body, "update person").await.map(|_| ())
    }

    /// The firm's tags.
    pub async fn tags(&self) -> Result<Vec<Tag>> {
        self.all(|offset| routes::tags(routes::PAGE_SIZE, offset), "tags", "update person").await
    }

    /// A person's roles.
    pub async fn positions(&self, person_id: &str) -> Result<Vec<Position>> {
        let op = "write history";
        let value = self.value(&routes::positions(person_id), op).await?;
        wire::many(&value, "personPositions")
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `personPositions` list"))
    }

    /// Adds a role.
    pub async fn create_position(&self, person_id: &str, position: PositionFields) -> Result<()> {
        let body = PositionBody { position };
        self.send_json(&routes::create_position(person_id), &body, "write history").await.map(|_| ())
    }

    /// Removes a role.
    pub async fn delete_position(&self, person_id: &str, position_id: &str) -> Result<()> {
        self.send(&routes::delete_position(person_id, position_id), "write history").await.map(|_| ())
    }

    /// A person's schools.
    pub async fn educations(&self, person_id: &str) -> Result<Vec<Education>> {
        let op = "write education";
        let value = self.value(&routes::educations(person_id), op).await?;
        wire::many(&value, "personEducations")
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `personEducations` list"))
    }

    /// Adds a school.
    pub async fn create_education(&self, person_id: &str, education: EducationFields) -> Result<()> {
        let body = EducationBody { education };
        self.send_json(&routes::create_education(person_id), &body, "write education").await.map(|_| ())
    }

    /// Removes a school.
    pub async fn delete_education(&self, person_id: &str, education_id: &str) -> Result<()> {
        self.send(&routes::delete_education(person_id, education_id), "write education").await.map(|_| ())
    }

    /// Every note on a person's record.
    pub async fn notes(&self, person_id: &str) -> Result<Vec<Note>> {
        self.all(|offset| routes::notes(person_id, offset), "notes", "write note").await
    }

    /// Writes a note on a person's record.
    pub async fn create_note(&self, person_id: &str, body: &NoteBody) -> Result<Note> {
        let op = "write note";
        record(&self.value_with(&routes::create_note(person_id), body, op).await?, "note", op)
    }

    /// Every project.
    pub async fn projects(&self) -> Result<Vec<Project>> {
        self.all(|offset| routes::projects(routes::PAGE_SIZE, offset), "projects", "list targets").await
    }

    /// The firm's candidate statuses.
    pub async fn statuses(&self) -> Result<Vec<Status>> {
        self.all(|offset| routes::statuses(routes::PAGE_SIZE, offset), "statuses", "list targets").await
    }

    /// One page of a project's candidacies, people included.
    pub async fn candidacies_page(&self, project_id: &str, offset: usize) -> Result<Listing<Candidacy>> {
        self.page(&routes::candidacies(project_id, routes::PAGE_SIZE, offset), "candidacies", "list target people")
            .await
    }

    /// Every candidacy of a project.
    pub async fn candidacies(&self, project_id: &str) -> Result<Vec<Candidacy>> {
        self.all(|offset| routes::candidacies(project_id, routes::PAGE_SIZE, offset), "candidacies", "place person")
            .await
    }

    /// Puts a person on a project, at `status_id` or Clockwork's default status.
    pub async fn create_candidacy(
        &self,
        project_id: &str,
        person_id: &str,
        status_id: Option<&str>,
    ) -> Result<Candidacy> {
        let op = "place person";
        let body = CandidacyBody {
            candidacy: CandidacyFields {
                person_id: Some(person_id.to_owned()),
                status_id: status_id.map(str::to_owned),
            },
        };
        record(&self.value_with(&routes::create_candidacy(project_id), &body, op).await?, "candidacy", op)
    }

    /// Sets a candidacy's status.
    pub async fn update_candidacy(&self, candidacy_id: &str, status_id: &str) -> Result<()> {
        let body =
            CandidacyBody { candidacy: CandidacyFields { person_id: None, status_id: Some(status_id.to_owned()) } };
        self.send_json(&routes::update_candidacy(candidacy_id), &body, "move stage").await.map(|_| ())
    }

    /// A cheap authenticated read, as the credential check.
    pub async fn probe(&self) -> Result<()> {
        self.send(&routes::probe(), "check credentials").await.map(|_| ())
    }
}
