//! Fixture, mapping and robustness tests of the Clockwork parsers.

use super::errors::error_message;
use super::mapping;
use super::wire::{self, Candidacy, Note, Person, Position, Project, Status};
use hiresync_core::{Employment, NoteDraft, PersonDraft};
use serde_json::{Value, json};

static FIXTURES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::fixtures_dir("clockwork"));

fn read(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{}/{name}", *FIXTURES)).unwrap()).unwrap()
}

#[test]
fn every_fixture_is_listed_in_source_md() {
    let source = std::fs::read_to_string(format!("{}/SOURCE.md", *FIXTURES)).unwrap();
    for entry in std::fs::read_dir(&*FIXTURES).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            assert!(source.contains(&format!("`{name}`")), "{name} is not described in SOURCE.md");
        }
    }
}

#[test]
fn people_parse_from_create_search_and_the_v1_envelope() {
    let created: Person = wire::one(&read("create-person-response.json"), "person").unwrap();
    assert_eq!(created.id, "0000002b-7c1d-4e2f-9a3b-4c5d6e7f8a9b");
    let hits: Vec<Person> = wire::many(&read("people-search.json"), "peopleSearch").unwrap();
    assert_eq!(mapping::emails(&hits[0]), ["ada@example.com"]);
    assert!(hits[1].email_addresses.is_none() && mapping::emails(&hits[1]).is_empty());
    assert_eq!(wire::total(&read("people-search.json")), Some(2));

    let v1: Person = wire::one(&read("v1-person.json"), "person").unwrap();
    assert_eq!(v1.id, "4456601", "integer ids read as text");
    let core = mapping::person(&v1, "acme.clockworkrecruiting.com");
    assert_eq!(core.emails, ["testPerson@email.com"]);
    assert_eq!((core.first_name.as_deref(), core.last_name.as_deref()), (Some("Test"), Some("Person")));
    assert_eq!(core.fields["tags"], json!(["tag1"]));
    assert_eq!(core.fields["phone_numbers"], json!(["5555555555"]));
    assert_eq!(core.url.as_deref(), Some("https://acme.clockworkrecruiting.com/people/4456601"));
}

#[test]
fn the_documented_create_body_round_trips_through_our_request_type() {
    let documented = read("create-person-request.json");
    let draft = PersonDraft {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        tags: vec!["outreach".into(), "rust".into()],
        fields: [("nickName".to_owned(), json!("Ada")), ("noRelocation".to_owned(), json!(true))].into(),
        ..PersonDraft::default()
    };
    let ours = serde_json::to_value(mapping::create_body(&draft)).unwrap();
    for key in ["name", "nickName", "noRelocation", "tag_names"] {
        assert_eq!(ours["person"][key], documented["person"][key], "{key}");
    }
    let documented_keys: Vec<&String> = documented["person"].as_object().unwrap().keys().collect();
    assert!(ours["person"].as_object().unwrap().keys().all(|k| documented_keys.contains(&k)));
}

