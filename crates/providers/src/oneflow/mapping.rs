//! Pure conversions for the contracts feature (SPEC B): prefilled data
//! fields from mapped values, a contract's data field values by custom id,
//! whether every party has signed, the signed file's name, tolerant
//! timestamps (`+0000` offsets), and web-app links.

use super::config::APP_URL;
use super::wire::{Contract, CreateContract, DataFieldValue, TemplateDataField};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::BTreeMap;

/// The web-app link of a contract.
pub fn contract_url(id: i64) -> String {
    format!("{APP_URL}/contracts/{id}")
}

/// An Oneflow timestamp: RFC 3339, or ISO 8601 with a colon-less offset (`+0000`), or without one (UTC).
pub fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"] {
        if let Ok(t) = DateTime::parse_from_str(raw, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|t| t.and_utc())
}

/// Data field values for a new contract: the mapped `values` (by custom id) that the
/// template defines, trimmed; empty values are left for the participants to fill.
pub fn prefill(definitions: &[TemplateDataField], values: &BTreeMap<String, String>) -> Vec<DataFieldValue> {
    definitions
        .iter()
        .filter_map(|d| {
            let custom_id = d.custom_id.as_deref()?;
            let value = values.get(custom_id)?.trim();
            (!value.is_empty()).then(|| DataFieldValue { custom_id: custom_id.to_owned(), value: value.to_owned() })
        })
        .collect()
}

/// The `POST /contracts/create` body.
pub fn create_body(
    workspace_id: i64,
    template_id: i64,
    name: Option<&str>,
    definitions: &[TemplateDataField],
    values: &BTreeMap<String, String>,
) -> CreateContract {
    CreateContract {
        workspace_id,
        template_id,
        name: name.map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned),
        data_fields: prefill(definitions, values),
        parties: Vec::new(),
    }
}

/// A contract's data field values by custom id (fields without one are skipped; null reads as empty).
pub fn data_field_values(contract: &Contract) -> BTreeMap<String, String> {
    contract
        .data_fields
        .iter()
        .filter_map(|f| Some((f.custom_id()?.to_owned(), f.value.clone().unwrap_or_default())))
        .collect()
}

/// The custom ids whose value differs between `before` and `after`, with the new value.
pub fn changed_values(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<(String, String)> {
    after
        .iter()
        .filter(|(k, v)| before.get(*k).map(String::as_str).unwrap_or_default() != v.as_str())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Whether every party has signed: the contract is `signed`, or it has signatories and all signed.
pub fn fully_signed(contract: &Contract) -> bool {
    if contract.state.as_deref() == Some("signed") {
        return true;
    }
    let signatories: Vec<_> =
        contract.parties.iter().flat_map(|p| &p.participants).filter(|p| p.signatory == Some(true)).collect();
    !signatories.is_empty() && signatories.iter().all(|p| p.sign_state.as_deref() == Some("signed"))
}

/// A file name for the signed PDF: the contract's name made path-safe, else `contract-<id>`.
pub fn signed_file_name(contract: &Contract) -> String {
    let name = contract.private.as_ref().and_then(|p| p.name.as_deref()).unwrap_or_default();
    let safe: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.') { c } else { '-' }).collect();
    let safe = safe.trim().trim_matches('.').trim();
    if safe.is_empty() { format!("contract-{}-signed.pdf", contract.id) } else { format!("{safe} (signed).pdf") }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract(v: serde_json::Value) -> Contract {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn timestamps_with_colonless_offsets_parse() {
        let t = parse_time("2020-07-06T15:14:14+0000").unwrap();
        assert_eq!(t.to_rfc3339(), "2020-07-06T15:14:14+00:00");
        assert_eq!(parse_time("2020-07-06T17:14:14+02:00"), Some(t));
        assert_eq!(parse_time("2020-07-06T15:14:14.000+0000"), Some(t));
        assert_eq!(parse_time("2020-07-06T15:14:14"), Some(t));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn prefill_keeps_defined_non_empty_values() {
        let defs: Vec<TemplateDataField> = serde_json::from_value(json!([
            {"id": 1, "custom_id": "salary"}, {"id": 2, "custom_id": "start_date"}, {"id": 3}
        ]))
        .unwrap();
        let values = BTreeMap::from([
            ("salary".to_owned(), " 5000 ".to_owned()),
            ("start_date".to_owned(), String::new()),
            ("unknown".to_owned(), "x".to_owned()),
        ]);
        let body = create_body(7, 9, Some(" Offer "), &defs, &values);
        assert_eq!(body.data_fields, vec![DataFieldValue { custom_id: "salary".into(), value: "5000".into() }]);
        assert_eq!(body.name.as_deref(), Some("Offer"));
    }

    #[test]
    fn signing_state_and_changes_read_from_the_contract() {
        let c = contract(json!({"id": 5, "state": "pending", "_private": {"name": "Offer: Ada/2026"},
            "data_fields": [{"id": 1, "value": "a", "_private_ownerside": {"custom_id": "x"}}, {"id": 2, "value": null, "_private_ownerside": {"custom_id": "y"}}],
            "parties": [{"id": 1, "participants": [{"id": 1, "signatory": true, "sign_state": "signed"}, {"id": 2, "signatory": false}]},
                        {"id": 2, "participants": [{"id": 3, "signatory": true, "sign_state": "undecided"}]}]}));
        assert!(!fully_signed(&c));
        let mut signed = c.clone();
        signed.parties[1].participants[0].sign_state = Some("signed".into());
        assert!(fully_signed(&signed));
        assert!(!fully_signed(&contract(json!({"id": 1, "state": "pending"}))));
        let values = data_field_values(&c);
        assert_eq!(values.get("y").map(String::as_str), Some(""));
        let after = BTreeMap::from([("x".to_owned(), "a".to_owned()), ("y".to_owned(), "b".to_owned())]);
        assert_eq!(changed_values(&values, &after), vec![("y".to_owned(), "b".to_owned())]);
        assert_eq!(signed_file_name(&c), "Offer- Ada-2026 (signed).pdf");
        assert_eq!(signed_file_name(&contract(json!({"id": 8}))), "contract-8-signed.pdf");
    }
}
