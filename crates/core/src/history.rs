//! Which parts of a contact's history a provider gets (SPEC S9), one rule per
//! provider: Greenhouse the 5 most recent roles, and only for contacts sourced
//! from LinkedIn Recruiter, and no education; Clockwork the whole work and
//! education history as given; Teamtailor has no history resource.

use crate::{ContactIn, Education, Employment, ProviderKind};

/// How many roles Greenhouse gets.
pub const GREENHOUSE_ROLES: usize = 5;

/// Whether a contact's `source` names LinkedIn Recruiter (`linkedin_recruiter`, "LinkedIn Recruiter", ...),
/// as opposed to plain LinkedIn or Sales Navigator.
pub fn from_linkedin_recruiter(source: Option<&str>) -> bool {
    let folded: String = source
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    folded == "linkedinrecruiter"
}

/// Current roles first, then the latest start; dates are ISO-like text, so they order as text.
fn most_recent_first(roles: &mut [Employment]) {
    roles.sort_by(|a, b| {
        let key = |e: &Employment| (e.end.is_none(), e.start.clone().unwrap_or_default());
        key(b).cmp(&key(a))
    });
}

/// The roles to write for this contact; empty when the provider gets none.
pub fn roles(provider: ProviderKind, contact: &ContactIn) -> Vec<Employment> {
    match provider {
        ProviderKind::Greenhouse if from_linkedin_recruiter(contact.source.as_deref()) => {
            let mut roles = contact.employment.clone();
            most_recent_first(&mut roles);
            roles.truncate(GREENHOUSE_ROLES);
            roles
        }
        ProviderKind::Greenhouse | ProviderKind::Oneflow | ProviderKind::Teamtailor => Vec::new(),
        ProviderKind::Clockwork => contact.employment.clone(),
    }
}

/// The schools to write for this contact; empty when the provider gets none.
pub fn schools(provider: ProviderKind, contact: &ContactIn) -> Vec<Education> {
    match provider {
        ProviderKind::Clockwork => contact.education.iter().filter_map(Education::from_value).collect(),
        ProviderKind::Greenhouse | ProviderKind::Oneflow | ProviderKind::Teamtailor => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(company: &str, start: &str, end: Option<&str>) -> Employment {
        Employment {
            company: Some(company.into()),
            title: Some("Engineer".into()),
            start: Some(start.into()),
            end: end.map(Into::into),
        }
    }

    #[test]
    fn greenhouse_gets_the_five_latest_roles_of_recruiter_contacts_only() {
        let mut c = ContactIn {
            employment: vec![
                role("A", "2010", Some("2012")),
                role("Now", "2022-03", None),
                role("B", "2012-02", Some("2014")),
                role("C", "2014", Some("2016")),
                role("D", "2016-05", Some("2018")),
                role("E", "2018", Some("2022-02")),
                role("Old", "2005", Some("2010")),
            ],
            source: Some("LinkedIn Recruiter".into()),
            ..ContactIn::default()
        };
        let names = |v: Vec<Employment>| v.into_iter().filter_map(|e| e.company).collect::<Vec<_>>();
        assert_eq!(names(roles(ProviderKind::Greenhouse, &c)), ["Now", "E", "D", "C", "B"]);
        assert_eq!(roles(ProviderKind::Clockwork, &c).len(), 7, "Clockwork takes the full history");
        assert!(roles(ProviderKind::Teamtailor, &c).is_empty());
        c.education = vec![serde_json::json!({"school": "Cambridge"}), serde_json::json!("Eton")];
        assert_eq!(schools(ProviderKind::Clockwork, &c).len(), 2);
        assert!(schools(ProviderKind::Greenhouse, &c).is_empty());
        for other in ["linkedin", "Sales Navigator", "linkedin_sales_nav", ""] {
            c.source = Some(other.into());
            assert!(roles(ProviderKind::Greenhouse, &c).is_empty(), "{other}");
        }
        assert!(from_linkedin_recruiter(Some("linkedin_recruiter")));
        assert!(!from_linkedin_recruiter(None));
    }
}
