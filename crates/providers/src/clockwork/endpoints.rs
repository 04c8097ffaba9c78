//! Every Clockwork endpoint the client calls: its verb, path below
//! `/v3.0/{firm}` and query, each tagged with its confidence (`[S]`/`[U]`,
//! see `ASSUMPTIONS.md`), and the typed method that sends it and decodes the
//! envelope it answers with. A live check corrects a route here and nowhere else.

use super::client::{ClockworkClient, Listing, permanent};
use super::wire::Confidence::{self, Secondary, Unconfirmed};
use super::wire::{
    self, AddressBody, AddressFields, Candidacy, CandidacyBody, CandidacyFields, CustomFieldDef, CustomFieldValueBody,
    CustomFieldValueFields, Education, EducationBody, EducationFields, EmailBody, EmailFields, LinkedinBody,
    LinkedinFields, Note, NoteBody, Person, PersonBody, PersonTagBody, PersonTagFields, PhoneBody, PhoneFields,
    Position, PositionBody, PositionFields, Project, Status, Tag, WebSiteBody, WebSiteFields,
};
use crate::Result;
use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// API version segment of every path (`[S]` CW-PD `_apiUrl`).
pub const VERSION_SEGMENT: &str = "v3.0";
/// Page size asked for on `limit`/`offset` listings; the maximum is `[U]`.
pub const PAGE_SIZE: usize = 100;
/// Notes page size, as the community client reads them (`[S]`).
pub const NOTES_PAGE_SIZE: usize = 50;

/// One request: verb, path segments below `/v3.0/{firm}`, query pairs, and how sure we are of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// HTTP verb.
    pub method: Method,
    /// Path segments, each percent-encoded when the URL is built.
    pub segments: Vec<String>,
    /// Query pairs.
    pub query: Vec<(&'static str, String)>,
    /// Confidence in the verb and path.
    pub confidence: Confidence,
}

fn route(method: Method, segments: &[&str], confidence: Confidence) -> Route {
    Route { method, segments: segments.iter().map(|s| (*s).to_owned()).collect(), query: Vec::new(), confidence }
}

fn paged(mut r: Route, limit: usize, offset: usize) -> Route {
    r.query.push(("limit", limit.to_string()));
    r.query.push(("offset", offset.to_string()));
    r
}

/// `GET /people_search?q=<text>&limit=<n>` (`[S]` route; using it for email lookup is `[U]`).
pub fn people_search(q: &str, limit: usize) -> Route {
    let mut r = route(Method::GET, &["people_search"], Secondary);
    r.query.push(("q", q.to_owned()));
    r.query.push(("limit", limit.to_string()));
    r
}

/// `GET /people?limit&offset` (`[S]` CW-PD, unified.to: `limit`/`offset` only).
pub fn people(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["people"], Secondary), limit, offset)
}

/// `GET /people/{id}` (`[U]`: show route assumed from the REST layout).
pub fn person(id: &str) -> Route {
    route(Method::GET, &["people", id], Unconfirmed)
}

/// `POST /people` with [`PersonBody`] (`[S]` CW-PD create-person).
pub fn create_person() -> Route {
    route(Method::POST, &["people"], Secondary)
}

/// `PATCH /people/{id}` with [`PersonBody`] (`[U]`).
pub fn update_person(id: &str) -> Route {
    route(Method::PATCH, &["people", id], Unconfirmed)
}

/// `POST /people/{id}/email_addresses` (`[S]` CW-PD).
pub fn add_email(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "email_addresses"], Secondary)
}

/// `POST /people/{id}/phone_numbers` (`[S]` CW-PD).
pub fn add_phone(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "phone_numbers"], Secondary)
}

/// `POST /people/{id}/linkedin_urls` (`[S]` CW-PD).
pub fn add_linkedin(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "linkedin_urls"], Secondary)
}

/// `POST /people/{id}/addresses` with [`AddressBody`] (`[S]` CW-PD add-person-address).
pub fn add_address(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "addresses"], Secondary)
}

/// `POST /people/{id}/web_sites` with [`WebSiteBody`] (`[U]`: only the read's `preferredWebSite`
/// hints at it).
pub fn add_web_site(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "web_sites"], Unconfirmed)
}

