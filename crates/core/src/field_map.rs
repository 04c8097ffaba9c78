//! Checking a field map against the fields the provider really has (SPEC M2,
//! M4): every target must be one of its standard or discovered custom fields
//! of the mapping's object (person or company). A list variable spread over
//! several fields puts one value in each but the last, which takes the rest
//! and so must hold several values.

use crate::settings::FieldMapping;
use crate::{ValidationError, event::LIST_VARIABLES, validation::Checker};
use std::collections::BTreeMap;

/// A provider field a mapping may fill, by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownField {
    /// The provider's value type (`short_text`, `multi_select`, `standard`, ...).
    pub value_type: String,
    /// Whether it holds several values.
    pub holds_list: bool,
}

/// The fields a provider has, per object a mapping may name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownFields {
    /// Fields of the person record.
    pub person: BTreeMap<String, KnownField>,
    /// Fields of the person's company, where the provider keeps one.
    pub company: BTreeMap<String, KnownField>,
}

/// Names `field_map[i].targets[j]` for each target the provider lacks or cannot hold.
pub fn check_targets(mappings: &[FieldMapping], known: &KnownFields, provider: &str) -> Result<(), ValidationError> {
    let mut c = Checker::default();
    for (i, m) in mappings.iter().enumerate() {
        let is_list = LIST_VARIABLES.contains(&m.source.as_str());
        let (fields, object) =
            if m.object == "company" { (&known.company, "company field") } else { (&known.person, "field") };
        for (j, target) in m.targets.iter().enumerate() {
            let path = format!("field_map[{i}].targets[{j}]");
            let last = j + 1 == m.targets.len();
            match fields.get(target) {
                None => c.check(false, &path, &format!("{provider} has no {object} `{target}`")),
                Some(f) => c.check(
                    !is_list || !last || f.holds_list,
                    &path,
                    &format!("`{}` is a list; `{target}` ({}) holds one value", m.source, f.value_type),
                ),
            }
        }
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(source: &str, targets: &[&str]) -> FieldMapping {
        FieldMapping {
            source: source.into(),
            targets: targets.iter().map(|t| (*t).to_owned()).collect(),
            object: "person".into(),
        }
    }

    #[test]
    fn unknown_and_ill_typed_targets_are_named() {
        let field = |t: &str, list: bool| KnownField { value_type: t.into(), holds_list: list };
        let known = KnownFields {
            person: [
                ("github".to_owned(), field("short_text", false)),
                ("langs".to_owned(), field("multi_select", true)),
            ]
            .into(),
            company: [("companyName".to_owned(), field("standard", false))].into(),
        };
        assert!(check_targets(&[mapping("variables.gh", &["github"])], &known, "Greenhouse").is_ok());
        assert!(check_targets(&[mapping("phones", &["github", "langs"])], &known, "Greenhouse").is_ok());
        let e = check_targets(
            &[mapping("variables.gh", &["github"]), mapping("phones", &["langs", "nope", "github"])],
            &known,
            "Greenhouse",
        )
        .unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["field_map[1].targets[1]", "field_map[1].targets[2]"]);
        assert!(e.errors[0].message.contains("Greenhouse has no field `nope`"));

        let company = |targets: &[&str]| FieldMapping { object: "company".into(), ..mapping("company", targets) };
        assert!(check_targets(&[company(&["companyName"])], &known, "Clockwork").is_ok());
        let e = check_targets(&[company(&["github"])], &known, "Clockwork").unwrap_err();
        assert!(e.errors[0].message.contains("Clockwork has no company field `github`"), "{e:?}");
        let e = check_targets(&[mapping("company", &["companyName"])], &known, "Clockwork").unwrap_err();
        assert_eq!(e.errors[0].field, "field_map[0].targets[0]", "a company field is not a person field");
    }
}
