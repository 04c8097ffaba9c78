//! Imports (SPEC R2, R3): the people of a provider target become contacts
//! enrolled in a sequence, already linked to their person for the connection,
//! so nothing is ever created back in the provider for them.
//!
//! A run is a chain of jobs, one per page, each following the provider's
//! cursor verbatim and committing its page's people with its own completion:
//! a crash resumes at the page it was on. The last page of a recurring
//! import's run enqueues the next run an hour later; a stopped import's
//! pending run finds it stopped and does nothing.
//!
//! A new contact's external id is `<provider>-<person id>` (`greenhouse-4012`),
//! or `<provider>-<person id>-<connection id>` when that id is already held by
//! a contact sharing none of the person's emails (another tenant's person).
//!
//! Between runs, the ATS's own webhooks bring a person put on an imported
//! target in at once ([`arrival`]), through the same [`Intake`] a page uses:
//! whichever comes first imports them, the other finds them seen before.

mod arrival;

pub use arrival::{ImportArrival, enqueue as enqueue_arrival, receive};

use crate::job::{Context, JobError, JobKind, MAX_ATTEMPTS, Outcome, SplitOff, complete};
use crate::outbox;
use async_trait::async_trait;
use hiresync_core::decision::SyncState;
use hiresync_core::validation::{is_email, normalise_email};
use hiresync_core::{ContactIn, ImportId, Person, Target, UserId, WorkspaceId};
use hiresync_providers::People;
use hiresync_store::connections::Connection;
use hiresync_store::events::ContactSync;
use hiresync_store::imports::{self, ALREADY_PRESENT, IMPORTED, Import, NO_EMAIL, NewImport, STOPPED};
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_BULK};
use hiresync_store::sequences::Sequence;
use hiresync_store::{Db, Store, StoreError, connections, contacts, events, now_ms, sequences};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long a recurring import waits after a run before the next (SPEC R3).
pub const INTERVAL: Duration = Duration::from_secs(3600);

/// The sync log's name for an import page.
const OPERATION: &str = "import";

/// What to import.
#[derive(Clone, Debug)]
pub struct ImportRequest<'a> {
    /// The connection whose target is read, already checked as visible to the caller.
    pub connection: &'a Connection,
    /// The target, already checked against the provider's shape.
    pub target: &'a Target,
    /// The sequence people are enrolled in; it exists.
    pub sequence: &'a str,
    /// Run again every hour.
    pub recurring: bool,
    /// Who asked.
    pub created_by: &'a UserId,
}

/// Stores the import and its first run's job in one transaction.
pub async fn start(store: &Store, workspace: &WorkspaceId, req: &ImportRequest<'_>) -> Result<ImportId, StoreError> {
    let id = ImportId::generate();
    let target = req.target.to_json();
    let mut tx = store.begin().await?;
    let new = NewImport {
        id: &id,
        workspace_id: workspace,
        connection_id: &req.connection.id,
        target: &target,
        sequence: req.sequence,
        recurring: req.recurring,
        created_by: req.created_by,
    };
    imports::insert(&mut tx, &new).await?;
    let first = ImportPage::first(id.as_str(), req.connection.id.as_str());
    queue::enqueue(&mut tx, &first.new_job(workspace.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?).await?;
    tx.commit().await?;
    Ok(id)
}

/// The queue's ordering key of an import's runs (for bringing a scheduled run forward).
pub fn ordering_key(import_id: &str) -> String {
    ImportPage::first(import_id, "").ordering_key()
}

/// Read one page of an import's target and bring its people into the sequence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPage {
    /// The import.
    pub import_id: String,
    /// The connection whose target is read.
    pub connection_id: String,
    /// The provider's cursor for this page, followed verbatim; none starts a run.
    pub cursor: Option<String>,
}

impl ImportPage {
    /// The first page of a run of the import.
    pub fn first(import_id: &str, connection_id: &str) -> Self {
        Self { import_id: import_id.to_owned(), connection_id: connection_id.to_owned(), cursor: None }
    }
}

