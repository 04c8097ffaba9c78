//! Where a sync's writes go. A job's go to the store, each proved by its
//! lease, and to the provider. A rehearsal (the preview, API.md "Preview")
//! runs the very same steps, but stores nothing and sends no write to the
//! provider: its provider reads are real, and each write is recorded with a
//! plausible answer so the steps after it run as they would.

use crate::job::{Fence, JobError};
use async_trait::async_trait;
use hiresync_core::{Education, Employment, NoteDraft, Person, PersonDraft, PlacedStage, ProviderKind, Target};
use hiresync_providers::{Capabilities, Created, CustomField, Page, People, Placement, Provider, Result, TargetOption};
use hiresync_store::{Store, Tx};
use std::sync::{Arc, Mutex, MutexGuard};

/// Where a sync's store and provider writes go.
#[derive(Clone, Copy, Debug)]
pub enum Writes<'a> {
    /// A job's: stored under its lease, sent to the provider.
    Job(Fence<'a>),
    /// A rehearsal's: recorded in it, neither stored nor sent.
    Rehearsal(&'a Rehearsal),
}

impl Writes<'_> {
    /// A write transaction proved by the job's lease; none in a rehearsal, which stores nothing.
    pub async fn begin(&self, store: &Store) -> Result<Option<Tx>, JobError> {
        match self {
            Writes::Job(fence) => fence.begin(store).await.map(Some),
            Writes::Rehearsal(_) => Ok(None),
        }
    }

    /// The provider the steps call: `real` for a job, `real` behind the recorder in a rehearsal.
    pub fn people(&self, real: Arc<dyn People>) -> Arc<dyn People> {
        match self {
            Writes::Job(_) => real,
            Writes::Rehearsal(r) => Arc::new(Rehearsed { real, log: Arc::clone(&r.log) }),
        }
    }
}

/// One provider write a rehearsal held back.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    /// A person created, placed on the target where given.
    Create { draft: PersonDraft, target: Option<Target> },
    /// Fields written on an existing person.
    Update { person_id: String, draft: PersonDraft },
    /// A person put on a target.
    Place { person_id: String, target: Target, as_prospect: bool },
    /// A placement moved to a stage.
    MoveStage { person_id: String, stage: String },
    /// A note written.
    Note { person_id: String, note: NoteDraft },
    /// Work history replaced.
    History { person_id: String, roles: Vec<Employment> },
    /// Education replaced.
    Education { person_id: String, schools: Vec<Education> },
}

/// The writes a rehearsal held back, in the order the steps made them.
#[derive(Debug, Default)]
pub struct Rehearsal {
    log: Arc<Mutex<Vec<Write>>>,
}

impl Rehearsal {
    /// The writes held back so far.
    pub fn writes(&self) -> Vec<Write> {
        lock(&self.log).clone()
    }
}

/// The id a rehearsal gives what it pretends to create: no provider uses it.
pub const REHEARSED_ID: &str = "preview";

fn lock(log: &Mutex<Vec<Write>>) -> MutexGuard<'_, Vec<Write>> {
    // A panic while pushing leaves the list whole; the poison says nothing about it.
    log.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A provider client whose reads go to the provider and whose writes are only recorded.
#[derive(Debug)]
struct Rehearsed {
    real: Arc<dyn People>,
    log: Arc<Mutex<Vec<Write>>>,
}

impl Rehearsed {
    fn record(&self, w: Write) {
        lock(&self.log).push(w);
    }
}

#[async_trait]
impl Provider for Rehearsed {
    fn kind(&self) -> ProviderKind {
        self.real.kind()
    }

    async fn check_credentials(&self) -> Result<()> {
        self.real.check_credentials().await
    }
}

#[async_trait]
impl People for Rehearsed {
    fn capabilities(&self) -> Capabilities {
        self.real.capabilities()
    }

    async fn find_person_by_email(&self, email: &str) -> Result<Option<Person>> {
        self.real.find_person_by_email(email).await
    }

