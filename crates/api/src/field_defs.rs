//! The fields of a connection's provider (SPEC M2, M3, M4): its standard
//! fields and its custom fields as discovered from its API, cached per
//! connection for a minute so saving settings, listing fields and checking a
//! contact's displayed-field values do not list them each time.

use hiresync_core::field_map::{KnownField, KnownFields};
use hiresync_core::fields::{self, FieldDef, FieldType};
use hiresync_providers::{People, ProviderError};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long discovered definitions are reused.
pub const TTL: Duration = Duration::from_secs(60);

/// What a provider's fields are, in the two forms the API needs.
#[derive(Debug)]
pub struct Discovered {
    /// By object and key, for checking a field map's targets.
    pub known: KnownFields,
    /// Every field with the object it belongs to (`person`, `company`), standard ones first.
    pub fields: Vec<(&'static str, FieldDef)>,
}

impl Discovered {
    /// The person field `key`.
    pub fn person_field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|(object, f)| *object == "person" && f.key == key).map(|(_, f)| f)
    }
}

/// Discovered field definitions per connection id.
#[derive(Default)]
pub struct FieldDefs {
    cache: Mutex<HashMap<String, (Instant, Arc<Discovered>)>>,
}

impl FieldDefs {
    /// The fields of the connection `id` served by `provider`, listed again when older than [`TTL`].
    pub async fn known(&self, id: &str, provider: &dyn People) -> Result<Arc<Discovered>, ProviderError> {
        if let Some((at, known)) = self.lock().get(id)
            && at.elapsed() < TTL
        {
            return Ok(known.clone());
        }
        let mut all: Vec<(&'static str, FieldDef)> = Vec::new();
        let standard = |names: Vec<&'static str>, holds_list: bool, object: &'static str| {
            names.into_iter().map(move |k| (object, fields::standard(k, holds_list)))
        };
        all.extend(standard(provider.standard_fields(), false, "person"));
        all.extend(standard(provider.list_fields(), true, "person"));
        all.extend(standard(provider.company_fields(), false, "company"));
        let mut known = KnownFields { person: BTreeMap::new(), company: BTreeMap::new() };
        for (object, f) in &all {
            let into = if *object == "company" { &mut known.company } else { &mut known.person };
            let holds_list = f.field_type == FieldType::List;
            let value_type = if holds_list { "standard_list" } else { "standard" };
            into.insert(f.key.clone(), KnownField { value_type: value_type.into(), holds_list });
        }
        let custom = if provider.capabilities().custom_fields { provider.custom_fields().await? } else { Vec::new() };
        for f in custom {
            let field_type = FieldType::of_provider(&f.value_type);
            let holds_list = field_type == FieldType::MultiSelect
                || (field_type == FieldType::String && provider.joins_lists_into_text());
            let object = if f.object == "company" { "company" } else { "person" };
            let into = if object == "company" { &mut known.company } else { &mut known.person };
            into.insert(f.key.clone(), KnownField { value_type: f.value_type, holds_list });
            let def = FieldDef { key: f.key, label: f.name, field_type, options: f.options, custom: true };
            all.retain(|(o, d)| !(*o == object && d.key == def.key));
            all.push((object, def));
        }
        let discovered = Arc::new(Discovered { known, fields: all });
        self.lock().insert(id.to_owned(), (Instant::now(), discovered.clone()));
        Ok(discovered)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Arc<Discovered>)>> {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
