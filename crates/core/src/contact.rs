//! Contacts as the outreach app describes them (`PUT /v1/contacts/{id}`), and
//! the person draft a provider is asked to hold for them (SPEC M1).

use crate::decision::SyncOverride;
use crate::validation::{Checker, is_email, normalise_email};
use crate::{ConnectionSettings, Education, Employment, PersonDraft, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Contact fields holding objects whose keys a hand edit may name one by one (`variables.x`).
const NESTED: [&str; 3] = ["variables", "social", "field_values"];

/// Longest text a contact field may hold.
const MAX_TEXT: usize = 1000;

/// Most items a list field (emails, phones, tags, work history, education) may hold.
const MAX_ITEMS: usize = 50;

/// Most keys of an object field (social, variables, field_values), and the longest key.
const MAX_KEYS: usize = 200;
const MAX_KEY: usize = 100;

/// Largest one value of a free-form field (a variable, a field value, a school) as JSON.
const MAX_VALUE_BYTES: usize = 10_000;

/// A validated contact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactIn {
    /// Email addresses, normalised, the first being the primary one.
    pub emails: Vec<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Current employer.
    pub company: Option<String>,
    /// Current title.
    pub title: Option<String>,
    /// Free-text location.
    pub location: Option<String>,
    /// Phone numbers.
    pub phones: Vec<String>,
    /// Social profile URLs by network.
    pub social: BTreeMap<String, String>,
    /// Where the contact came from.
    pub source: Option<String>,
    /// Work history, most recent first.
    pub employment: Vec<Employment>,
    /// Education, kept as given.
    pub education: Vec<Value>,
    /// The app's custom variables.
    pub variables: Map<String, Value>,
    /// The contact's own sync override (SPEC S3).
    pub sync_override: Option<SyncOverride>,
    /// Tags pushed with the person.
    pub sync_tags: Vec<String>,
    /// Values a recruiter set for displayed provider fields (SPEC M3).
    pub field_values: Map<String, Value>,
}

