//! Fixture and robustness tests of the Teamtailor parsers: every recorded
//! response in `tests/fixtures/teamtailor` must parse with the wire types.

use super::errors::error_message;
use super::wire::{
    Candidate, CustomFieldDef, CustomFieldValue, Document, Job, JobApplication, ListDocument, Resource, Stage, Upload,
    User,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

static FIXTURES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::fixtures_dir("teamtailor"));

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/{name}", *FIXTURES)).unwrap()
}

fn list<A: DeserializeOwned + Default>(name: &str) -> ListDocument<A> {
    serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_recorded_file_parses_into_its_wire_type() {
    let candidate: Document<Candidate> = serde_json::from_str(&read("candidate.json")).unwrap();
    assert_eq!(candidate.data.attributes.email.as_deref(), Some("applicant1@example.com"));
    assert_eq!(candidate.data.attributes.tags.as_deref(), Some(&[][..]));
    let candidates = list::<super::wire::CandidateAttributes>("candidates.json");
    assert_eq!((candidates.data.len(), candidates.record_count()), (1, Some(1)));
    assert_eq!(candidates.links.next, None);
    assert!(candidates.links.last.unwrap().contains("page%5Bnumber%5D=41"));
    let values = list::<super::wire::CustomFieldValueAttributes>("custom-field-values.json");
    assert_eq!(values.data[0].attributes.value, Value::String("https://github.com/bzf".into()));
    let fields = list::<super::wire::CustomFieldAttributes>("custom-fields.json");
    assert_eq!(fields.data.len(), 3);
    assert_eq!(fields.data[2].kind, "custom-field-selects");
    assert_eq!(fields.data[2].attributes.field_type.as_deref(), Some("CustomField::MultiSelect"));
    let departments = list::<super::wire::DepartmentAttributes>("departments.json");
    assert_eq!(departments.data[1].attributes.row_order, Some(1_073_741_824));
    let job: Document<Job> = serde_json::from_str(&read("job.json")).unwrap();
    assert_eq!(job.data.attributes.status.as_deref(), Some("open"));
    assert!(job.data.links.contains_key("careersite-job-url"));
    let applications = list::<super::wire::JobApplicationAttributes>("job_applications.json");
    assert!(applications.data.iter().all(|a| a.relationships.contains_key("stage") && a.related_id("stage").is_none()));
    let jobs = list::<super::wire::JobAttributes>("jobs.json");
    assert_eq!(jobs.data.len(), 2);
    let locations = list::<super::wire::LocationAttributes>("locations.json");
    assert_eq!(locations.data[0].attributes.headquarters, Some(true));
    let stages = list::<super::wire::StageAttributes>("stages.json");
    let types: Vec<_> = stages.data.iter().filter_map(|s| s.attributes.stage_type.as_deref()).collect();
    assert_eq!(types, ["Inbox", "In process", "Hired"]);
    let uploads = list::<super::wire::UploadAttributes>("upload.json");
    assert_eq!(uploads.data[0].attributes.file_name.as_deref(), Some("resume.pdf"));
    let user: Document<User> = serde_json::from_str(&read("user.json")).unwrap();
    assert_eq!(user.data.attributes.login_email.as_deref(), Some("admin@teamtailor.localhost"));
    let users = list::<super::wire::UserAttributes>("users.json");
    assert_eq!(users.data.len(), 2);
}

#[test]
fn no_fixture_is_left_unparsed() {
    let mut names: Vec<String> = std::fs::read_dir(&*FIXTURES)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    // Each file is also read as a generic document, so a new fixture must at least be JSON:API.
    for name in &names {
        let doc: Document<Value> = serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(doc.data.is_object() || doc.data.is_array(), "{name}");
    }
    assert_eq!(names.len(), 13, "a new fixture needs a typed assertion above: {names:?}");
}

#[test]
fn compound_documents_expose_typed_included_resources() {
    let body = r#"{"data":[{"id":"5","type":"job-applications","attributes":{},"relationships":{
        "stage":{"data":{"id":"2","type":"stages"}},"job":{"data":{"id":9,"type":"jobs"}}}}],
        "included":[{"id":"2","type":"stages","attributes":{"name":"Reviewing","row-order":3}}]}"#;
    let doc: ListDocument<super::wire::JobApplicationAttributes> = serde_json::from_str(body).unwrap();
    let application: &JobApplication = &doc.data[0];
    assert_eq!((application.related_id("stage"), application.related_id("job")), (Some("2"), Some("9")));
    let stages: Vec<Stage> = doc.included_as("stages");
    assert_eq!(stages[0].attributes.name.as_deref(), Some("Reviewing"));
}

#[test]
fn documented_error_bodies_have_messages() {
    let bad_version = r#"{"errors":[{"status":406,"title":"Invalid/Missing API Version","detail":"Please provide a correct API version. Current version is: 20240404"}]}"#;
    assert!(error_message(bad_version.as_bytes()).unwrap().starts_with("Please provide"));
}

mod robustness {
    use super::super::errors::error_message;
    use super::super::webhook::{minify, parse};
    use super::super::wire::{ErrorDocument, ListDocument};
    use super::*;
    use proptest::prelude::*;

    fn parse_all(bytes: &[u8]) {
        let _ = serde_json::from_slice::<Document<Candidate>>(bytes);
        let _ = serde_json::from_slice::<ListDocument<super::super::wire::CandidateAttributes>>(bytes);
        let _ = serde_json::from_slice::<Document<CustomFieldValue>>(bytes);
        let _ = serde_json::from_slice::<Document<CustomFieldDef>>(bytes);
        let _ = serde_json::from_slice::<Document<Upload>>(bytes);
        let _ = serde_json::from_slice::<Document<Resource<Value>>>(bytes);
        let _ = serde_json::from_slice::<ErrorDocument>(bytes);
        let _ = error_message(bytes);
        let _ = parse(b"k", bytes, Some("dD0xLHYyPWFi"), super::super::webhook::Acceptance { now: 1, v1: true });
        let _ = minify(&String::from_utf8_lossy(bytes));
    }

    proptest! {
        #[test]
        fn no_body_panics_a_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            parse_all(&bytes);
        }

        #[test]
        fn no_json_shaped_body_panics_a_parser(s in r#"[\[\]{}":,0-9a-z_ \-\.\\]{0,200}"#) {
            parse_all(s.as_bytes());
        }

        #[test]
        fn mangled_fixtures_never_panic(cut in 0usize..4000, flip in any::<u8>()) {
            let mut bytes = read("candidate.json").into_bytes();
            let at = cut % bytes.len();
            bytes[at] = flip;
            parse_all(&bytes);
            parse_all(&bytes[..at]);
        }
    }
}