#[async_trait]
impl JobKind for ImportPage {
    fn kind(&self) -> &'static str {
        "import_run_v1"
    }

    fn operation(&self) -> &'static str {
        OPERATION
    }

    fn ordering_key(&self) -> String {
        format!("import:{}", self.import_id)
    }

    fn columns(&self) -> (Option<&str>, Option<&str>) {
        (Some(&self.connection_id), None)
    }

    async fn run(&self, cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        read_page(cx, job, self).await
    }

    /// The import is marked failed.
    async fn on_dead(&self, store: &Store, job: &ClaimedJob, error: &str) -> Result<Option<SplitOff>, StoreError> {
        let ws = WorkspaceId::from_stored(job.workspace_id.clone());
        let mut tx = store.begin().await?;
        imports::fail(&mut tx, &self.import_id, error).await?;
        outbox::import_finished(&mut tx, &ws, &self.import_id, Some(error)).await?;
        tx.commit().await?;
        Ok(None)
    }
}

/// What a page (or an arrival) did with its people.
#[derive(Default)]
struct Tally {
    imported: usize,
    already_present: usize,
    no_email: usize,
    seen_before: usize,
}

impl Tally {
    fn detail(&self) -> String {
        format!(
            "{} imported, {} already present, {} without email, {} seen before",
            self.imported, self.already_present, self.no_email, self.seen_before
        )
    }
}

/// Reads one page of an import; its people, the next page's job and its completion commit together.
async fn read_page(cx: &Context, job: &ClaimedJob, payload: &ImportPage) -> Result<Outcome, JobError> {
    let ImportPage { import_id, connection_id, cursor } = payload;
    let ws = WorkspaceId::from_stored(job.workspace_id.clone());
    let store = cx.store();
    let mut c = store.db().await?;
    let Some(import) = imports::get(&mut c, &ws, import_id).await? else {
        return complete(store.begin().await?, job, OPERATION, "the import no longer exists").await;
    };
    if import.state == STOPPED {
        return complete(store.begin().await?, job, OPERATION, "the import was stopped").await;
    }
    let conn = match connections::get(&mut c, &ws, &import.connection_id).await {
        Ok(conn) => conn,
        Err(StoreError::NotFound) => return give_up(store, job, payload, "the connection was deleted").await,
        Err(e) => return Err(e.into()),
    };
    let Some(sequence) = sequences::get(&mut c, &ws, &import.sequence).await? else {
        return give_up(store, job, payload, "the sequence no longer exists").await;
    };
    drop(c);
    let target = Target::parse(conn.provider, &import.target, "target")
        .map_err(|e| JobError::Broken(format!("stored import target: {e}")))?;
    let provider = cx.clients().people(&conn)?;
    let page = provider.list_target_people(&target, cursor.as_deref()).await?;
    let mut tx = store.begin().await?;
    // Checked again under the write: a stop that landed during the provider call wins.
    if imports::get(&mut tx, &ws, import_id).await?.is_none_or(|i| i.state == STOPPED) {
        return complete(tx, job, OPERATION, "the import was stopped").await;
    }
    if cursor.is_none() {
        imports::start_run(&mut tx, import_id).await?;
    }
    let mut tally = Tally::default();
    let intake = Intake { ws: &ws, conn: &conn, provider: provider.as_ref(), import: &import, sequence: &sequence };
    for person in &page.items {
        intake.bring_in(&mut tx, person, &mut tally).await?;
    }
    // A provider that hands back the cursor it was given would loop forever; that ends the run.
    let next = page.next.filter(|n| Some(n) != cursor.as_ref());
    let detail = tally.detail();
    match next {
        Some(next) => {
            let payload =
                ImportPage { import_id: import_id.clone(), connection_id: connection_id.clone(), cursor: Some(next) };
            queue::enqueue(&mut tx, &payload.new_job(ws.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, now_ms())?).await?;
        }
        None => {
            let now = now_ms();
            let next_run_at = import.recurring.then(|| now + i64::try_from(INTERVAL.as_millis()).unwrap_or(0));
            imports::finish_run(&mut tx, import_id, now, next_run_at).await?;
            outbox::import_finished(&mut tx, &ws, import_id, None).await?;
            if let Some(at) = next_run_at {
                let first = ImportPage::first(import_id, connection_id);
                queue::enqueue(&mut tx, &first.new_job(ws.as_str(), PRIORITY_BULK, MAX_ATTEMPTS, at)?).await?;
            }
        }
    }
    complete(tx, job, OPERATION, &detail).await
}