#[test]
fn sub_resources_positions_projects_and_candidacies_parse() {
    for (file, key) in [
        ("add-email-response.json", "personEmailAddress"),
        ("add-phone-response.json", "personPhoneNumber"),
        ("add-position-response.json", "position"),
    ] {
        assert!(wire::one::<Value>(&read(file), key).is_some(), "{file}");
    }
    let positions: Vec<Position> = wire::many(&read("person-positions.json"), "personPositions").unwrap();
    let keys: Vec<_> = positions.iter().map(mapping::position_key).collect();
    assert_eq!(keys[0].company_name, "Engines Ltd");
    assert_eq!((keys[1].start_year, keys[1].start_month, keys[1].end_year), (Some(2015), None, Some(2020)));

    let projects: Vec<Project> = wire::many(&read("projects.json"), "projects").unwrap();
    let targets: Vec<_> = projects.iter().filter(|p| mapping::is_target(p)).filter_map(|p| p.name.clone()).collect();
    assert_eq!(targets, ["CFO, Analytical Engines", "VP Engineering (pitch)", "Board search"]);

    let (statuses, default) =
        mapping::ordered_statuses(wire::many::<Status>(&read("statuses.json"), "statuses").unwrap());
    assert_eq!(statuses[0].name.as_deref(), Some("Research"));
    assert_eq!(default.as_deref(), Some("00000050-aaaa-4bbb-8ccc-dddddddddddd"));

    let candidacies: Vec<Candidacy> = wire::many(&read("project-candidacies.json"), "candidacies").unwrap();
    assert_eq!(candidacies[0].person_ref(), Some("0000002b-7c1d-4e2f-9a3b-4c5d6e7f8a9b"));
    assert_eq!(candidacies[1].person_ref(), Some("00000032-aaaa-4bbb-8ccc-dddddddddddd"));
    assert_eq!(candidacies[1].status_id.as_deref(), Some("00000052-aaaa-4bbb-8ccc-dddddddddddd"));
}

#[test]
fn notes_dedupe_on_their_words_and_errors_parse() {
    let notes: Vec<Note> = wire::many(&read("person-notes.json"), "notes").unwrap();
    let draft = NoteDraft {
        outreach_type: "message_sent".into(),
        note_type: None,
        subject: Some("Hello".into()),
        body: "Are you open\nto a chat?".into(),
        from: None,
        to: None,
        occurred_at: chrono::Utc::now(),
    };
    assert!(mapping::same_note(&notes[0], &mapping::note_content(&draft)));
    assert_eq!(mapping::note_category(&draft), "Email");
    assert_eq!(
        mapping::note_content(&NoteDraft { subject: None, body: "a<b & \"c\"".into(), ..draft }),
        "<p>a&lt;b &amp; &quot;c&quot;</p>"
    );

    let body = |f: &str| std::fs::read(format!("{}/{f}", *FIXTURES)).unwrap();
    assert_eq!(error_message(&body("v1-error-400.json")).as_deref(), Some("Person not found"));
    assert_eq!(
        error_message(&body("error-422-rails.json")).as_deref(),
        Some("Validation failed: name: can't be blank")
    );
}

