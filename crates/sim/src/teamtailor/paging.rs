//! JSON:API paging as Teamtailor serves it: `page[number]` (from 1) and
//! `page[size]` (default 10, max 30; larger is a 400), `meta.record-count` /
//! `page-count`, and `links.first`/`prev`/`next`/`last` that repeat the
//! request's other parameters.

use super::errors::TtError;
use crate::log::url_pairs;
use serde_json::{Value, json};

/// Largest `page[size]` Teamtailor serves.
pub const MAX_PAGE_SIZE: usize = 30;
const DEFAULT_PAGE_SIZE: usize = 10;

/// A list request's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    /// 1-based page.
    pub number: usize,
    /// Page size.
    pub size: usize,
    /// `include` names.
    pub include: Vec<String>,
    /// Every non-page parameter, as sent (for links).
    pub params: Vec<(String, String)>,
}

impl ListQuery {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `filter[...]` names that are not in `allowed` (a 400 in Teamtailor).
    pub fn check_filters(&self, allowed: &[&str]) -> Result<(), TtError> {
        for (key, _) in &self.params {
            if let Some(name) = key.strip_prefix("filter[") {
                let name = name.strip_suffix(']').unwrap_or(name);
                if !allowed.contains(&name) {
                    return Err(TtError::BadRequest {
                        title: "Filter not allowed".into(),
                        detail: format!("{name} is not allowed."),
                        code: "102",
                    });
                }
            }
        }
        Ok(())
    }
}

fn bad_page(value: &str, param: &str) -> TtError {
    TtError::BadRequest {
        title: "Invalid page value".into(),
        detail: format!("{value} is not a valid value for {param} page parameter."),
        code: "118",
    }
}

/// Parses a query string.
pub fn parse(raw: Option<&str>) -> Result<ListQuery, TtError> {
    let pairs = url_pairs(raw.unwrap_or(""));
    let find = |k: &str| pairs.iter().find(|(name, _)| name == k).map(|(_, v)| v.as_str());
    let number = match find("page[number]") {
        None => 1,
        Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| bad_page(v, "number"))?,
    };
    let size = match find("page[size]") {
        None => DEFAULT_PAGE_SIZE,
        Some(v) => {
            v.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE_SIZE).contains(n)).ok_or_else(|| bad_page(v, "size"))?
        }
    };
    let include = find("include")
        .map(|i| i.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    let params = pairs.iter().filter(|(k, _)| !k.starts_with("page[")).cloned().collect();
    Ok(ListQuery { number, size, include, params })
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The list document for one page of `items` (all matches, in order), with `included` for that page.
pub fn document(base: &str, path: &str, q: &ListQuery, items: Vec<Value>, included: Vec<Value>) -> Value {
    let total = items.len();
    let pages = total.div_ceil(q.size).max(1);
    let data: Vec<Value> = items.into_iter().skip((q.number - 1) * q.size).take(q.size).collect();
    let others: String = q.params.iter().map(|(k, v)| format!("{}={}&", pct(k), pct(v))).collect();
    let url = |n: usize| format!("{base}{path}?{others}page%5Bnumber%5D={n}&page%5Bsize%5D={}", q.size);
    let mut links = json!({"first": url(1), "last": url(pages)});
    if q.number > 1 {
        links["prev"] = json!(url(q.number - 1));
    }
    if q.number < pages {
        links["next"] = json!(url(q.number + 1));
    }
    let mut doc = json!({"data": data, "meta": {"record-count": total, "page-count": pages}, "links": links});
    if !included.is_empty() {
        doc["included"] = Value::Array(included);
    }
    doc
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_onwards_and_keep_other_parameters() {
        let q = parse(Some("filter%5Bemail%5D=a%40b.io&page%5Bsize%5D=2&page%5Bnumber%5D=2")).unwrap();
        let items: Vec<Value> = (1..=5).map(|i| json!({"id": i.to_string()})).collect();
        let doc = document("http://h", "/v1/candidates", &q, items, Vec::new());
        assert_eq!(doc["data"].as_array().unwrap().len(), 2);
        assert_eq!(doc["meta"]["page-count"], 3);
        assert_eq!(
            doc["links"]["next"],
            "http://h/v1/candidates?filter%5Bemail%5D=a%40b.io&page%5Bnumber%5D=3&page%5Bsize%5D=2"
        );
        assert!(doc["links"]["prev"].as_str().unwrap().contains("page%5Bnumber%5D=1"));
    }

    #[test]
    fn page_sizes_above_thirty_and_bad_numbers_are_400() {
        assert!(matches!(parse(Some("page[size]=31")), Err(TtError::BadRequest { code: "118", .. })));
        assert!(parse(Some("page[number]=0")).is_err());
        assert_eq!(parse(None).unwrap().size, 10);
        let q = parse(Some("filter[email]=x&filter[name]=y")).unwrap();
        assert!(q.check_filters(&["email"]).is_err());
    }
}
