//! The fields a connection's field map may fill (SPEC M2, M4): the provider's
//! standard fields and its custom fields as discovered from its API, cached
//! per connection for a minute so saving settings does not list them each time.

use hiresync_core::field_map::{KnownField, KnownFields};
use hiresync_providers::{People, ProviderError};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long discovered definitions are reused.
pub const TTL: Duration = Duration::from_secs(60);

type Known = Arc<KnownFields>;

/// Discovered field definitions per connection id.
#[derive(Default)]
pub struct FieldDefs {
    cache: Mutex<HashMap<String, (Instant, Known)>>,
}

impl FieldDefs {
    /// The fields of the connection `id` served by `provider`, listed again when older than [`TTL`].
    pub async fn known(&self, id: &str, provider: &dyn People) -> Result<Known, ProviderError> {
        if let Some((at, known)) = self.lock().get(id)
            && at.elapsed() < TTL
        {
            return Ok(known.clone());
        }
        let standard = |names: Vec<&'static str>, holds_list: bool| -> BTreeMap<String, KnownField> {
            let value_type = if holds_list { "standard_list" } else { "standard" };
            names
                .into_iter()
                .map(|k| (k.to_owned(), KnownField { value_type: value_type.into(), holds_list }))
                .collect()
        };
        let mut known = KnownFields {
            person: standard(provider.standard_fields(), false),
            company: standard(provider.company_fields(), false),
        };
        known.person.extend(standard(provider.list_fields(), true));
        let custom = if provider.capabilities().custom_fields { provider.custom_fields().await? } else { Vec::new() };
        for f in custom {
            let holds_list = f.value_type.contains("multi") || f.value_type.contains("Multi");
            let into = if f.object == "company" { &mut known.company } else { &mut known.person };
            into.insert(f.key, KnownField { value_type: f.value_type, holds_list });
        }
        let known = Arc::new(known);
        self.lock().insert(id.to_owned(), (Instant::now(), known.clone()));
        Ok(known)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Known)>> {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
