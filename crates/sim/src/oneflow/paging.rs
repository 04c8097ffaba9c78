//! Oneflow paging: `limit` (1–100, default 100) and `offset` (0–19900; past
//! the end answers an empty page), with `{"_links": {self, next, previous},
//! "count", "data"}` where `count` is the total after filters.

use super::errors::OfError;
use crate::log::url_pairs;
use serde_json::{Value, json};

/// Largest `limit`.
pub const MAX_LIMIT: usize = 100;
/// Largest `offset`.
pub const MAX_OFFSET: usize = 19_900;

/// A list request's paging and other parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Paging {
    /// Page size.
    pub limit: usize,
    /// Items skipped.
    pub offset: usize,
    /// Every other parameter, as sent.
    pub params: Vec<(String, String)>,
}

impl Paging {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A 400 for any `filter[...]` outside `allowed`.
    pub fn check_filters(&self, allowed: &[&str]) -> Result<(), OfError> {
        match self.params.iter().find(|(k, _)| k.starts_with("filter[") && !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(OfError::parameter(k, "Unknown filter.")),
            None => Ok(()),
        }
    }
}

/// Parses `limit` and `offset`.
pub fn parse(raw: Option<&str>) -> Result<Paging, OfError> {
    let pairs = url_pairs(raw.unwrap_or(""));
    let find = |k: &str| pairs.iter().find(|(name, _)| name == k).map(|(_, v)| v.as_str());
    let limit = match find("limit") {
        None => MAX_LIMIT,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| OfError::parameter("limit", "Must be between 1 and 100."))?,
    };
    let offset = match find("offset") {
        None => 0,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|o| *o <= MAX_OFFSET)
            .ok_or_else(|| OfError::parameter("offset", "Must be between 0 and 19900."))?,
    };
    let params = pairs.iter().filter(|(k, _)| k != "limit" && k != "offset").cloned().collect();
    Ok(Paging { limit, offset, params })
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The collection document for `items` (every match, in order).
pub fn list(base: &str, path: &str, p: &Paging, items: Vec<Value>) -> Value {
    let count = items.len();
    let data: Vec<Value> = items.into_iter().skip(p.offset).take(p.limit).collect();
    let others: String = p.params.iter().map(|(k, v)| format!("{}={}&", pct(k), pct(v))).collect();
    let href = |offset: usize| json!({"href": format!("{base}{path}?{others}limit={}&offset={offset}", p.limit)});
    let next = p.offset + p.limit;
    json!({
        "_links": {
            "self": href(p.offset),
            "next": if next < count && next <= MAX_OFFSET { href(next) } else { Value::Null },
            "previous": if p.offset > 0 { href(p.offset.saturating_sub(p.limit)) } else { Value::Null },
        },
        "count": count,
        "data": data,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn limits_offsets_and_links_follow_the_docs() {
        assert_eq!(parse(None).unwrap().limit, 100);
        assert!(parse(Some("limit=0")).is_err() && parse(Some("limit=101")).is_err());
        assert!(parse(Some("offset=19901")).is_err());
        let p = parse(Some("filter%5Bstates%5D=signed&limit=2&offset=2")).unwrap();
        let doc = list("http://h", "/v1/contracts", &p, (0..5).map(|i| json!(i)).collect());
        assert_eq!(doc["count"], 5);
        assert_eq!(doc["data"], json!([2, 3]));
        assert_eq!(doc["_links"]["next"]["href"], "http://h/v1/contracts?filter%5Bstates%5D=signed&limit=2&offset=4");
        assert!(doc["_links"]["previous"]["href"].as_str().unwrap().ends_with("offset=0"));
        let past = list("http://h", "/v1/contracts", &parse(Some("offset=50")).unwrap(), vec![json!(1)]);
        assert_eq!((past["data"].as_array().unwrap().len(), past["_links"]["next"].is_null()), (0, true));
    }
}