    /// Answers with a person made of the draft.
    async fn create_person(&self, draft: &PersonDraft, target: Option<&Target>) -> Result<Created> {
        self.record(Write::Create { draft: draft.clone(), target: target.cloned() });
        let person = Person {
            id: REHEARSED_ID.to_owned(),
            emails: draft.emails.clone(),
            first_name: draft.first_name.clone(),
            last_name: draft.last_name.clone(),
            url: None,
            fields: draft.fields.clone(),
            created_at: Some(chrono::Utc::now()),
        };
        // Placed already: the real call places in the same request where the provider allows.
        let placement = target.map(|_| Placement { id: REHEARSED_ID.to_owned(), stage: PlacedStage::Unknown });
        Ok(Created { person, placement })
    }

    async fn update_person(&self, person_id: &str, draft: &PersonDraft) -> Result<Person> {
        self.record(Write::Update { person_id: person_id.to_owned(), draft: draft.clone() });
        Ok(Person {
            id: person_id.to_owned(),
            emails: draft.emails.clone(),
            first_name: draft.first_name.clone(),
            last_name: draft.last_name.clone(),
            url: None,
            fields: draft.fields.clone(),
            created_at: None,
        })
    }

    async fn place_person(&self, person_id: &str, target: &Target, as_prospect: bool) -> Result<Placement> {
        self.record(Write::Place { person_id: person_id.to_owned(), target: target.clone(), as_prospect });
        Ok(Placement { id: REHEARSED_ID.to_owned(), stage: PlacedStage::Unknown })
    }

    async fn move_stage(
        &self,
        person_id: &str,
        placement: &Placement,
        _target: Option<&Target>,
        stage: &str,
    ) -> Result<Placement> {
        self.record(Write::MoveStage { person_id: person_id.to_owned(), stage: stage.to_owned() });
        Ok(Placement { id: placement.id.clone(), stage: PlacedStage::At(stage.to_owned()) })
    }

    async fn find_note(&self, person_id: &str, note: &NoteDraft) -> Result<Option<String>> {
        if person_id == REHEARSED_ID {
            return Ok(None);
        }
        self.real.find_note(person_id, note).await
    }

    async fn write_note(&self, person_id: &str, note: &NoteDraft) -> Result<String> {
        self.record(Write::Note { person_id: person_id.to_owned(), note: note.clone() });
        Ok(REHEARSED_ID.to_owned())
    }

    async fn write_history(&self, person_id: &str, history: &[Employment]) -> Result<()> {
        self.record(Write::History { person_id: person_id.to_owned(), roles: history.to_vec() });
        Ok(())
    }

    async fn write_education(&self, person_id: &str, schools: &[Education]) -> Result<()> {
        self.record(Write::Education { person_id: person_id.to_owned(), schools: schools.to_vec() });
        Ok(())
    }

    async fn list_targets(&self) -> Result<Vec<TargetOption>> {
        self.real.list_targets().await
    }

    async fn list_target_people(&self, target: &Target, cursor: Option<&str>) -> Result<Page<Person>> {
        self.real.list_target_people(target, cursor).await
    }

    async fn target_person(&self, target: &Target, person_id: &str) -> Result<Option<Person>> {
        self.real.target_person(target, person_id).await
    }

    async fn placement_person(&self, placement_id: &str) -> Result<Option<String>> {
        self.real.placement_person(placement_id).await
    }

    async fn custom_fields(&self) -> Result<Vec<CustomField>> {
        self.real.custom_fields().await
    }

    async fn search_people(&self, filters: &[(String, String)]) -> Result<Vec<Person>> {
        self.real.search_people(filters).await
    }

    fn standard_fields(&self) -> Vec<&'static str> {
        self.real.standard_fields()
    }

    fn list_fields(&self) -> Vec<&'static str> {
        self.real.list_fields()
    }

    fn company_fields(&self) -> Vec<&'static str> {
        self.real.company_fields()
    }

    async fn off_limits(&self, person_id: &str) -> Result<Option<String>> {
        self.real.off_limits(person_id).await
    }

    fn person_url(&self, person_id: &str) -> String {
        self.real.person_url(person_id)
    }
}