/// `GET /custom_fields?limit&offset`: the firm's custom field definitions (`[U]`: custom fields
/// exist per the support site, their API was not found).
pub fn custom_fields(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["custom_fields"], Unconfirmed), limit, offset)
}

/// `PUT /people/{id}/custom_fields/{field_id}` with [`CustomFieldValueBody`] (`[U]`): sets one
/// value, so repeating it is harmless.
pub fn set_custom_field(person_id: &str, field_id: &str) -> Route {
    route(Method::PUT, &["people", person_id, "custom_fields", field_id], Unconfirmed)
}

/// `POST /people/{id}/tags` (`[S]` CW-PD add-person-tag).
pub fn add_tag(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "tags"], Secondary)
}

/// `GET /tags?limit&offset` (`[S]` CW-PD).
pub fn tags(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["tags"], Secondary), limit, offset)
}

/// `GET /people/{id}/positions` (`[S]` community clients).
pub fn positions(person_id: &str) -> Route {
    route(Method::GET, &["people", person_id, "positions"], Secondary)
}

/// `POST /people/{id}/positions` (`[S]` CW-PD add-person-position).
pub fn create_position(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "positions"], Secondary)
}

/// `DELETE /people/{id}/positions/{position_id}` (`[U]`).
pub fn delete_position(person_id: &str, position_id: &str) -> Route {
    route(Method::DELETE, &["people", person_id, "positions", position_id], Unconfirmed)
}

/// `GET /people/{id}/educations` (`[U]`: named like `positions`; no public code reads education).
pub fn educations(person_id: &str) -> Route {
    route(Method::GET, &["people", person_id, "educations"], Unconfirmed)
}

/// `POST /people/{id}/educations` with [`EducationBody`] (`[U]`).
pub fn create_education(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "educations"], Unconfirmed)
}

/// `DELETE /people/{id}/educations/{education_id}` (`[U]`).
pub fn delete_education(person_id: &str, education_id: &str) -> Route {
    route(Method::DELETE, &["people", person_id, "educations", education_id], Unconfirmed)
}

/// `GET /people/{id}/notes?limit=50&offset` (`[S]` community clients; `offset` `[U]`).
pub fn notes(person_id: &str, offset: usize) -> Route {
    paged(route(Method::GET, &["people", person_id, "notes"], Secondary), NOTES_PAGE_SIZE, offset)
}

/// `POST /people/{id}/notes` with [`NoteBody`] (`[U]`: only the v1 write is known).
pub fn create_note(person_id: &str) -> Route {
    route(Method::POST, &["people", person_id, "notes"], Unconfirmed)
}

/// `GET /projects?limit&offset` (`[S]` community Java client).
pub fn projects(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["projects"], Secondary), limit, offset)
}

/// `GET /statuses?limit&offset` (`[S]` route, Pipedream issue #8275; paging `[U]`).
pub fn statuses(limit: usize, offset: usize) -> Route {
    paged(route(Method::GET, &["statuses"], Secondary), limit, offset)
}

/// `GET /projects/{id}/candidacies?include=person&limit&offset` (`[S]` community TS client).
pub fn candidacies(project_id: &str, limit: usize, offset: usize) -> Route {
    let mut r = route(Method::GET, &["projects", project_id, "candidacies"], Secondary);
    r.query.push(("include", "person".to_owned()));
    paged(r, limit, offset)
}

/// `POST /projects/{id}/candidacies` with [`CandidacyBody`] (`[U]`).
pub fn create_candidacy(project_id: &str) -> Route {
    route(Method::POST, &["projects", project_id, "candidacies"], Unconfirmed)
}

/// `PATCH /candidacies/{id}` with [`CandidacyBody`] (`[U]`; the nested
/// `/projects/{pid}/candidacies/{id}` form is the alternative to check).
pub fn update_candidacy(candidacy_id: &str) -> Route {
    route(Method::PATCH, &["candidacies", candidacy_id], Unconfirmed)
}

