//! One page of an import's run: the job reads the page from the provider and
//! brings its people in (see [`super::people`]), following the provider's
//! cursor verbatim, and commits them with its own completion, so a crash
//! resumes at the page it was on.

use super::people::{Page, Tally};
use crate::job::{Context, JobError, JobKind, MAX_ATTEMPTS, Outcome, SplitOff, complete};
use async_trait::async_trait;
use hiresync_core::{Target, WorkspaceId};
use hiresync_store::imports::{self, STOPPED};
use hiresync_store::queue::{self, ClaimedJob, PRIORITY_BULK};
use hiresync_store::{Store, StoreError, connections, now_ms, sequences};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long a recurring import waits after a run before the next (SPEC R3).
pub const INTERVAL: Duration = Duration::from_secs(3600);

/// The sync log's name for an import page.
const OPERATION: &str = "import";

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
    async fn on_dead(&self, store: &Store, _job: &ClaimedJob, error: &str) -> Result<Option<SplitOff>, StoreError> {
        imports::fail(&mut *store.conn().await?, &self.import_id, error).await?;
        Ok(None)
    }
}

/// Reads one page of an import; its people, the next page's job and its completion commit together.
async fn read_page(cx: &Context, job: &ClaimedJob, payload: &ImportPage) -> Result<Outcome, JobError> {
    let ImportPage { import_id, connection_id, cursor } = payload;
    let ws = WorkspaceId::from_stored(job.workspace_id.clone());
    let store = cx.store();
    let mut c = store.conn().await?;
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
    let provider = cx.clients().get(&conn)?;
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
    let page_of = Page { ws: &ws, conn: &conn, provider: provider.as_ref(), import: &import, sequence: &sequence };
    for person in &page.items {
        page_of.bring_in(&mut tx, person, &mut tally).await?;
    }
    // A provider that hands back the cursor it was given would loop forever; that ends the run.
    let next = page.next.filter(|n| Some(n) != cursor.as_ref());
    let detail = format!(
        "{} imported, {} already present, {} without email, {} seen before",
        tally.imported, tally.already_present, tally.no_email, tally.seen_before
    );
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
    complete(tx, job, OPERATION, why).await
}
