//! Pagination as Greenhouse documents it. v3: opaque base64 cursors in a
//! `Link: <…>; rel="next"` header, a cursor request carrying no other
//! parameter, `per_page` 1–500 (default 100), newest id first. v1: `page` /
//! `per_page` with `next`, `prev` and `last` links.

use super::errors::GhError;
use crate::log::url_pairs;
use axum::Json;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Largest page Greenhouse serves.
pub const MAX_PER_PAGE: usize = 500;
const DEFAULT_PER_PAGE: usize = 100;

/// A parsed list request: its filters, page size and where the page starts.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    /// Filters, as first sent (restored from the cursor on later pages).
    pub filters: Vec<(String, String)>,
    /// Page size.
    pub per_page: usize,
    /// v3: the first id of this page (ids descend); v1: unused.
    pub start_id: Option<i64>,
    /// 1-based page number.
    pub page: usize,
    /// v1 `skip_count=true`: no `last` link.
    pub skip_count: bool,
}

impl ListQuery {
    /// The first value of a filter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.filters.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A comma-separated id filter; a malformed id is a 422 naming the filter.
    pub fn ids(&self, name: &str) -> Result<Option<Vec<i64>>, GhError> {
        let Some(raw) = self.get(name) else {
            return Ok(None);
        };
        let ids: Result<Vec<i64>, _> = raw.split(',').map(|s| s.trim().parse::<i64>()).collect();
        let ids = ids.map_err(|_| GhError::InvalidQuery(vec![name.to_owned()]))?;
        if ids.len() > 50 {
            return Err(GhError::InvalidQuery(vec![name.to_owned()]));
        }
        Ok(Some(ids))
    }
}

fn per_page(value: Option<&str>, param: &str) -> Result<usize, GhError> {
    match value {
        None => Ok(DEFAULT_PER_PAGE),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => Ok(n),
            _ => Err(GhError::InvalidQuery(vec![param.to_owned()])),
        },
    }
}

/// Parses a v3 list query; `allowed` are the endpoint's filters (`per_page`, `cursor` always allowed).
pub fn parse_v3(raw: Option<&str>, allowed: &[&str]) -> Result<ListQuery, GhError> {
    let pairs = url_pairs(raw.unwrap_or(""));
    if let Some((_, cursor)) = pairs.iter().find(|(k, _)| k == "cursor") {
        let others: Vec<String> = pairs.iter().filter(|(k, _)| k != "cursor").map(|(k, _)| k.clone()).collect();
        if !others.is_empty() {
            return Err(GhError::InvalidQuery(others));
        }
        return decode_cursor(cursor).ok_or_else(|| GhError::InvalidQuery(vec!["cursor".into()]));
    }
    let unknown: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "per_page" && !allowed.contains(&k.as_str()))
        .map(|(k, _)| k.clone())
        .collect();
    if !unknown.is_empty() {
        return Err(GhError::InvalidQuery(unknown));
    }
    let per_page = per_page(pairs.iter().find(|(k, _)| k == "per_page").map(|(_, v)| v.as_str()), "per_page")?;
    let filters = pairs.into_iter().filter(|(k, _)| k != "per_page").collect();
    Ok(ListQuery { filters, per_page, start_id: None, page: 1, skip_count: false })
}

fn decode_cursor(cursor: &str) -> Option<ListQuery> {
    let bytes = STANDARD.decode(cursor.trim()).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let filters = v
        .get("query")?
        .as_object()?
        .iter()
        .filter(|(k, _)| *k != "per_page")
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .collect();
    Some(ListQuery {
        filters,
        per_page: usize::try_from(v.get("per_page")?.as_u64()?).ok()?.clamp(1, MAX_PER_PAGE),
        start_id: Some(v.get("id")?.as_i64()?),
        page: usize::try_from(v.get("page")?.as_u64()?).ok()?,
        skip_count: false,
    })
}