/// Ends the import as failed and completes the job: retrying cannot help.
async fn give_up(store: &Store, job: &ClaimedJob, payload: &ImportPage, why: &str) -> Result<Outcome, JobError> {
    let mut tx = store.begin().await?;
    imports::fail(&mut tx, &payload.import_id, why).await?;
    let ws = WorkspaceId::from_stored(job.workspace_id.clone());
    outbox::import_finished(&mut tx, &ws, &payload.import_id, Some(why)).await?;
    complete(tx, job, OPERATION, why).await
}

/// Where people read from an import's target go: its sequence, linked to their person on the
/// import's connection. A page and an arrival both bring their people in through it.
struct Intake<'a> {
    ws: &'a WorkspaceId,
    conn: &'a Connection,
    provider: &'a dyn People,
    import: &'a Import,
    sequence: &'a Sequence,
}

impl Intake<'_> {
    /// Brings one person into the sequence, unless this import already did.
    async fn bring_in(&self, c: &mut Db, person: &Person, tally: &mut Tally) -> Result<(), StoreError> {
        let import = self.import.id.as_str();
        if let Some(IMPORTED | ALREADY_PRESENT) = imports::person_outcome(c, import, &person.id).await?.as_deref() {
            tally.seen_before += 1;
            return Ok(());
        }
        let mut emails: Vec<String> = Vec::new();
        for e in person.emails.iter().map(|e| normalise_email(e)).filter(|e| is_email(e)) {
            if !emails.contains(&e) {
                emails.push(e);
            }
        }
        if emails.is_empty() {
            imports::record_person(c, import, &person.id, NO_EMAIL, None).await?;
            tally.no_email += 1;
            return Ok(());
        }
        if let Some(existing) = events::contact_for_person(c, &self.conn.id, &person.id).await? {
            self.enroll(c, &existing).await?;
            imports::record_person(c, import, &person.id, ALREADY_PRESENT, Some(&existing)).await?;
            tally.already_present += 1;
            return Ok(());
        }
        let (external_id, stored) = self.contact_for(c, person, &emails).await?;
        let mut contact = stored.unwrap_or_else(|| ContactIn {
            source: Some(format!("{} import", self.conn.provider.display_name())),
            ..ContactIn::default()
        });
        // An existing contact keeps what the outreach app gave it; the person only fills gaps.
        for e in &emails {
            if !contact.emails.contains(e) {
                contact.emails.push(e.clone());
            }
        }
        contact.first_name = contact.first_name.or_else(|| person.first_name.clone());
        contact.last_name = contact.last_name.or_else(|| person.last_name.clone());
        let data = serde_json::to_value(&contact)
            .map_err(|e| StoreError::Corrupt { column: "contacts.data", message: e.to_string() })?;
        contacts::upsert(c, self.ws, &external_id, &data).await?;
        let mut sync = ContactSync::new(self.conn.id.clone(), SyncState::Synced);
        sync.person_url = Some(person.url.clone().unwrap_or_else(|| self.provider.person_url(&person.id)));
        sync.person_id = Some(person.id.clone());
        sync.target = Some(self.import.target.clone());
        events::put_sync_state(c, self.ws, &external_id, &sync).await?;
        self.enroll(c, &external_id).await?;
        imports::record_person(c, import, &person.id, IMPORTED, Some(&external_id)).await?;
        tally.imported += 1;
        Ok(())
    }

    async fn enroll(&self, c: &mut Db, contact: &str) -> Result<(), StoreError> {
        events::enroll(c, self.ws, contact, &self.sequence.external_id, self.sequence.sync_disabled).await
    }

    /// The deterministic external id for a person, and the contact already stored under it.
    async fn contact_for(
        &self,
        c: &mut Db,
        person: &Person,
        emails: &[String],
    ) -> Result<(String, Option<ContactIn>), StoreError> {
        let base = format!("{}-{}", self.conn.provider.as_str(), person.id);
        let stored = read_contact(c, self.ws, &base).await?;
        match stored {
            Some(k) if !k.emails.iter().any(|e| emails.contains(e)) => {
                let own = format!("{base}-{}", self.conn.id.as_str());
                let stored = read_contact(c, self.ws, &own).await?;
                Ok((own, stored))
            }
            other => Ok((base, other)),
        }
    }
}

async fn read_contact(c: &mut Db, ws: &WorkspaceId, id: &str) -> Result<Option<ContactIn>, StoreError> {
    contacts::get(c, ws, id)
        .await?
        .map(|k| {
            serde_json::from_value(k.data)
                .map_err(|e| StoreError::Corrupt { column: "contacts.data", message: e.to_string() })
        })
        .transpose()
}
