//! People sync (SPEC S, A, M), the capability of an applicant-tracking
//! system: the [`People`] trait the engine drives, the capability set that
//! says what a provider lacks, and the values its methods exchange.

use crate::{Provider, Result};
use async_trait::async_trait;
use hiresync_core::fields::FieldOption;
use hiresync_core::{Education, Employment, NoteDraft, Person, PersonDraft, PlacedStage, Target};
use serde::{Deserialize, Serialize};

/// What a provider can do; the engine skips what it cannot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// People can be placed on targets (jobs, pools, projects).
    pub targets: bool,
    /// A placement's stage can be moved.
    pub stages: bool,
    /// Notes can be written.
    pub notes: bool,
    /// Email records exist apart from notes (Greenhouse v3 activity emails).
    pub email_records: bool,
    /// Employment history can be written.
    pub history: bool,
    /// Education history can be written.
    pub education: bool,
    /// Custom field definitions can be listed and written.
    pub custom_fields: bool,
    /// People carry an off-limits / do-not-contact state.
    pub off_limits: bool,
    /// A target's people can be listed (imports).
    pub list_people: bool,
    /// People can be searched by field values (SPEC M3).
    pub search_people: bool,
}

/// Pages [`People::target_person`]'s default walks through at most: an import's target is one
/// job or project, whose listing an hourly run reads whole anyway.
pub const MAX_TARGET_PAGES: usize = 200;

/// Who an ATS webhook delivery says was put on (or moved within) a target, by ids only: the
/// receiver reads the person again from the provider and trusts nothing else in the body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrived {
    /// The person, when the delivery names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The placement (application, candidacy), when the delivery names no person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement_id: Option<String>,
    /// The job or project the delivery says it concerns; none: it does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

/// An id as a webhook body carries it, a number or text, as text.
pub fn id_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A target the user can pick, with its stages (API.md `GET .../targets`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetOption {
    /// The target object as a sequence or default would carry it.
    pub target: Target,
    /// Human name ("Senior Rust Engineer", "Talent pool").
    pub name: String,
    /// `job`, `prospect_pool`, `project`.
    pub kind: String,
    /// Provider status of the target (open, Pitch, On Hold, ...).
    pub status: Option<String>,
    /// Stages people may be moved to: (id, name).
    pub stages: Vec<(String, String)>,
}

/// Where a person was put: the provider's application / candidacy id and its stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// The provider's id for the person-on-target record (application, candidacy, job application).
    pub id: String,
    /// The stage it is at, as far as the provider's answer tells.
    pub stage: PlacedStage,
}

/// A person just created, and where the same call placed them.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// The new person.
    pub person: Person,
    /// The placement made together with the person, when a target was given and the provider
    /// places in the same call; otherwise the caller places them.
    pub placement: Option<Placement>,
}

/// A custom field definition (SPEC M2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    /// The provider's key or API name for the field.
    pub key: String,
    /// Label shown to users.
    pub name: String,
    /// `person` or `company` (or `application`).
    pub object: String,
    /// Provider value type (`short_text`, `single_select`, ...).
    pub value_type: String,
    /// Allowed values for selects, in the provider's order.
    pub options: Vec<FieldOption>,
}

/// One page of a listing with the cursor for the next, followed verbatim.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Opaque cursor (a URL or token) for the next page; none at the end.
    pub next: Option<String>,
}

