//! JSON:API envelope types as Teamtailor serves and takes them: documents,
//! resources with `attributes` and `relationships`, pagination `links` /
//! `meta`, the `errors` array, and the write document. Read leniently: ids
//! arrive as strings in responses but as numbers in the legacy docs'
//! examples, and unknown members are ignored.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Reads an id sent as a string or a number.
pub fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!("expected an id, found {other}"))),
    }
}

/// Reads an optional id sent as a string, a number or null.
pub fn opt_id_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!("expected an id, found {other}"))),
    }
}

/// A resource identifier (`{"id", "type"}`); `type` is missing in some legacy examples.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Identifier {
    /// Id.
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    /// Resource type (`candidates`, `stages`, ...).
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// A relationship's resource linkage: one identifier or many.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Linkage {
    /// To-many.
    Many(Vec<Identifier>),
    /// To-one.
    One(Identifier),
}

/// A relationship: links always, `data` only when the request used `include`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Relationship {
    /// Linkage; null for an empty to-one.
    pub data: Option<Linkage>,
    /// `self` and `related` links.
    pub links: Map<String, Value>,
}

/// One resource object with typed attributes.
#[derive(Clone, Debug, Deserialize)]
pub struct Resource<A> {
    /// Id.
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    /// Resource type.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Attributes (kebab-case names).
    #[serde(default)]
    pub attributes: A,
    /// Relationships by name.
    #[serde(default)]
    pub relationships: BTreeMap<String, Relationship>,
    /// Resource links (`self`, careersite URLs on jobs).
    #[serde(default)]
    pub links: Map<String, Value>,
}

impl<A> Resource<A> {
    /// The id of a to-one relationship, when its linkage was included.
    pub fn related_id(&self, name: &str) -> Option<&str> {
        match self.relationships.get(name)?.data.as_ref()? {
            Linkage::One(identifier) => Some(identifier.id.as_str()),
            Linkage::Many(_) => None,
        }
    }

    /// The ids of a to-many relationship, when its linkage was included.
    pub fn related_ids(&self, name: &str) -> Vec<&str> {
        match self.relationships.get(name).and_then(|r| r.data.as_ref()) {
            Some(Linkage::Many(ids)) => ids.iter().map(|i| i.id.as_str()).collect(),
            Some(Linkage::One(i)) => vec![i.id.as_str()],
            None => Vec::new(),
        }
    }
}

/// Pagination links; `next` is absent (or null) on the last page.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Links {
    /// First page.
    pub first: Option<String>,
    /// Previous page.
    pub prev: Option<String>,
    /// Next page.
    pub next: Option<String>,
    /// Last page.
    pub last: Option<String>,
}

/// A top-level document: `data` plus compound `included` resources and pagination.
#[derive(Clone, Debug, Deserialize)]
pub struct Document<D> {
    /// One resource or a list.
    pub data: D,
    /// Resources asked for with `include=`, untyped until read with [`Document::included_as`].
    #[serde(default)]
    pub included: Vec<Resource<Value>>,
    /// `record-count`, `page-count` and resource texts.
    #[serde(default)]
    pub meta: Map<String, Value>,
    /// Pagination links.
    #[serde(default)]
    pub links: Links,
}

impl<D> Document<D> {
    /// `meta.record-count`, when sent.
    pub fn record_count(&self) -> Option<i64> {
        self.meta.get("record-count").and_then(Value::as_i64)
    }

    /// The included resources of `kind`, with their attributes typed.
    pub fn included_as<A: DeserializeOwned + Default>(&self, kind: &str) -> Vec<Resource<A>> {
        typed(&self.included, kind)
    }
}

/// The untyped resources of `kind`, with their attributes typed (unreadable attributes read as default).
pub fn typed<A: DeserializeOwned + Default>(resources: &[Resource<Value>], kind: &str) -> Vec<Resource<A>> {
    resources
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| Resource {
            id: r.id.clone(),
            kind: r.kind.clone(),
            attributes: serde_json::from_value(r.attributes.clone()).unwrap_or_default(),
            relationships: r.relationships.clone(),
            links: r.links.clone(),
        })
        .collect()
}

/// A list document.
pub type ListDocument<A> = Document<Vec<Resource<A>>>;

/// One JSON:API error; `status` and `code` come as strings or numbers.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ErrorObject {
    /// Short summary (`can't be blank`).
    pub title: Option<String>,
    /// Longer explanation (`email - can't be blank`).
    pub detail: Option<String>,
    /// Application code.
    pub code: Option<Value>,
    /// HTTP status.
    pub status: Option<Value>,
    /// `{"pointer": "/data/attributes/email"}`.
    pub source: Option<Map<String, Value>>,
}

/// `{"errors": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ErrorDocument {
    /// The errors.
    pub errors: Vec<ErrorObject>,
}

/// A JSON:API write document: `{"data": {"type", "id"?, "attributes"?, "relationships"?}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WriteDocument<A> {
    /// The resource written.
    pub data: WriteResource<A>,
}

/// The resource of a [`WriteDocument`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WriteResource<A> {
    /// Resource type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Id, on an update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Attributes written; none when only relationships change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<A>,
    /// To-one relationships written, by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub relationships: BTreeMap<&'static str, ToOne>,
}

/// A to-one relationship written: `{"data": {"id", "type"}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ToOne {
    /// The related resource.
    pub data: Identifier,
}

impl<A> WriteDocument<A> {
    /// A document writing a `kind` resource (`id` on an update).
    pub fn new(kind: &'static str, id: Option<&str>, attributes: Option<A>) -> Self {
        Self { data: WriteResource { kind, id: id.map(str::to_owned), attributes, relationships: BTreeMap::new() } }
    }

    /// The document with relationship `name` pointing at the `kind` resource `id`.
    #[must_use]
    pub fn relate(mut self, name: &'static str, kind: &str, id: &str) -> Self {
        let data = Identifier { id: id.to_owned(), kind: kind.to_owned() };
        self.data.relationships.insert(name, ToOne { data });
        self
    }
}
