//! People search: the email lookup, the full-text search for names, and a
//! bounded walk of the people list for any other field.

use super::setup;

fn ids(people: &[hiresync_core::Person]) -> Vec<&str> {
    people.iter().map(|p| p.id.as_str()).collect()
}

fn filters(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn people_are_found_by_email_name_or_any_field() {
    let s = setup().await;
    let ada = s.sim.app().add_person("Ada Lovelace", "ada@example.com");
    let alan = s.sim.app().add_person("Alan Turing", "alan@example.com");
    s.sim.app().set_do_not_contact(&alan, true);

    let by_email = s.provider.search_people(&filters(&[("email", "Ada@Example.com")])).await.unwrap();
    assert_eq!(ids(&by_email), [ada.as_str()]);
    let by_name =
        s.provider.search_people(&filters(&[("name", "alan turing"), ("doNotContact", "true")])).await.unwrap();
    assert_eq!(ids(&by_name), [alan.as_str()]);
    assert_eq!(by_name[0].emails, ["alan@example.com"], "a partial hit is read in full when other fields are asked");
    let flagged = s.provider.search_people(&filters(&[("doNotContact", "true")])).await.unwrap();
    assert_eq!(ids(&flagged), [alan.as_str()]);
    let listed = s.sim.core().requests_to("GET", "/v3.0/acme/people");
    assert!(
        listed
            .iter()
            .any(|r| r.path == "/v3.0/acme/people" && r.query.as_deref().is_some_and(|q| q.contains("offset=0")))
    );
    assert!(
        s.provider.search_people(&filters(&[("doNotContact", "false"), ("name", "Nobody")])).await.unwrap().is_empty()
    );
}
