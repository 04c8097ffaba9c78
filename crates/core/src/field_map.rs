//! Checking a field map against the fields the provider really has (SPEC M2,
//! M4): every target must be one of its standard or discovered custom fields,
//! and a list variable may only fill a field that holds several values.

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

/// Names `field_map[i].targets[j]` for each target the provider lacks or cannot hold.
pub fn check_targets(
    mappings: &[FieldMapping],
    known: &BTreeMap<String, KnownField>,
    provider: &str,
) -> Result<(), ValidationError> {
    let mut c = Checker::default();
    for (i, m) in mappings.iter().enumerate() {
        let is_list = LIST_VARIABLES.contains(&m.source.as_str());
        for (j, target) in m.targets.iter().enumerate() {
            let path = format!("field_map[{i}].targets[{j}]");
            match known.get(target) {
                None => c.check(false, &path, &format!("{provider} has no field `{target}`")),
                Some(f) => c.check(
                    !is_list || f.holds_list,
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
        let known: BTreeMap<String, KnownField> = [
            ("github".to_owned(), KnownField { value_type: "short_text".into(), holds_list: false }),
            ("langs".to_owned(), KnownField { value_type: "multi_select".into(), holds_list: true }),
        ]
        .into();
        assert!(check_targets(&[mapping("variables.gh", &["github"])], &known, "Greenhouse").is_ok());
        let e = check_targets(
            &[mapping("variables.gh", &["github"]), mapping("phones", &["langs", "nope", "github"])],
            &known,
            "Greenhouse",
        )
        .unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["field_map[1].targets[1]", "field_map[1].targets[2]"]);
        assert!(e.errors[0].message.contains("Greenhouse has no field `nope`"));
    }
}
