//! `limit`/`offset` pagination (and `page` on search) with a `meta` block.
//! The real maximum page size is unknown; the simulator caps `limit` at
//! [`MAX_LIMIT`] silently, so clients must not stop on a short page.

use super::errors::CwError;
use crate::log::url_pairs;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

/// Largest page served; a larger `limit` is clamped, not refused.
pub const MAX_LIMIT: usize = 100;
/// Page size when no `limit` is given.
pub const DEFAULT_LIMIT: usize = 25;

/// A parsed list query.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    /// Page size after clamping.
    pub limit: usize,
    /// Records to skip.
    pub offset: usize,
    /// Every parameter as sent.
    pub params: Vec<(String, String)>,
}

impl ListQuery {
    /// A parameter's first value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn number(raw: Option<&str>, name: &str, min: usize) -> Result<Option<usize>, CwError> {
    raw.map(|v| v.trim().parse::<usize>().ok().filter(|n| *n >= min))
        .map(|n| n.ok_or_else(|| CwError::BadRequest(format!("{name} must be an integer of at least {min}"))))
        .transpose()
}

/// Reads `limit`, `offset` and (search only) a 1-based `page`.
pub fn parse(raw: Option<&str>) -> Result<ListQuery, CwError> {
    let params = url_pairs(raw.unwrap_or(""));
    let find = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let limit = number(find("limit"), "limit", 1)?.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let offset = match (number(find("offset"), "offset", 0)?, number(find("page"), "page", 1)?) {
        (Some(offset), _) => offset,
        (None, Some(page)) => (page - 1).saturating_mul(limit),
        (None, None) => 0,
    };
    Ok(ListQuery { limit, offset, params })
}

/// `{"<key>": [page], "meta": {"total", "limit", "offset"}}`.
pub fn page<T: Serialize>(key: &str, rows: Vec<T>, q: &ListQuery) -> Response {
    let total = rows.len();
    let items: Vec<T> = rows.into_iter().skip(q.offset).take(q.limit).collect();
    let mut body = serde_json::Map::new();
    body.insert(key.to_owned(), json!(items));
    body.insert("meta".into(), json!({"total": total, "limit": q.limit, "offset": q.offset}));
    Json(Value::Object(body)).into_response()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn limits_clamp_pages_become_offsets_and_garbage_is_a_400() {
        let q = parse(Some("limit=500&offset=7")).unwrap();
        assert_eq!((q.limit, q.offset), (MAX_LIMIT, 7));
        let q = parse(Some("q=ada&limit=10&page=3")).unwrap();
        assert_eq!((q.limit, q.offset, q.get("q")), (10, 20, Some("ada")));
        assert_eq!(parse(None).unwrap().limit, DEFAULT_LIMIT);
        assert!(parse(Some("limit=0")).is_err());
        assert!(parse(Some("offset=-1")).is_err());
        assert!(parse(Some("page=0")).is_err());
    }
}
