//! Company-wide definitions every contact's sync needs, read once a minute
//! per connection instead of once per contact: the custom fields with their
//! select options, and each job's Inbox stage (where a new application lands).

use super::client::TeamtailorClient;
use super::wire::{CustomFieldDef, CustomFieldOption};
use crate::Result;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long definitions are reused before they are listed again.
pub const TTL: Duration = Duration::from_secs(60);

/// The custom field definitions and their options by field id.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    /// Every definition.
    pub defs: Vec<CustomFieldDef>,
    /// Select options by custom field id.
    pub options: BTreeMap<String, Vec<CustomFieldOption>>,
}

impl Fields {
    /// The definition with this `api-name`.
    pub fn by_api_name(&self, api_name: &str) -> Option<&CustomFieldDef> {
        self.defs.iter().find(|d| d.attributes.api_name.as_deref() == Some(api_name))
    }
}

#[derive(Debug, Default)]
struct Entries {
    fields: Option<(Instant, Arc<Fields>)>,
    inboxes: HashMap<String, (Instant, Option<String>)>,
}

/// The cached definitions of one connection.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    entries: Arc<Mutex<Entries>>,
}

impl Catalog {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The custom fields, listed again when older than [`TTL`] or when `fresh` asks for it.
    pub async fn fields(&self, client: &TeamtailorClient, fresh: bool) -> Result<Arc<Fields>> {
        if !fresh
            && let Some((at, fields)) = &self.lock().fields
            && at.elapsed() < TTL
        {
            return Ok(fields.clone());
        }
        let defs = client.custom_field_definitions().await?;
        let needs_options =
            defs.iter().any(|d| d.attributes.field_type.as_deref().is_some_and(|t| t.contains("Select")));
        let options = if needs_options { client.custom_field_options().await? } else { BTreeMap::new() };
        let fields = Arc::new(Fields { defs, options });
        self.lock().fields = Some((Instant::now(), fields.clone()));
        Ok(fields)
    }

    /// The id of the job's Inbox stage (else its first), listed again when older than [`TTL`].
    pub async fn inbox(&self, client: &TeamtailorClient, job_id: &str) -> Result<Option<String>> {
        if let Some((at, inbox)) = self.lock().inboxes.get(job_id)
            && at.elapsed() < TTL
        {
            return Ok(inbox.clone());
        }
        let stages = client.job_stages(job_id).await?;
        let inbox = stages
            .iter()
            .find(|s| s.attributes.stage_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("inbox")))
            .or(stages.first())
            .map(|s| s.id.clone());
        self.lock().inboxes.insert(job_id.to_owned(), (Instant::now(), inbox.clone()));
        Ok(inbox)
    }
}