impl ContactIn {
    /// Validates a contact body, naming every field at fault.
    pub fn parse(raw: &Value) -> Result<Self, ValidationError> {
        let Some(obj) = raw.as_object() else {
            return Err(ValidationError::field("", "must be an object"));
        };
        let mut c = Checker::default();
        let text = |k: &str, c: &mut Checker| -> Option<String> {
            match obj.get(k) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.chars().count() <= MAX_TEXT => Some(s.trim().to_owned()),
                Some(_) => {
                    c.check(false, k, "must be a string of at most 1000 characters");
                    None
                }
            }
        };
        let list = |k: &str, c: &mut Checker| -> Vec<String> {
            match obj.get(k) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| {
                        let s = v.as_str().filter(|s| s.chars().count() <= MAX_TEXT);
                        c.check(s.is_some(), &format!("{k}[{i}]"), "must be a string");
                        s.map(|s| s.trim().to_owned())
                    })
                    .collect(),
                Some(_) => {
                    c.check(false, k, "must be a list of strings");
                    Vec::new()
                }
            }
        };
        let object = |k: &str, c: &mut Checker| -> Map<String, Value> {
            match obj.get(k) {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                Some(_) => {
                    c.check(false, k, "must be an object");
                    Map::new()
                }
            }
        };
        let emails: Vec<String> = list("emails", &mut c).iter().map(|e| normalise_email(e)).collect();
        for (i, e) in emails.iter().enumerate() {
            c.check(is_email(e), &format!("emails[{i}]"), "must be an email address");
        }
        let mut social = BTreeMap::new();
        for (k, v) in object("social", &mut c) {
            match v {
                Value::String(s) => {
                    social.insert(k, s);
                }
                Value::Null => {}
                _ => c.check(false, &format!("social.{k}"), "must be a string"),
            }
        }
        let employment = match obj.get("employment") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => serde_json::from_value::<Vec<Employment>>(v.clone()).unwrap_or_else(|e| {
                c.check(false, "employment", &format!("must be a list of {{company, title, start, end}}: {e}"));
                Vec::new()
            }),
        };
        let education = match obj.get("education") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(v)) => v.clone(),
            Some(_) => {
                c.check(false, "education", "must be a list");
                Vec::new()
            }
        };
        let sync_override = match obj.get("sync_override") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let named = v.as_str().and_then(SyncOverride::parse);
                c.check(named.is_some(), "sync_override", "must be sync, dont_sync or null");
                named
            }
        };
        let contact = ContactIn {
            first_name: text("first_name", &mut c),
            last_name: text("last_name", &mut c),
            company: text("company", &mut c),
            title: text("title", &mut c),
            location: text("location", &mut c),
            source: text("source", &mut c),
            phones: list("phones", &mut c),
            sync_tags: list("sync_tags", &mut c),
            variables: object("variables", &mut c),
            field_values: object("field_values", &mut c),
            emails,
            social,
            employment,
            education,
            sync_override,
        };
        contact.check_sizes(&mut c);
        c.finish()?;
        Ok(contact)
    }

    /// Counts and sizes: a contact is one person, and one hostile body must not become a
    /// megabyte per contact in every later read of it.
    fn check_sizes(&self, c: &mut Checker) {
        let lists = [
            ("emails", self.emails.len()),
            ("phones", self.phones.len()),
            ("sync_tags", self.sync_tags.len()),
            ("employment", self.employment.len()),
            ("education", self.education.len()),
        ];
        for (field, n) in lists {
            c.check(n <= MAX_ITEMS, field, &format!("must hold at most {MAX_ITEMS} items"));
        }
        c.check(self.social.len() <= MAX_KEYS, "social", &format!("must hold at most {MAX_KEYS} networks"));
        for (k, v) in &self.social {
            c.check(k.chars().count() <= MAX_KEY, &format!("social.{k}"), "network names are at most 100 characters");
            c.check(v.chars().count() <= MAX_TEXT, &format!("social.{k}"), "must be at most 1000 characters");
        }
        let size = |v: &Value| serde_json::to_string(v).map_or(usize::MAX, |s| s.len());
        for (field, map) in [("variables", &self.variables), ("field_values", &self.field_values)] {
            c.check(map.len() <= MAX_KEYS, field, &format!("must hold at most {MAX_KEYS} keys"));
            for (k, v) in map {
                let path = format!("{field}.{k}");
                c.check(k.chars().count() <= MAX_KEY, &path, "keys are at most 100 characters");
                c.check(size(v) <= MAX_VALUE_BYTES, &path, "must be at most 10000 bytes as JSON");
            }
        }
        for (i, e) in self.education.iter().enumerate() {
            c.check(size(e) <= MAX_VALUE_BYTES, &format!("education[{i}]"), "must be at most 10000 bytes as JSON");
        }
        for (i, e) in self.employment.iter().enumerate() {
            let text = [&e.company, &e.title].into_iter().flatten().map(|s| s.chars().count()).max().unwrap_or(0);
            c.check(text <= MAX_TEXT, &format!("employment[{i}]"), "company and title are at most 1000 characters");
        }
    }

    /// The value of an outreach variable (`first_name`, `emails`, `social.linkedin`, `variables.x`).
    pub fn variable(&self, name: &str) -> Option<Value> {
        let opt = |v: &Option<String>| v.clone().map(Value::String);
        match name.split_once('.') {
            Some(("social", k)) => self.social.get(k).cloned().map(Value::String),
            Some(("variables", k)) => self.variables.get(k).cloned(),
            Some(("field_values", k)) => self.field_values.get(k).cloned(),
            Some(_) => None,
            None => match name {
                "first_name" => opt(&self.first_name),
                "last_name" => opt(&self.last_name),
                "company" => opt(&self.company),
                "title" => opt(&self.title),
                "location" => opt(&self.location),
                "source" => opt(&self.source),
                "emails" => Some(self.emails.clone().into()),
                "phones" => Some(self.phones.clone().into()),
                "sync_tags" => Some(self.sync_tags.clone().into()),
                "employment" => serde_json::to_value(&self.employment).ok(),
                "education" => Some(Value::Array(self.education.clone())),
                _ => self.variables.get(name).cloned(),
            },
        }
    }

    /// The person a provider should hold for this contact under these settings. A string
    /// variable fills its one field; a list variable mapped to several fields fills them in
    /// order, one value each, the last field taking every value left (SPEC M1). Company
    /// mappings fill `company_fields`.
    pub fn draft(&self, settings: &ConnectionSettings, sequence_tags: &[String]) -> PersonDraft {
        let mut fields = BTreeMap::new();
        let mut company_fields = BTreeMap::new();
        for m in &settings.field_map {
            let Some(v) = self.variable(&m.source).filter(|v| !v.is_null()) else { continue };
            let into = if m.object == "company" { &mut company_fields } else { &mut fields };
            for (t, value) in spread(&m.targets, v) {
                into.insert(t.clone(), value);
            }
        }
        // Only displayed fields are written: the setting as it is when the person is synced (M3).
        for (k, v) in self.field_values.iter().filter(|(k, _)| settings.displayed_fields.contains(k)) {
            fields.insert(k.clone(), v.clone());
        }
        let mut tags = sequence_tags.to_vec();
        tags.extend(self.sync_tags.iter().filter(|t| !sequence_tags.contains(t)).cloned());
        PersonDraft {
            emails: self.emails.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
            location: self.location.clone(),
            phones: self.phones.clone(),
            social: self.social.clone(),
            tags,
            fields,
            employment: self.employment.clone(),
            education: self.education.iter().filter_map(Education::from_value).collect(),
            company_fields,
            as_prospect: settings.create_as == crate::settings::CreateAs::Prospect,
        }
    }

    /// This contact with a hand edit's `changed` values on top (`{"title": ..}`, `{"variables": {..}}`
    /// or `{"variables.x": ..}`); the contact as it is when the result would not be valid.
    pub fn with_changes(&self, changed: &Map<String, Value>) -> ContactIn {
        let Ok(Value::Object(mut merged)) = serde_json::to_value(self) else { return self.clone() };
        for (key, value) in changed {
            match (key.split_once('.'), value) {
                (Some((parent, child)), _) if NESTED.contains(&parent) => {
                    if let Some(Value::Object(inner)) = merged.get_mut(parent) {
                        inner.insert(child.to_owned(), value.clone());
                    }
                }
                (None, Value::Object(values)) if NESTED.contains(&key.as_str()) => {
                    if let Some(Value::Object(inner)) = merged.get_mut(key) {
                        inner.extend(values.clone());
                    }
                }
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
        ContactIn::parse(&Value::Object(merged)).unwrap_or_else(|_| self.clone())
    }

    /// The draft fields a hand edit touches: the contact's own fields by name (`sync_tags` as
    /// `tags`), and the provider fields the field map fills from the changed variables.
    pub fn edited_fields(changed: &Map<String, Value>, settings: &ConnectionSettings) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for (key, value) in changed {
            names.insert(if key == "sync_tags" { "tags".to_owned() } else { key.clone() });
            if let (true, Value::Object(inner)) = (NESTED.contains(&key.as_str()), value) {
                names.extend(inner.keys().map(|k| format!("{key}.{k}")));
            }
        }
        // Displayed-field values are keyed by provider field already.
        let displayed: Vec<String> =
            names.iter().filter_map(|n| n.strip_prefix("field_values.")).map(str::to_owned).collect();
        names.extend(displayed);
        for m in &settings.field_map {
            let bare = m.source.strip_prefix("variables.").unwrap_or(&m.source);
            if names.contains(&m.source) || names.contains(bare) {
                names.extend(m.targets.iter().cloned());
            }
        }
        names
    }

    /// The mandatory fields (SPEC S6) this contact lacks: each names an outreach variable
    /// (`last_name`, `variables.x`) or a provider field, met when `draft` fills it.
    pub fn missing(&self, mandatory: &[String], draft: &PersonDraft) -> Vec<String> {
        mandatory
            .iter()
            .filter(|f| !draft.fills(f))
            .filter(|f| match self.variable(f) {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.trim().is_empty(),
                Some(Value::Array(a)) => a.is_empty(),
                Some(_) => false,
            })
            .cloned()
            .collect()
    }
}

