//! Reading a JSON:API write document the way Teamtailor's JSON:API
//! resources stack does: the media type, `data.type`, `data.id` matching the
//! path, permitted attributes only (400 `Param not allowed` otherwise), and
//! relationships as `{"data": {"id", "type"}}` with string or numeric ids.

use super::auth::require_jsonapi;
use super::errors::TtError;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

/// A parsed write: attributes and to-one relationships (`None` for `data: null`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteDoc {
    /// Attributes by kebab-case name.
    pub attributes: Map<String, Value>,
    /// Relationship name → related id.
    pub relationships: Vec<(String, Option<i64>)>,
}

impl WriteDoc {
    /// An optional string attribute (null clears); other types are a 422.
    pub fn text(&self, name: &str) -> Result<Option<Option<String>>, TtError> {
        match self.attributes.get(name) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
            Some(_) => Err(TtError::field(name, "must be a string")),
        }
    }

    /// An optional boolean attribute.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, TtError> {
        match self.attributes.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(TtError::field(name, "must be a boolean")),
        }
    }

    /// The related id of `name`, when given.
    pub fn related(&self, name: &str) -> Option<i64> {
        self.relationships.iter().find(|(n, _)| n == name).and_then(|(_, id)| *id)
    }
}

fn invalid(detail: &str) -> TtError {
    TtError::BadRequest { title: "Invalid request".into(), detail: detail.to_owned(), code: "106" }
}

fn id_of(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// Parses a write for resource type `kind`; `path_id` is the id in the URL of a PATCH.
pub fn parse(
    headers: &HeaderMap,
    body: &[u8],
    kind: &str,
    path_id: Option<i64>,
    allowed: &[&str],
    relations: &[&str],
) -> Result<WriteDoc, TtError> {
    require_jsonapi(headers)?;
    let doc: Value = serde_json::from_slice(body).map_err(|_| invalid("The request body is not valid JSON."))?;
    let data = doc.get("data").and_then(Value::as_object).ok_or_else(|| invalid("data is required."))?;
    let sent_type = data.get("type").and_then(Value::as_str).unwrap_or_default();
    if sent_type != kind {
        return Err(TtError::BadRequest {
            title: "Invalid resource".into(),
            detail: format!("{sent_type} is not a valid resource."),
            code: "101",
        });
    }
    if let Some(expected) = path_id
        && data.get("id").and_then(id_of) != Some(expected)
    {
        return Err(TtError::BadRequest {
            title: "Key is not included in URL".into(),
            detail: format!("The URL does not support the key {}", data.get("id").unwrap_or(&Value::Null)),
            code: "113",
        });
    }
    let attributes = match data.get("attributes") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(a)) => a.clone(),
        Some(_) => return Err(invalid("attributes must be an object.")),
    };
    if let Some(name) = attributes.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(TtError::param(name));
    }
    let mut relationships = Vec::new();
    if let Some(rels) = data.get("relationships").and_then(Value::as_object) {
        for (name, rel) in rels {
            if !relations.contains(&name.as_str()) {
                return Err(TtError::param(name));
            }
            let id = match rel.get("data") {
                Some(Value::Null) => None,
                Some(Value::Object(o)) => {
                    Some(o.get("id").and_then(id_of).ok_or_else(|| invalid("A relationship id is invalid."))?)
                }
                _ => return Err(invalid("Relationships must be {\"data\": {\"id\", \"type\"}}.")),
            };
            relationships.push((name.clone(), id));
        }
    }
    Ok(WriteDoc { attributes, relationships })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(ct: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static(ct));
        h
    }

    #[test]
    fn writes_need_the_media_type_the_type_and_permitted_attributes() {
        let ok =
            br#"{"data":{"type":"notes","attributes":{"note":"hi"},"relationships":{"candidate":{"data":{"id":4}}}}}"#;
        let doc = parse(&headers("application/vnd.api+json"), ok, "notes", None, &["note"], &["candidate"]).unwrap();
        assert_eq!(doc.related("candidate"), Some(4));
        assert!(matches!(
            parse(&headers("application/json"), ok, "notes", None, &["note"], &["candidate"]),
            Err(TtError::MediaType(_))
        ));
        assert!(parse(&headers("application/vnd.api+json"), ok, "jobs", None, &["note"], &["candidate"]).is_err());
        assert_eq!(
            parse(&headers("application/vnd.api+json"), ok, "notes", None, &[], &["candidate"]),
            Err(TtError::param("note"))
        );
        let patch = br#"{"data":{"type":"notes","id":"5","attributes":{}}}"#;
        assert!(parse(&headers("application/vnd.api+json"), patch, "notes", Some(5), &[], &[]).is_ok());
        assert!(parse(&headers("application/vnd.api+json"), patch, "notes", Some(6), &[], &[]).is_err());
    }
}