/// `GET /people_search?limit=1`: the cheap authenticated read community clients use as a
/// credential check (`[S]`).
pub fn probe() -> Route {
    let mut r = route(Method::GET, &["people_search"], Secondary);
    r.query.push(("limit", "1".to_owned()));
    r
}

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
        let value = self.value(&people_search(q, SEARCH_LIMIT), op).await?;
        // `peopleSearch` is what one community client reads; `people` is the plain list's key.
        wire::many(&value, "peopleSearch")
            .or_else(|| wire::many(&value, "people"))
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `peopleSearch` list"))
    }

    /// People whose text matches `q`, for a search (possibly partial records).
    pub async fn search_text(&self, q: &str) -> Result<Vec<Person>> {
        let op = "search people";
        let value = self.value(&people_search(q, SEARCH_LIMIT), op).await?;
        wire::many(&value, "peopleSearch")
            .or_else(|| wire::many(&value, "people"))
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `peopleSearch` list"))
    }

    /// One page of the firm's people.
    pub async fn people_page(&self, offset: usize) -> Result<Listing<Person>> {
        self.page(&people(PAGE_SIZE, offset), "people", "search people").await
    }

    /// One person with its embedded collections.
    pub async fn person(&self, id: &str, operation: &str) -> Result<Person> {
        record(&self.value(&person(id), operation).await?, "person", operation)
    }

    /// `POST /people`.
    pub async fn create_person(&self, body: &PersonBody) -> Result<Person> {
        let op = "create person";
        record(&self.value_with(&create_person(), body, op).await?, "person", op)
    }

    /// `PATCH /people/{id}`.
    pub async fn update_person(&self, id: &str, body: &PersonBody) -> Result<()> {
        self.send_json(&update_person(id), body, "update person").await.map(|_| ())
    }

    /// Adds an email of type `location` (`work`, `home`, `other`) to a person.
    pub async fn add_email(&self, person_id: &str, address: &str, location: &str, operation: &str) -> Result<()> {
        let body = EmailBody { email: EmailFields { address: address.to_owned(), location: location.to_owned() } };
        self.send_json(&add_email(person_id), &body, operation).await.map(|_| ())
    }

    /// Adds a phone number of type `location` (`mobile`, `work`, `home`, `other`) to a person.
    pub async fn add_phone(&self, person_id: &str, digits: &str, location: &str, operation: &str) -> Result<()> {
        let body = PhoneBody { phone_number: PhoneFields { digits: digits.to_owned(), location: location.to_owned() } };
        self.send_json(&add_phone(person_id), &body, operation).await.map(|_| ())
    }

    /// Adds a LinkedIn profile to a person.
    pub async fn add_linkedin(&self, person_id: &str, url: &str, operation: &str) -> Result<()> {
        let body = LinkedinBody { linkedin_url: LinkedinFields { url: url.to_owned() } };
        self.send_json(&add_linkedin(person_id), &body, operation).await.map(|_| ())
    }

    /// Adds an address of type `location` to a person.
    pub async fn add_address(&self, person_id: &str, address: AddressFields, operation: &str) -> Result<()> {
        self.send_json(&add_address(person_id), &AddressBody { address }, operation).await.map(|_| ())
    }

    /// Adds a web site or social profile (`location` names the network) to a person.
    pub async fn add_web_site(&self, person_id: &str, url: &str, location: &str, operation: &str) -> Result<()> {
        let body = WebSiteBody { web_site: WebSiteFields { url: url.to_owned(), location: location.to_owned() } };
        self.send_json(&add_web_site(person_id), &body, operation).await.map(|_| ())
    }

    /// The firm's custom field definitions.
    pub async fn custom_fields(&self) -> Result<Vec<CustomFieldDef>> {
        self.all(|offset| custom_fields(PAGE_SIZE, offset), "customFields", "list custom fields").await
    }

    /// Sets one custom field of a person to `value` (text, an option id or option ids).
    pub async fn set_custom_field(&self, person_id: &str, field_id: &str, value: Value, operation: &str) -> Result<()> {
        let body = CustomFieldValueBody { custom_field_value: CustomFieldValueFields { value } };
        self.send_json(&set_custom_field(person_id, field_id), &body, operation).await.map(|_| ())
    }

    /// Tags a person with an existing firm tag.
    pub async fn add_tag(&self, person_id: &str, tag_id: &str) -> Result<()> {
        let body = PersonTagBody { person_tag: PersonTagFields { tag_id: tag_id.to_owned() } };
        self.send_json(&add_tag(person_id), &body, "update person").await.map(|_| ())
    }

    /// The firm's tags.
    pub async fn tags(&self) -> Result<Vec<Tag>> {
        self.all(|offset| tags(PAGE_SIZE, offset), "tags", "update person").await
    }

    /// A person's roles.
    pub async fn positions(&self, person_id: &str) -> Result<Vec<Position>> {
        let op = "write history";
        let value = self.value(&positions(person_id), op).await?;
        wire::many(&value, "personPositions")
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `personPositions` list"))
    }

    /// Adds a role.
    pub async fn create_position(&self, person_id: &str, position: PositionFields) -> Result<()> {
        let body = PositionBody { position };
        self.send_json(&create_position(person_id), &body, "write history").await.map(|_| ())
    }

    /// Removes a role.
    pub async fn delete_position(&self, person_id: &str, position_id: &str) -> Result<()> {
        self.send(&delete_position(person_id, position_id), "write history").await.map(|_| ())
    }

    /// A person's schools.
    pub async fn educations(&self, person_id: &str) -> Result<Vec<Education>> {
        let op = "write education";
        let value = self.value(&educations(person_id), op).await?;
        wire::many(&value, "personEducations")
            .ok_or_else(|| permanent(op, "unexpected response from Clockwork: no `personEducations` list"))
    }

    /// Adds a school.
    pub async fn create_education(&self, person_id: &str, education: EducationFields) -> Result<()> {
        let body = EducationBody { education };
        self.send_json(&create_education(person_id), &body, "write education").await.map(|_| ())
    }

    /// Removes a school.
    pub async fn delete_education(&self, person_id: &str, education_id: &str) -> Result<()> {
        self.send(&delete_education(person_id, education_id), "write education").await.map(|_| ())
    }

    /// Every note on a person's record.
    pub async fn notes(&self, person_id: &str) -> Result<Vec<Note>> {
        self.all(|offset| notes(person_id, offset), "notes", "write note").await
    }

    /// Writes a note on a person's record.
    pub async fn create_note(&self, person_id: &str, body: &NoteBody) -> Result<Note> {
        let op = "write note";
        record(&self.value_with(&create_note(person_id), body, op).await?, "note", op)
    }

    /// Every project.
    pub async fn projects(&self) -> Result<Vec<Project>> {
        self.all(|offset| projects(PAGE_SIZE, offset), "projects", "list targets").await
    }

    /// The firm's candidate statuses.
    pub async fn statuses(&self) -> Result<Vec<Status>> {
        self.all(|offset| statuses(PAGE_SIZE, offset), "statuses", "list targets").await
    }

    /// One page of a project's candidacies, people included.
    pub async fn candidacies_page(&self, project_id: &str, offset: usize) -> Result<Listing<Candidacy>> {
        self.page(&candidacies(project_id, PAGE_SIZE, offset), "candidacies", "list target people").await
    }

    /// Every candidacy of a project.
    pub async fn candidacies(&self, project_id: &str) -> Result<Vec<Candidacy>> {
        self.all(|offset| candidacies(project_id, PAGE_SIZE, offset), "candidacies", "place person").await
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
        record(&self.value_with(&create_candidacy(project_id), &body, op).await?, "candidacy", op)
    }

    /// Sets a candidacy's status.
    pub async fn update_candidacy(&self, candidacy_id: &str, status_id: &str) -> Result<()> {
        let body =
            CandidacyBody { candidacy: CandidacyFields { person_id: None, status_id: Some(status_id.to_owned()) } };
        self.send_json(&update_candidacy(candidacy_id), &body, "move stage").await.map(|_| ())
    }

    /// A cheap authenticated read, as the credential check.
    pub async fn probe(&self) -> Result<()> {
        self.send(&probe(), "check credentials").await.map(|_| ())
    }
}
