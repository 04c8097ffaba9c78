//! Parser tests over the example payloads in `tests/fixtures/oneflow` (shapes
//! documented in its SOURCE.md) and robustness of every parser.

use super::errors::error_message;
use super::mapping::{data_field_values, fully_signed, parse_time};
use super::webhook::{self, Notification};
use super::wire::{Contract, ContractEvent, DataField, List, Party, TemplateType, Webhook, Workspace};
use serde::de::DeserializeOwned;

static FIXTURES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::fixtures_dir("oneflow"));
const SIGN_KEY: &str = "fixture-sign-key";

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/{name}", *FIXTURES)).unwrap()
}

fn parse<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_example_parses_into_its_wire_type() {
    let contract: Contract = parse("contract.json");
    assert_eq!((contract.id, contract.state.as_deref()), (3_141_592, Some("pending")));
    assert_eq!(contract.ownerside.as_ref().and_then(|o| o.template_type_id), Some(40_021));
    assert_eq!(data_field_values(&contract).get("salary").map(String::as_str), Some("52000"));
    assert_eq!(data_field_values(&contract).get("start_date").map(String::as_str), Some(""));
    assert!(!fully_signed(&contract));
    let list: List<Contract> = parse("contracts.json");
    assert_eq!((list.count, list.data.len()), (Some(3), 2));
    assert!(list.links.next.and_then(|n| n.href).unwrap().ends_with("offset=2"));
    assert!(fully_signed(&list.data[1]));
    let field: DataField = parse("data-field.json");
    assert_eq!(field.custom_id(), Some("salary"));
    let parties: List<Party> = parse("parties.json");
    assert_eq!(parties.data[1].participants[0].sign_state.as_deref(), Some("signed"));
    assert!(parties.links.next.is_none());
    let template: TemplateType = parse("template-type.json");
    assert_eq!(template.data_fields.len(), 3);
    let events: List<ContractEvent> = parse("contract-events.json");
    assert_eq!(events.data[0].kind.as_deref(), Some("data_field:update"));
    assert!(events.data.iter().all(|e| e.created_time.as_deref().and_then(parse_time).is_some()));
    let hook: Webhook = parse("webhook.json");
    assert_eq!(hook.filters[0].filter_rules[0].kind, "EVENT_TYPE");
    let workspaces: List<Workspace> = parse("workspaces.json");
    assert_eq!(workspaces.data[0].id, 200_117);
}

#[test]
fn example_notifications_verify_with_the_documented_algorithm() {
    for name in ["notification-data-field-update.json", "notification-contract-sign.json"] {
        let n: Notification = webhook::parse(SIGN_KEY, read(name).as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(n.contract.id, 3_141_592);
        assert_eq!(n.callback_id.len(), 40);
        assert!(n.events.iter().all(|e| e.created_time.as_deref().and_then(parse_time).is_some()));
        assert_eq!(webhook::parse("wrong", read(name).as_bytes()), Err(webhook::WebhookError::BadSignature));
    }
}

#[test]
fn example_errors_yield_messages() {
    assert!(error_message(read("error-429.json").as_bytes()).unwrap().contains("4290000"));
    assert!(error_message(read("error-400.json").as_bytes()).unwrap().contains("limit: Must be between 1 and 100."));
    assert!(error_message(read("error-401.json").as_bytes()).unwrap().starts_with("Invalid API token"));
}

#[test]
fn no_example_is_left_unparsed() {
    let count = std::fs::read_dir(&*FIXTURES)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count();
    assert_eq!(count, 13, "a new example needs an assertion above");
}

mod robustness {
    use super::super::errors::error_message;
    use super::super::mapping::parse_time;
    use super::super::webhook;
    use super::super::wire::{Contract, ContractEvent, DataField, ErrorBody, List, TemplateType, Webhook};
    use proptest::prelude::*;

    fn parse_all(bytes: &[u8]) {
        let _ = serde_json::from_slice::<Contract>(bytes);
        let _ = serde_json::from_slice::<List<Contract>>(bytes);
        let _ = serde_json::from_slice::<List<ContractEvent>>(bytes);
        let _ = serde_json::from_slice::<DataField>(bytes);
        let _ = serde_json::from_slice::<TemplateType>(bytes);
        let _ = serde_json::from_slice::<Webhook>(bytes);
        let _ = serde_json::from_slice::<ErrorBody>(bytes);
        let _ = error_message(bytes);
        let _ = webhook::parse("k", bytes);
        let _ = parse_time(&String::from_utf8_lossy(bytes));
    }

    proptest! {
        #[test]
        fn no_body_panics_a_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            parse_all(&bytes);
        }

        #[test]
        fn no_json_shaped_body_panics_a_parser(s in r#"[\[\]{}":,0-9a-z_ \-\.+T]{0,200}"#) {
            parse_all(s.as_bytes());
        }

        #[test]
        fn mangled_examples_never_panic(cut in 0usize..8000, flip in any::<u8>()) {
            let mut bytes = super::read("contract.json").into_bytes();
            let at = cut % bytes.len();
            bytes[at] = flip;
            parse_all(&bytes);
            parse_all(&bytes[..at]);
        }
    }
}