fn encode_cursor(q: &ListQuery, next_id: i64) -> String {
    let mut query: Map<String, Value> = q.filters.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    query.insert("per_page".into(), json!(q.per_page));
    let request_id = format!("{:032x}", rand::random::<u128>());
    let body = json!({"query": query, "per_page": q.per_page, "id": next_id, "page": q.page + 1, "original_request_id": request_id});
    STANDARD.encode(body.to_string())
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One v3 page of `rows` (any order; served newest id first) with the `Link` header.
pub fn page_v3<T: Serialize>(mut rows: Vec<(i64, T)>, q: &ListQuery, base: &str, path: &str) -> Response {
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let start = q.start_id.map_or(0, |id| rows.iter().position(|(rid, _)| *rid <= id).unwrap_or(rows.len()));
    let rest: Vec<(i64, T)> = rows.into_iter().skip(start).collect();
    let next = rest.get(q.per_page).map(|(id, _)| *id);
    let items: Vec<T> = rest.into_iter().take(q.per_page).map(|(_, t)| t).collect();
    // The recording's last page carries an empty Link header rather than none.
    let link = next
        .map_or_else(String::new, |id| format!("<{base}{path}?cursor={}>; rel=\"next\"", pct(&encode_cursor(q, id))));
    with_link(Json(items).into_response(), &link)
}

/// Parses a v1 list query (`page`, `per_page`, `skip_count` plus `allowed` filters).
pub fn parse_v1(raw: Option<&str>, allowed: &[&str]) -> Result<ListQuery, GhError> {
    let pairs = url_pairs(raw.unwrap_or(""));
    let paging = ["page", "per_page", "skip_count"];
    let unknown: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !paging.contains(&k.as_str()) && !allowed.contains(&k.as_str()))
        .map(|(k, _)| k.clone())
        .collect();
    if !unknown.is_empty() {
        return Err(GhError::InvalidQuery(unknown));
    }
    let find = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let page = match find("page") {
        None => 1,
        Some(p) => {
            p.parse::<usize>().ok().filter(|p| *p >= 1).ok_or_else(|| GhError::InvalidQuery(vec!["page".into()]))?
        }
    };
    Ok(ListQuery {
        per_page: per_page(find("per_page"), "per_page")?,
        skip_count: find("skip_count") == Some("true"),
        filters: pairs.iter().filter(|(k, _)| !paging.contains(&k.as_str())).cloned().collect(),
        start_id: None,
        page,
    })
}

/// One v1 page of `rows` (served by ascending id) with `next`/`prev`/`last` links.
pub fn page_v1<T: Serialize>(mut rows: Vec<(i64, T)>, q: &ListQuery, base: &str, path: &str) -> Response {
    rows.sort_by_key(|r| r.0);
    let total_pages = rows.len().div_ceil(q.per_page).max(1);
    let items: Vec<T> = rows.into_iter().skip((q.page - 1) * q.per_page).take(q.per_page).map(|(_, t)| t).collect();
    let filters: String = q.filters.iter().map(|(k, v)| format!("&{}={}", pct(k), pct(v))).collect();
    let url = |page: usize| format!("<{base}{path}?page={page}&per_page={}{filters}>", q.per_page);
    let mut links = Vec::new();
    if q.page < total_pages {
        links.push(format!("{}; rel=\"next\"", url(q.page + 1)));
    }
    if q.page > 1 {
        links.push(format!("{}; rel=\"prev\"", url(q.page - 1)));
    }
    if !q.skip_count {
        links.push(format!("{}; rel=\"last\"", url(total_pages)));
    }
    with_link(Json(items).into_response(), &links.join(", "))
}

fn with_link(mut response: Response, link: &str) -> Response {
    if let Ok(value) = HeaderValue::try_from(link) {
        response.headers_mut().insert("link", value);
    }
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_forbids_other_params() {
        let q = parse_v3(Some("per_page=2&status=open"), &["status"]).unwrap();
        let cursor = encode_cursor(&q, 6392119002);
        let next = parse_v3(Some(&format!("cursor={}", pct(&cursor))), &[]).unwrap();
        assert_eq!(next.start_id, Some(6392119002));
        assert_eq!(next.get("status"), Some("open"));
        assert_eq!(next.per_page, 2);
        assert!(
            matches!(parse_v3(Some(&format!("cursor={cursor}&per_page=5")), &[]), Err(GhError::InvalidQuery(p)) if p == ["per_page"])
        );
    }

    #[test]
    fn unknown_filters_and_bad_page_sizes_are_422() {
        assert!(
            matches!(parse_v3(Some("candidate_id=1"), &["candidate_ids"]), Err(GhError::InvalidQuery(p)) if p == ["candidate_id"])
        );
        assert!(parse_v3(Some("per_page=501"), &[]).is_err());
        assert!(parse_v3(Some("per_page=0"), &[]).is_err());
        assert_eq!(parse_v3(None, &[]).unwrap().per_page, 100);
    }
}