/// The values a mapping puts in each of its `targets`: the whole value for one target; for a
/// list spread over several, one value per target in order and the rest in the last.
fn spread(targets: &[String], value: Value) -> Vec<(&String, Value)> {
    match (targets, value) {
        ([one], v) => vec![(one, v)],
        (many, Value::Array(items)) => {
            let mut out = Vec::new();
            let mut items = items.into_iter().filter(|v| !v.is_null());
            let Some((last, firsts)) = many.split_last() else { return out };
            for t in firsts {
                if let Some(v) = items.next() {
                    out.push((t, v));
                }
            }
            let rest: Vec<Value> = items.collect();
            if !rest.is_empty() {
                out.push((last, Value::Array(rest)));
            }
            out
        }
        (many, v) => many.first().map(|t| vec![(t, v)]).unwrap_or_default(),
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;
    use serde_json::json;

    fn fields(raw: &Value) -> Vec<String> {
        ContactIn::parse(raw).err().map(|e| e.errors.into_iter().map(|f| f.field).collect()).unwrap_or_default()
    }

    #[test]
    fn every_list_and_free_form_field_has_a_bound_named_when_passed() {
        let many: Vec<String> = (0..51).map(|i| format!("p{i}@example.com")).collect();
        assert_eq!(fields(&json!({"emails": many})), ["emails"]);
        assert_eq!(fields(&json!({"phones": vec!["1"; 51]})), ["phones"]);
        assert_eq!(fields(&json!({"variables": {"big": "x".repeat(10_001)}})), ["variables.big"]);
        assert_eq!(fields(&json!({"social": {"github": "x".repeat(1001)}})), ["social.github"]);
        assert_eq!(fields(&json!({"education": [{"school": "x".repeat(10_001)}]})), ["education[0]"]);
        let keys: Map<String, Value> = (0..201).map(|i| (format!("k{i}"), json!(1))).collect();
        assert_eq!(fields(&json!({"field_values": keys})), ["field_values"]);
        assert!(fields(&json!({"emails": ["a@example.com"], "variables": {"ok": "x".repeat(9000)}})).is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::FieldMapping;
    use serde_json::json;

    #[test]
    fn invalid_contact_names_each_field() {
        let e =
            ContactIn::parse(&json!({"emails": ["ok@x.io", "nope"], "first_name": 5, "social": {"x": 1}})).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["emails[1]", "social.x", "first_name"]);
    }

    /// Settings mapping the `github` variable to a `github_handle` field.
    fn github_to_handle() -> ConnectionSettings {
        ConnectionSettings {
            field_map: vec![FieldMapping {
                source: "variables.github".into(),
                targets: vec!["github_handle".into()],
                object: "person".into(),
            }],
            ..ConnectionSettings::default()
        }
    }

    #[test]
    fn draft_applies_the_field_map_and_merges_tags() {
        let c = ContactIn::parse(&json!({
            "emails": [" Ada@X.io "], "first_name": "Ada", "variables": {"github": "ada"},
            "sync_tags": ["rust", "seq"], "field_values": {"salary": "100k"}
        }))
        .unwrap();
        let mut settings = github_to_handle();
        let undisplayed = c.draft(&settings, &[]);
        assert!(!undisplayed.fields.contains_key("salary"), "a field not displayed is not written");
        settings.displayed_fields = vec!["salary".into()];
        let d = c.draft(&settings, &["seq".to_owned()]);
        assert_eq!(d.emails, ["ada@x.io"]);
        assert_eq!(d.fields["github_handle"], json!("ada"));
        assert_eq!(d.fields["salary"], json!("100k"));
        assert_eq!(d.tags, ["seq", "rust"]);
        assert!(d.as_prospect);
        assert_eq!(c.missing(&["last_name".into(), "emails".into()], &d), ["last_name"]);
        assert!(c.missing(&["github_handle".into()], &d).is_empty(), "a provider field the draft fills");
        assert_eq!(c.missing(&["nickName".into()], &d), ["nickName"]);
    }

    #[test]
    fn lists_spread_over_several_fields_and_company_mappings_fill_company_fields() {
        let c = ContactIn::parse(&json!({
            "emails": ["a@x.io", "b@x.io", "c@x.io"], "phones": ["+1"], "company": "Acme",
            "variables": {"legal": "Acme Holdings Ltd"},
            "education": [{"school": "MIT", "degree": "BSc", "start": "2001", "end": "2005"}, "Eton", {"degree": "?"}]
        }))
        .unwrap();
        let map = |source: &str, targets: &[&str], object: &str| FieldMapping {
            source: source.into(),
            targets: targets.iter().map(|t| (*t).to_owned()).collect(),
            object: object.into(),
        };
        let settings = ConnectionSettings {
            field_map: vec![
                map("emails", &["work_email", "home_email", "other_emails"], "person"),
                map("phones", &["mobile", "office"], "person"),
                map("variables.legal", &["companyName"], "company"),
            ],
            ..ConnectionSettings::default()
        };
        let d = c.draft(&settings, &[]);
        assert_eq!(d.fields["work_email"], json!("a@x.io"));
        assert_eq!(d.fields["home_email"], json!("b@x.io"));
        assert_eq!(d.fields["other_emails"], json!(["c@x.io"]));
        assert_eq!(d.fields["mobile"], json!("+1"));
        assert!(!d.fields.contains_key("office"), "no value left for the last field");
        assert_eq!(d.company_fields["companyName"], json!("Acme Holdings Ltd"));
        assert!(!d.fields.contains_key("companyName"));
        let schools: Vec<_> = d.education.iter().filter_map(|e| e.school.as_deref()).collect();
        assert_eq!(schools, ["MIT", "Eton"], "an entry without a school is dropped");
        assert_eq!(d.education[0].degree.as_deref(), Some("BSc"));
        let mut kept = d.clone();
        kept.retain(|f| f != "companyName" && f != "education");
        assert!(kept.company_fields.is_empty() && kept.education.is_empty() && !kept.emails.is_empty());
    }

    #[test]
    fn hand_edits_apply_on_top_and_name_the_fields_they_touch() {
        let c =
            ContactIn::parse(&json!({"emails": ["a@x.io"], "title": "CTO", "variables": {"github": "ada", "x": 1}}))
                .unwrap();
        let changed = json!({"title": "CEO", "variables.github": "ada2", "sync_tags": ["hot"]});
        let changed = changed.as_object().unwrap();
        let edited = c.with_changes(changed);
        assert_eq!(edited.title.as_deref(), Some("CEO"));
        assert_eq!(edited.variables["github"], json!("ada2"));
        assert_eq!(edited.variables["x"], json!(1));
        let settings = github_to_handle();
        let names = ContactIn::edited_fields(changed, &settings);
        for n in ["title", "tags", "github_handle"] {
            assert!(names.contains(n), "{n} in {names:?}");
        }
        assert!(!names.contains("company"));
        let bad = json!({"emails": ["not an email"]});
        assert_eq!(c.with_changes(bad.as_object().unwrap()), c, "an invalid edit leaves the contact as it is");
    }
}
