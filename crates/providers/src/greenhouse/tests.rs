//! Fixture and robustness tests of the Harvest v3 parsers (v1's are in `v1/tests.rs`).

use super::client::next_link;
use super::errors::error_message;
use super::wire::{Candidate, CreatedCandidate, Job, TokenResponse};
use serde_json::Value;

static FIXTURES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::fixtures_dir("greenhouse"));

#[test]
fn shared_recordings_parse_into_wire_types() {
    let entries = std::fs::read_dir(&*FIXTURES).unwrap();
    let mut files = 0;
    let recorded = |e: &std::fs::DirEntry| e.file_name().to_string_lossy().starts_with("v3-integration_");
    for entry in entries.flatten().filter(recorded) {
        files += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let exchanges: Vec<Value> = serde_json::from_str(&text).unwrap();
        for ex in exchanges {
            let body = &ex["response"]["body"];
            if ex["request"]["uri"].as_str().unwrap().ends_with("/token") {
                let token: TokenResponse = serde_json::from_value(body.clone()).unwrap();
                assert_eq!(token.token_type.as_deref(), Some("Bearer"));
                assert!(token.expires_at.is_some());
            } else {
                let jobs: Vec<Job> = serde_json::from_value(body.clone()).unwrap();
                assert!(jobs.iter().all(|j| j.id > i64::from(i32::MAX)), "ids need 64 bits");
                if let Some(link) = ex["response"]["headers"]["Link"][0].as_str() {
                    let next = next_link(link);
                    assert_eq!(next.is_none(), link.is_empty());
                }
            }
        }
    }
    assert!(files >= 3);
}

#[test]
fn example_payloads_parse() {
    let read = |name: &str| std::fs::read_to_string(format!("{}/{name}", *FIXTURES)).unwrap();
    let candidates: Vec<Candidate> = serde_json::from_str(&read("v3-candidates.json")).unwrap();
    assert!(candidates[0].id > i64::from(u32::MAX));
    let created: CreatedCandidate = serde_json::from_str(&read("v3-create-candidate-response.json")).unwrap();
    assert_eq!(created.application.unwrap().candidate_id, Some(created.candidate.unwrap().id));
    for name in ["v3-error-422.json", "v3-error-404-record.json", "v1-error-422-no-message.json"] {
        assert!(error_message(read(name).as_bytes()).is_some(), "{name}");
    }
}

mod robustness {
    use super::super::client::next_link;
    use super::super::errors::error_message;
    use super::super::wire::{Application, Candidate, CreatedCandidate, Job, Note, TokenResponse};
    use proptest::prelude::*;

    fn parse_all(bytes: &[u8]) {
        let _ = serde_json::from_slice::<Vec<Job>>(bytes);
        let _ = serde_json::from_slice::<Vec<Candidate>>(bytes);
        let _ = serde_json::from_slice::<CreatedCandidate>(bytes);
        let _ = serde_json::from_slice::<Application>(bytes);
        let _ = serde_json::from_slice::<Note>(bytes);
        let _ = serde_json::from_slice::<TokenResponse>(bytes);
        let _ = error_message(bytes);
        let _ = next_link(&String::from_utf8_lossy(bytes));
    }

    proptest! {
        #[test]
        fn no_body_panics_a_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            parse_all(&bytes);
        }

        #[test]
        fn no_json_shaped_body_panics_a_parser(s in r#"[\[\]{}":,0-9a-z_ \-\.<>;=]{0,200}"#) {
            parse_all(s.as_bytes());
        }
    }
}
