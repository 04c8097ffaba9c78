//! The candidates table: candidates by id, kept indexed by their email
//! addresses through every write.

use super::model::Candidate;
#[cfg(test)]
use super::model::Typed;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Deref;

/// Candidates by id, indexed by email address, so a lookup by email does not
/// read every candidate (a run over many contacts would grow quadratic). Reads
/// go through `Deref` to the map; writes only through `insert`, `remove` and
/// `get_mut`, which keep the index.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<i64, Candidate>", into = "BTreeMap<i64, Candidate>")]
pub struct Candidates {
    by_id: BTreeMap<i64, Candidate>,
    /// Lowercased address → ids holding it.
    by_email: HashMap<String, BTreeSet<i64>>,
}

impl Candidates {
    /// Stores a candidate under `id`, replacing (and unindexing) any earlier one.
    pub fn insert(&mut self, id: i64, candidate: Candidate) -> Option<Candidate> {
        let old = self.remove(&id);
        for e in &candidate.email_addresses {
            self.by_email.entry(e.value.to_ascii_lowercase()).or_default().insert(id);
        }
        self.by_id.insert(id, candidate);
        old
    }

    /// Removes a candidate and its addresses from the index.
    pub fn remove(&mut self, id: &i64) -> Option<Candidate> {
        let old = self.by_id.remove(id)?;
        for e in &old.email_addresses {
            let key = e.value.to_ascii_lowercase();
            if let Some(ids) = self.by_email.get_mut(&key) {
                ids.remove(id);
                if ids.is_empty() {
                    self.by_email.remove(&key);
                }
            }
        }
        Some(old)
    }

    /// A candidate to edit in place; its addresses are indexed again when the edit ends.
    pub fn get_mut(&mut self, id: &i64) -> Option<CandidateMut<'_>> {
        let row = self.remove(id)?;
        Some(CandidateMut { id: *id, row, owner: self })
    }

    /// The candidates holding `email` (trimmed, case-insensitive), by id.
    pub fn with_email(&self, email: &str) -> impl Iterator<Item = &Candidate> {
        self.by_email.get(&email.trim().to_ascii_lowercase()).into_iter().flatten().filter_map(|id| self.by_id.get(id))
    }
}

/// A candidate taken out of [`Candidates`] for an edit, put back (and indexed) on drop.
#[derive(Debug)]
pub struct CandidateMut<'a> {
    owner: &'a mut Candidates,
    id: i64,
    row: Candidate,
}

impl Deref for CandidateMut<'_> {
    type Target = Candidate;
    fn deref(&self) -> &Candidate {
        &self.row
    }
}

impl std::ops::DerefMut for CandidateMut<'_> {
    fn deref_mut(&mut self) -> &mut Candidate {
        &mut self.row
    }
}

impl Drop for CandidateMut<'_> {
    fn drop(&mut self) {
        self.owner.insert(self.id, std::mem::take(&mut self.row));
    }
}

impl Deref for Candidates {
    type Target = BTreeMap<i64, Candidate>;
    fn deref(&self) -> &Self::Target {
        &self.by_id
    }
}

impl From<BTreeMap<i64, Candidate>> for Candidates {
    fn from(by_id: BTreeMap<i64, Candidate>) -> Self {
        let mut out = Self::default();
        out.extend(by_id);
        out
    }
}

impl From<Candidates> for BTreeMap<i64, Candidate> {
    fn from(c: Candidates) -> Self {
        c.by_id
    }
}

impl Extend<(i64, Candidate)> for Candidates {
    fn extend<I: IntoIterator<Item = (i64, Candidate)>>(&mut self, rows: I) {
        for (id, c) in rows {
            self.insert(id, c);
        }
    }
}

impl IntoIterator for Candidates {
    type Item = (i64, Candidate);
    type IntoIter = std::collections::btree_map::IntoIter<i64, Candidate>;
    fn into_iter(self) -> Self::IntoIter {
        self.by_id.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_emails(id: i64, emails: &[&str]) -> Candidate {
        let email_addresses = emails.iter().map(|e| Typed { value: (*e).into(), kind: None }).collect();
        Candidate { id, email_addresses, ..Candidate::default() }
    }

    fn ids(c: &Candidates, email: &str) -> Vec<i64> {
        c.with_email(email).map(|c| c.id).collect()
    }

    #[test]
    fn the_email_index_follows_inserts_replacements_and_removals() {
        let mut c = Candidates::default();
        c.insert(1, with_emails(1, &["Ada@Example.com"]));
        c.insert(2, with_emails(2, &["ada@example.com", "grace@example.com"]));
        assert_eq!(ids(&c, " ADA@example.COM "), vec![1, 2]);
        c.insert(2, with_emails(2, &["grace@example.com"]));
        assert_eq!(ids(&c, "ada@example.com"), vec![1]);
        c.get_mut(&1).unwrap().email_addresses[0].value = "lovelace@example.com".into();
        assert_eq!(ids(&c, "lovelace@example.com"), vec![1]);
        assert!(ids(&c, "ada@example.com").is_empty());
        c.remove(&1);
        assert!(ids(&c, "lovelace@example.com").is_empty());
        assert_eq!(ids(&c, "grace@example.com"), vec![2]);
        assert!(c.remove(&1).is_none());
    }

    #[test]
    fn candidates_serialize_as_the_map_and_come_back_indexed() {
        let mut c = Candidates::default();
        c.insert(7, with_emails(7, &["x@example.com"]));
        let json = serde_json::to_value(&c).unwrap();
        assert!(json.get("7").is_some(), "{json}");
        let back: Candidates = serde_json::from_value(json).unwrap();
        assert_eq!(ids(&back, "X@example.com"), vec![7]);
        assert_eq!(back, c);
    }
}
