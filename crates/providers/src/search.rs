//! People search (SPEC M3) shared by the providers: how far a search may
//! walk a provider's listing, and how a person is matched against filters
//! the provider could not apply on its side.

use crate::Result;
use hiresync_core::Person;
use serde_json::Value;
use std::future::Future;
use url::Url;

/// Most people one search returns.
pub const SEARCH_LIMIT: usize = 100;

/// Most listing pages one search reads when the provider cannot filter on its side.
pub const SEARCH_PAGES: usize = 5;

/// Walks a linked listing from `first`, at most [`SEARCH_PAGES`] pages, keeping the people that
/// match `filters`, until [`SEARCH_LIMIT`] are found. `fetch` reads one page and returns its
/// people and the next page's URL, followed verbatim.
pub async fn walk<F, Fut>(first: Url, filters: &[(String, String)], mut fetch: F) -> Result<Vec<Person>>
where
    F: FnMut(Url) -> Fut,
    Fut: Future<Output = Result<(Vec<Person>, Option<Url>)>>,
{
    let mut next = Some(first);
    let mut found = Vec::new();
    for _ in 0..SEARCH_PAGES {
        let Some(url) = next.take() else { break };
        let (people, link) = fetch(url).await?;
        found.extend(people.into_iter().filter(|p| matches(p, filters)));
        if found.len() >= SEARCH_LIMIT {
            break;
        }
        next = link;
    }
    found.truncate(SEARCH_LIMIT);
    Ok(found)
}

/// Whether `person` holds every `(field, value)` filter. Values compare trimmed and
/// case-insensitively; a list field matches when one of its items does.
pub fn matches(person: &Person, filters: &[(String, String)]) -> bool {
    filters.iter().all(|(field, want)| field_matches(person, field, want.trim()))
}

fn field_matches(person: &Person, field: &str, want: &str) -> bool {
    let same = |s: &str| s.trim().eq_ignore_ascii_case(want);
    match field {
        "email" | "emails" | "email_addresses" => {
            person.emails.iter().any(|e| hiresync_core::validation::same_email(e, want))
        }
        "first_name" | "first-name" => person.first_name.as_deref().is_some_and(same),
        "last_name" | "last-name" => person.last_name.as_deref().is_some_and(same),
        _ => {
            // Greenhouse filters by `tag` while the person carries `tags`.
            let value =
                person.fields.get(field).or_else(|| (field == "tag").then(|| person.fields.get("tags")).flatten());
            match value {
                Some(v) => value_matches(v, want),
                None if field == "name" => {
                    let full = [&person.first_name, &person.last_name]
                        .into_iter()
                        .flatten()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(" ");
                    same(&full)
                }
                None => false,
            }
        }
    }
}

fn value_matches(v: &Value, want: &str) -> bool {
    match v {
        Value::String(s) => s.trim().eq_ignore_ascii_case(want),
        Value::Number(n) => n.to_string() == want,
        Value::Bool(b) => b.to_string().eq_ignore_ascii_case(want),
        Value::Array(items) => items.iter().any(|i| value_matches(i, want)),
        // Select values arrive as `{id, name}` or `{value}` objects.
        Value::Object(o) => ["name", "value"].iter().filter_map(|k| o.get(*k)).any(|i| value_matches(i, want)),
        Value::Null => false,
    }
}

/// The value of the first filter on any of `fields`.
pub fn first<'a>(filters: &'a [(String, String)], fields: &[&str]) -> Option<&'a str> {
    filters.iter().find(|(f, _)| fields.contains(&f.as_str())).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn every_filter_must_hold_and_lists_match_any_item() {
        let mut p = Person {
            id: "1".into(),
            emails: vec!["Ada@Example.com".into()],
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            ..Person::default()
        };
        p.fields.insert("tags".into(), json!(["Rust", "Maths"]));
        p.fields.insert("doNotContact".into(), json!(false));
        p.fields.insert("seniority".into(), json!({"id": 4, "name": "Senior"}));
        p.fields.insert("years".into(), json!(12));
        assert!(matches(&p, &f(&[("email", " ada@example.com "), ("tags", "rust")])));
        assert!(matches(&p, &f(&[("tag", "maths"), ("doNotContact", "false"), ("seniority", "senior")])));
        assert!(matches(&p, &f(&[("name", "ada lovelace"), ("years", "12"), ("first-name", "ADA")])));
        assert!(!matches(&p, &f(&[("tags", "rust"), ("last_name", "Byron")])));
        assert!(!matches(&p, &f(&[("unknown", "x")])));
        assert_eq!(first(&f(&[("tags", "a"), ("email", " b ")]), &["email"]), Some("b"));
    }
}