#[test]
fn webhooks_parse() {
    let body = |f: &str| std::fs::read(format!("{}/{f}", *FIXTURES)).unwrap();
    let event = super::webhook::parse(&body("webhook-candidacy-updated.json")).unwrap();
    let candidacy = event.candidacy.clone().unwrap();
    assert_eq!((event.event_name.as_str(), candidacy.rank), ("candidacy_updated", Some(14)));
    assert_eq!(event.dedupe_key(), "candidacy_updated:12345678-233d-4fd5-9618-12345678343:2023-10-02T15:54:34Z");
    assert!(super::webhook::parse(br#"{"event_name":" "}"#).is_err());
}

#[test]
fn history_dates_and_updates_map_without_losing_data() {
    let role = |start: &str, end: Option<&str>| Employment {
        company: Some("Engines".into()),
        title: Some("Engineer".into()),
        start: Some(start.into()),
        end: end.map(Into::into),
    };
    let row = mapping::position_row(&role("2021-03-04", Some("2023"))).unwrap();
    assert_eq!((row.start_year, row.start_month, row.end_year, row.end_month), (Some(2021), Some(3), Some(2023), None));
    assert!(mapping::position_row(&role("March", None)).is_none());
    assert_eq!(mapping::month_year("2019-13"), None);

    let existing: Person = serde_json::from_value(json!({"id": "p", "name": "Ada Lovelace", "nickName": "Ada",
        "tags": [{"name": "Rust"}], "emailAddresses": [{"id": "e", "address": "ada@example.com"}]}))
    .unwrap();
    let draft = PersonDraft {
        first_name: Some("Ada".into()),
        tags: vec!["rust".into(), "go".into()],
        ..PersonDraft::default()
    };
    assert_eq!(mapping::missing_tags(&existing, &draft), ["go"]);
    assert_eq!(mapping::update_body(&existing, &draft, Vec::new()), None, "a lone first name keeps the stored name");
    let renamed = PersonDraft { last_name: Some("King".into()), ..draft };
    let body = mapping::update_body(&existing, &renamed, vec!["go".into()]).unwrap();
    assert_eq!(
        (body.person.name.as_deref(), body.person.tag_names.as_slice()),
        (Some("Ada King"), &["go".to_owned()][..])
    );
    assert_eq!(
        mapping::missing(&["ada@example.com".into()], &["ADA@example.com".to_owned(), "a@b.c".to_owned()]),
        ["a@b.c"]
    );
}

mod robustness {
    use super::super::errors::error_message;
    use super::super::mapping;
    use super::super::wire::{self, Candidacy, Note, Person, Position, Project, Status, Tag};
    use proptest::prelude::*;
    use serde_json::Value;

    fn parse_all(bytes: &[u8]) {
        let _ = error_message(bytes);
        let _ = super::super::webhook::parse(bytes);
        let _ = mapping::month_year(&String::from_utf8_lossy(bytes));
        let _ = mapping::plain(&String::from_utf8_lossy(bytes));
        let Ok(value) = serde_json::from_slice::<Value>(bytes) else { return };
        let _ = wire::one::<Person>(&value, "person").map(|p| mapping::person(&p, "acme.clockworkrecruiting.com"));
        let _ = wire::many::<Person>(&value, "peopleSearch");
        let _ = wire::many::<Candidacy>(&value, "candidacies");
        let _ = wire::many::<Position>(&value, "personPositions")
            .map(|p| p.iter().map(mapping::position_key).collect::<Vec<_>>());
        let _ = wire::many::<Project>(&value, "projects").map(|p| p.iter().filter(|p| mapping::is_target(p)).count());
        let _ = wire::many::<Status>(&value, "statuses").map(mapping::ordered_statuses);
        let _ = wire::many::<Note>(&value, "notes");
        let _ = wire::many::<Tag>(&value, "tags");
        let _ = (wire::count(&value, "people"), wire::total(&value));
    }

    proptest! {
        #[test]
        fn no_body_panics_a_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            parse_all(&bytes);
        }

        #[test]
        fn no_json_shaped_body_panics_a_parser(s in r#"[\[\]{}":,0-9a-zA-Z_ \-\.<>&;=]{0,200}"#) {
            parse_all(s.as_bytes());
        }

        #[test]
        fn no_near_miss_record_panics_a_parser(
            key in "(person|peopleSearch|candidacies|personPositions|projects|statuses|notes|data|meta)",
            field in "(id|name|emailAddresses|startYear|startMonth|sortOrder|person|personId|records|total|status)",
            value in r#"(null|true|-1|1e400|"x"|\[\]|\{\}|\[1,"a",null\]|\{"id":\[\]\}|18446744073709551616)"#,
        ) {
            for body in [
                format!(r#"{{"{key}":{{"{field}":{value}}}}}"#),
                format!(r#"{{"{key}":[{{"{field}":{value}}}]}}"#),
                format!(r#"{{"data":{{"{key}":{{"records":[{{"{field}":{value}}}]}}}}}}"#),
            ] {
                parse_all(body.as_bytes());
            }
        }

        #[test]
        fn reformatted_note_content_still_matches_the_note(subject in ".{0,40}", body in "(?s).{1,200}") {
            let draft = hiresync_core::NoteDraft {
                outreach_type: "message_sent".into(),
                note_type: None,
                subject: Some(subject),
                body,
                from: None,
                to: None,
                occurred_at: chrono::Utc::now(),
            };
            let content = mapping::note_content(&draft);
            // Clockwork may re-format the HTML it stores; the words must still match.
            let reformatted = content.replace("<br>", "<br />").replace("<p>", "<div>").replace("</p>", "</div>\n");
            let stored = Note { id: "n".into(), content: Some(reformatted), ..Note::default() };
            prop_assert!(mapping::same_note(&stored, &content));
        }
    }
}

#[test]
fn mapped_fields_type_emails_and_phones_and_name_the_current_company() {
    let mut draft = PersonDraft {
        emails: vec!["ada@work.example".into(), "ada@home.example".into()],
        phones: vec!["+1 555 0100".into()],
        company: Some("Engines".into()),
        title: Some("CFO".into()),
        employment: vec![
            Employment {
                company: Some("Old".into()),
                title: Some("Clerk".into()),
                start: Some("2001".into()),
                end: Some("2005".into()),
            },
            Employment {
                company: Some("Engines".into()),
                title: Some("CFO".into()),
                start: Some("2005-03".into()),
                end: None,
            },
        ],
        ..PersonDraft::default()
    };
    draft.fields.insert("email_addresses.home".into(), json!(["ada@home.example", "extra@home.example"]));
    draft.fields.insert("phone_numbers.work".into(), json!("+1 555 0100"));
    draft.fields.insert("linkedin_urls".into(), json!("https://linkedin.com/in/ada"));
    let emails = mapping::wanted_emails(&draft);
    let pairs: Vec<(&str, &str)> = emails.iter().map(|(e, t)| (e.as_str(), t.as_str())).collect();
    assert_eq!(pairs, [("ada@work.example", "work"), ("ada@home.example", "home"), ("extra@home.example", "home")]);
    assert_eq!(mapping::wanted_phones(&draft), [("+1 555 0100".to_owned(), "work".to_owned())]);
    assert_eq!(mapping::wanted_linkedin(&draft), ["https://linkedin.com/in/ada"]);

    draft.company_fields.insert("companyName".into(), json!("Analytical Engines Ltd"));
    let roles = mapping::initial_positions(&draft);
    let companies: Vec<&str> = roles.iter().map(|r| r.company_name.as_str()).collect();
    assert_eq!(companies, ["Old", "Analytical Engines Ltd"], "the mapping renames the current role's company only");
    draft.employment.clear();
    let roles = mapping::initial_positions(&draft);
    assert_eq!((roles.len(), roles[0].title.as_deref()), (1, Some("CFO")));

    let stored = Position {
        id: "p1".into(),
        title: Some("Clerk".into()),
        company_name: Some("Analytical Engines Ltd".into()),
        start_year: Some(2005),
        ..Position::default()
    };
    let want = mapping::replaced_current(Some(&stored), &draft).unwrap();
    assert_eq!((want.title.as_deref(), want.start_year), (Some("CFO"), Some(2005)), "dates kept");
    let unchanged = PersonDraft { title: Some("Clerk".into()), ..PersonDraft::default() };
    assert_eq!(mapping::replaced_current(Some(&stored), &unchanged), None);
    assert_eq!(mapping::replaced_current(None, &unchanged), None, "a role needs a company");
}

#[test]
fn schools_round_trip_through_the_education_shape() {
    let school = hiresync_core::Education {
        school: Some(" MIT ".into()),
        degree: Some("BSc".into()),
        field: None,
        start: Some("2001-09".into()),
        end: Some("2005".into()),
    };
    let row = mapping::education_row(&school).unwrap();
    let body = serde_json::to_value(wire::EducationBody { education: row.clone() }).unwrap();
    assert_eq!(
        body,
        json!({"education": {"schoolName": "MIT", "degree": "BSc", "startMonth": 9, "startYear": 2001, "endYear": 2005}})
    );
    let stored: Vec<wire::Education> = wire::many(
        &json!({"personEducations": [{"id": "e1", "schoolName": "MIT", "degree": "BSc", "startMonth": "9",
            "startYear": 2001, "endYear": 2005}]}),
        "personEducations",
    )
    .unwrap();
    assert_eq!(mapping::education_key(&stored[0]), row);
    assert!(mapping::education_row(&hiresync_core::Education::default()).is_none());
}
