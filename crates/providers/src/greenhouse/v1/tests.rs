//! Fixture and robustness tests of the legacy Harvest v1 parsers: v1
//! payloads map to the same people as v3 ones.

use super::wire::{V1ActivityFeed, V1Candidate, V1CustomField, V1Pool};
use crate::greenhouse::mapping;

static FIXTURES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::fixtures_dir("greenhouse"));

#[test]
fn v1_payloads_parse_and_map_like_v3() {
    let read = |name: &str| std::fs::read_to_string(format!("{}/{name}", *FIXTURES)).unwrap();
    let candidates: Vec<V1Candidate> = serde_json::from_str(&read("v1-candidate.json")).unwrap();
    let c = &candidates[0];
    let apps = c.applications.as_deref().unwrap();
    assert_eq!(apps[0].pool(), (Some(4000000003002), Some(4000000004002)));
    assert_eq!(
        (apps[1].job_id(), apps[1].current_stage.as_ref().map(|s| s.id)),
        (Some(4000000005002), Some(4000000006002))
    );
    let person = mapping::person(&c.candidate());
    assert_eq!(person.id, "17130511003");
    assert_eq!(person.fields["seniority"], serde_json::json!("Senior"), "keyed custom fields, not bare ones");
    assert_eq!(person.fields["private"], serde_json::json!(false));
    let employment = &c.employments()[0];
    assert_eq!(mapping::employment_key(employment).2, "2020-01-01");
    let feed: V1ActivityFeed = serde_json::from_str(&read("v1-activity-feed.json")).unwrap();
    assert_eq!(
        (feed.notes[0].user.as_ref().map(|u| u.id), feed.emails[0].subject.as_deref()),
        (Some(4000000000002), Some("Hello"))
    );
}

mod robustness {
    use super::{V1ActivityFeed, V1Candidate, V1CustomField, V1Pool};
    use proptest::prelude::*;

    fn parse_all(bytes: &[u8]) {
        let _ = serde_json::from_slice::<Vec<V1Candidate>>(bytes)
            .map(|c| c.iter().map(|c| (c.candidate(), c.employments())).collect::<Vec<_>>());
        let _ = serde_json::from_slice::<V1ActivityFeed>(bytes);
        let _ = serde_json::from_slice::<Vec<V1Pool>>(bytes);
        let _ = serde_json::from_slice::<Vec<V1CustomField>>(bytes);
    }

    proptest! {
        #[test]
        fn no_body_panics_a_v1_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            parse_all(&bytes);
        }

        #[test]
        fn no_json_shaped_body_panics_a_v1_parser(s in r#"[\[\]{}":,0-9a-z_ \-\.<>;=]{0,200}"#) {
            parse_all(s.as_bytes());
        }
    }
}