/// One ATS account's people, as the engine syncs them. Every call is safe to
/// repeat: writes are preceded by reads where the provider cannot deduplicate.
///
/// ```no_run
/// # async fn demo(people: &dyn hiresync_providers::People) -> hiresync_providers::Result<()> {
/// if let Some(person) = people.find_person_by_email("ada@example.com").await? {
///     println!("{} is {}", person.id, people.person_url(&person.id));
/// }
/// # Ok(()) }
/// ```
#[async_trait]
pub trait People: Provider {
    /// What it can do.
    fn capabilities(&self) -> Capabilities;
    /// Finds the person holding this (normalised) email.
    async fn find_person_by_email(&self, email: &str) -> Result<Option<Person>>;
    /// Creates a person, placed on `target` in the same request where the provider allows it
    /// (fewer calls per contact); `draft.employment` is written as the new person's history.
    async fn create_person(&self, draft: &PersonDraft, target: Option<&Target>) -> Result<Created>;
    /// Updates the fields present in `draft` on an existing person, merging collections.
    async fn update_person(&self, person_id: &str, draft: &PersonDraft) -> Result<Person>;
    /// Puts a person on a target (job, pool, project) at its stage; reuses a placement already
    /// there. `as_prospect`: on a job, as a prospect where the provider has them (Greenhouse, SPEC S11).
    async fn place_person(&self, person_id: &str, target: &Target, as_prospect: bool) -> Result<Placement>;
    /// Moves a placement to `stage` (an id, or a stage name where the provider resolves names within
    /// the placement's job or pool). `target` is where the person was placed, when known; the
    /// placement's stage, when known, spares reading it first. Returns the placement after the move:
    /// a new one when moving made one (a prospect converted to a candidate).
    async fn move_stage(
        &self,
        person_id: &str,
        placement: &Placement,
        target: Option<&Target>,
        stage: &str,
    ) -> Result<Placement>;
    /// The id of a note already holding this content: reads back a write whose outcome is unknown.
    async fn find_note(&self, person_id: &str, note: &NoteDraft) -> Result<Option<String>>;
    /// Writes a note (or an email record where the provider has one) without reading first:
    /// callers use [`People::find_note`] when an earlier attempt may have written it.
    async fn write_note(&self, person_id: &str, note: &NoteDraft) -> Result<String>;
    /// Replaces the person's employment history.
    async fn write_history(&self, person_id: &str, history: &[Employment]) -> Result<()>;
    /// Replaces the person's education history (where [`Capabilities::education`] says so).
    async fn write_education(&self, _person_id: &str, _schools: &[Education]) -> Result<()> {
        Err(crate::ProviderError::new(
            crate::ErrorKind::Permanent,
            self.kind(),
            "write education",
            format!("{} keeps no education history", self.kind().display_name()),
        ))
    }
    /// Lists the targets and their stages.
    async fn list_targets(&self) -> Result<Vec<TargetOption>>;
    /// Lists one page of a target's people.
    async fn list_target_people(&self, target: &Target, cursor: Option<&str>) -> Result<Page<Person>>;
    /// The person as [`People::list_target_people`] would list them now, if they are among the
    /// target's people (an ATS webhook names who moved; only the provider says where they are).
    /// This default walks the target's listing; providers that can ask about one person do so.
    async fn target_person(&self, target: &Target, person_id: &str) -> Result<Option<Person>> {
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_TARGET_PAGES {
            let page = self.list_target_people(target, cursor.as_deref()).await?;
            if let Some(found) = page.items.into_iter().find(|p| p.id == person_id) {
                return Ok(Some(found));
            }
            match page.next {
                Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
                _ => return Ok(None),
            }
        }
        Ok(None)
    }
    /// The person a placement (an application, a candidacy) belongs to: a webhook may name only
    /// the placement. `None` when the provider no longer has it.
    async fn placement_person(&self, placement_id: &str) -> Result<Option<String>> {
        Err(crate::ProviderError::new(
            crate::ErrorKind::Permanent,
            self.kind(),
            "read placement",
            format!("{} placements are not read by id (placement {placement_id})", self.kind().display_name()),
        ))
    }
    /// Lists custom field definitions.
    async fn custom_fields(&self) -> Result<Vec<CustomField>>;
    /// People holding every `(field, value)` filter, at most [`crate::search::SEARCH_LIMIT`]
    /// (SPEC M3). Filters the provider cannot apply itself are applied to a bounded listing.
    async fn search_people(&self, filters: &[(String, String)]) -> Result<Vec<Person>>;

    /// Single-valued provider fields a field map may fill besides the custom fields (SPEC M4).
    fn standard_fields(&self) -> Vec<&'static str>;
    /// Provider fields holding several values a field map may fill (a list variable's last target).
    fn list_fields(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Whether a text custom field takes a list variable's remaining values joined with `, `
    /// (so secondary emails or phones fit one text field), rather than refusing a list.
    fn joins_lists_into_text(&self) -> bool {
        false
    }
    /// Fields of the person's company a field map with `object: "company"` may fill (SPEC M1).
    fn company_fields(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// The provider user whose email is `email`, whom writes can be attributed to (Greenhouse's
    /// users); none where nobody has it, or where every write is the connection's own.
    async fn user_by_email(&self, _email: &str) -> Result<Option<String>> {
        Ok(None)
    }
    /// Whether `user` is an active provider user writes can be attributed to.
    async fn user_exists(&self, _user: &str) -> Result<bool> {
        Ok(false)
    }
    /// This account writing as provider user `user` (notes, people created); none where writes
    /// cannot be attributed per user.
    fn acting_as(&self, _user: &str) -> Option<std::sync::Arc<dyn People>> {
        None
    }
    /// The off-limits reason for a person, if they are off-limits.
    async fn off_limits(&self, person_id: &str) -> Result<Option<String>>;
    /// A link to open the person in the provider's web app.
    fn person_url(&self, person_id: &str) -> String;
}
