//! A connection's sync settings (API.md "settings"), resolved in layers:
//! built-in defaults, then the workspace's defaults, then the user's own (SPEC S13).

use crate::contract::ContractSettings;
use crate::{ProviderKind, Target, ValidationError, validation::Checker};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// When people are synced (SPEC S1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Never.
    Off,
    /// When added to a sequence.
    #[default]
    OnAdd,
    /// Only when they reply.
    OnReply,
    /// Only when they reply positively (marked interested).
    OnInterested,
}

/// Greenhouse: create people as prospects or candidates (SPEC S11).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreateAs {
    /// A prospect (the default).
    #[default]
    Prospect,
    /// A candidate with an application.
    Candidate,
}

/// One mapping line: an outreach variable to one or more provider fields (SPEC M1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldMapping {
    /// The outreach variable (`first_name`, `emails`, `social.linkedin`, `variables.x`).
    pub source: String,
    /// Provider field names it fills.
    pub targets: Vec<String>,
    /// Person or company record.
    #[serde(default = "default_object")]
    pub object: String,
}

fn default_object() -> String {
    "person".to_owned()
}

/// Every setting of a connection, fully resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionSettings {
    /// When people are synced (S1).
    pub trigger: Trigger,
    /// Flag contacts whose email existed in the provider before they were added (S5).
    pub dedup_warning: bool,
    /// Write outreach activity to the provider (A1).
    pub activity_tracking: bool,
    /// Where people go unless the sequence says otherwise (S4).
    pub default_target: Option<Target>,
    /// Greenhouse: prospect or candidate (S11).
    pub create_as: CreateAs,
    /// Push hand edits of a contact (S8).
    pub sync_manual_updates: bool,
    /// Answer "may I email?" with no for people marked off-limits (S10).
    pub block_off_limits: bool,
    /// Update work and education history on re-sync (S9).
    pub update_history: bool,
    /// Outreach types written as notes (A4).
    pub notes_for: Vec<String>,
    /// Only add notes to people already synced (A4).
    pub notes_only_for_synced: bool,
    /// Outreach type to provider note type (A4).
    pub note_types: BTreeMap<String, String>,
    /// Outreach stage to provider stage, by id or by name within the person's job or pool (A5).
    pub stage_map: BTreeMap<String, String>,
    /// Outreach stage to a tag added to the person when they reach it (A5 progress: "Messaged", "Replied").
    pub progress_tags: BTreeMap<String, String>,
    /// Outreach variables to provider fields (M1).
    pub field_map: Vec<FieldMapping>,
    /// Provider fields a recruiter may fill per person (M3).
    pub displayed_fields: Vec<String>,
    /// Contacts missing one of these are not synced (S6).
    pub mandatory_fields: Vec<String>,
    /// Never overwritten on existing records (S7).
    pub protected_fields: Vec<String>,
    /// Fields the outreach app may search people by (M3).
    pub filterable_fields: Vec<String>,
    /// Clockwork's per-firm email-to-note BCC address (A6).
    pub bcc_address: Option<String>,
    /// Greenhouse workspace connections: the Greenhouse user each hiresync user (by id or email)
    /// writes as, where matching their email would not find them (C1).
    pub acting_users: BTreeMap<String, i64>,
    /// Oneflow only: the Teamtailor link and its `field_map` (SPEC B); [`Self::to_json`] shows them.
    #[serde(skip)]
    pub contracts: Option<ContractSettings>,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self {
            trigger: Trigger::OnAdd,
            dedup_warning: false,
            activity_tracking: true,
            default_target: None,
            create_as: CreateAs::Prospect,
            sync_manual_updates: false,
            block_off_limits: false,
            update_history: false,
            notes_for: ["message_sent", "reply_received", "task_completed"].map(String::from).to_vec(),
            notes_only_for_synced: false,
            note_types: BTreeMap::new(),
            stage_map: BTreeMap::new(),
            progress_tags: BTreeMap::new(),
            field_map: Vec::new(),
            displayed_fields: Vec::new(),
            mandatory_fields: Vec::new(),
            protected_fields: Vec::new(),
            filterable_fields: Vec::new(),
            bcc_address: None,
            acting_users: BTreeMap::new(),
            contracts: None,
        }
    }
}

/// Outreach types a note may record (A4).
pub const OUTREACH_TYPES: [&str; 8] = [
    "message_sent",
    "reply_received",
    "marked_interested",
    "marked_not_interested",
    "unsubscribed",
    "bounced",
    "task_completed",
    "contact_updated",
];

/// Greenhouse note types (`note_type` on `POST /v3/notes`), in any case.
pub const GREENHOUSE_NOTE_TYPES: [&str; 3] = ["note", "activity", "email"];

/// Teamtailor note types: a note the hiring team sees, or a private one, in any case.
pub const TEAMTAILOR_NOTE_TYPES: [&str; 2] = ["note", "private"];

/// Outreach stages a stage mapping may name (A5).
pub const OUTREACH_STAGES: [&str; 6] =
    ["messaged", "replied", "interested", "not_interested", "unsubscribed", "bounced"];

impl ConnectionSettings {
    /// Resolves the layers: built-in defaults, workspace defaults, the connection's own keys.
    pub fn resolve(
        provider: ProviderKind,
        workspace: &Map<String, Value>,
        own: &Map<String, Value>,
    ) -> Result<Self, ValidationError> {
        let mut merged = Map::new();
        merged.extend(workspace.clone());
        merged.extend(own.clone());
        Self::parse(provider, &Value::Object(merged))
    }

    /// Parses and validates a settings object, naming the field at fault (M4). Oneflow's
    /// `field_map` and `teamtailor_connection_id` have the contract shape (SPEC B).
    pub fn parse(provider: ProviderKind, value: &Value) -> Result<Self, ValidationError> {
        let Some(obj) = value.as_object() else {
            return Err(ValidationError::field("settings", "must be an object"));
        };
        // Targets are checked per provider, so take them out before serde sees them.
        let mut rest = obj.clone();
        let target = rest.remove("default_target");
        let contracts = match provider {
            ProviderKind::Oneflow => Some(ContractSettings::parse(
                rest.remove("field_map"),
                rest.remove("teamtailor_connection_id"),
                rest.remove("candidate_data_field"),
            )?),
            _ => None,
        };
        let mut settings: ConnectionSettings =
            serde_path_to_error::deserialize(Value::Object(rest)).map_err(|e| field_error(&e))?;
        settings.default_target = match target {
            None | Some(Value::Null) => None,
            Some(v) => Some(Target::parse(provider, &v, "default_target")?),
        };
        settings.contracts = contracts;
        settings.validate(provider)?;
        Ok(settings)
    }

    /// The settings as the API shows them: Oneflow's contract keys in place of the people mapping.
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or_else(|_| Value::Object(Map::new()));
        if let (Some(contracts), Value::Object(obj)) = (&self.contracts, &mut value) {
            obj.insert("teamtailor_connection_id".into(), contracts.teamtailor_connection_id.clone().into());
            obj.insert("candidate_data_field".into(), contracts.candidate_data_field.clone().into());
            obj.insert(
                "field_map".into(),
                serde_json::to_value(&contracts.field_map).unwrap_or_else(|_| Value::Array(Vec::new())),
            );
        }
        value
    }

    fn validate(&self, provider: ProviderKind) -> Result<(), ValidationError> {
        let mut c = Checker::default();
        for (i, t) in self.notes_for.iter().enumerate() {
            c.check(OUTREACH_TYPES.contains(&t.as_str()), &format!("notes_for[{i}]"), "unknown outreach type");
        }
        for k in self.note_types.keys() {
            c.check(OUTREACH_TYPES.contains(&k.as_str()), &format!("note_types.{k}"), "unknown outreach type");
        }
        if provider == ProviderKind::Greenhouse {
            for (k, v) in &self.note_types {
                let known = GREENHOUSE_NOTE_TYPES.iter().any(|t| t.eq_ignore_ascii_case(v.trim()));
                c.check(known, &format!("note_types.{k}"), "must be note, activity or email");
            }
        }
        if provider == ProviderKind::Teamtailor {
            for (k, v) in &self.note_types {
                let known = TEAMTAILOR_NOTE_TYPES.iter().any(|t| t.eq_ignore_ascii_case(v.trim()));
                c.check(known, &format!("note_types.{k}"), "must be note or private (Teamtailor's private notes)");
            }
        }
        for (k, v) in &self.acting_users {
            let path = format!("acting_users.{k}");
            c.check(provider == ProviderKind::Greenhouse, &path, "only Greenhouse connections write as other users");
            c.check(!k.trim().is_empty(), &path, "must name a hiresync user by id or email");
            c.check(*v > 0, &path, "must be a Greenhouse user id (a positive integer)");
        }
        for (k, v) in &self.stage_map {
            c.check(OUTREACH_STAGES.contains(&k.as_str()), &format!("stage_map.{k}"), "unknown outreach stage");
            c.check(!v.trim().is_empty(), &format!("stage_map.{k}"), "must name a stage (its id or name)");
        }
        for (k, v) in &self.progress_tags {
            c.check(OUTREACH_STAGES.contains(&k.as_str()), &format!("progress_tags.{k}"), "unknown outreach stage");
            c.check(!v.trim().is_empty() && v.len() <= 255, &format!("progress_tags.{k}"), "must be a tag name");
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, m) in self.field_map.iter().enumerate() {
            let path = format!("field_map[{i}]");
            c.check(!m.source.trim().is_empty(), &format!("{path}.source"), "must not be empty");
            c.check(!m.targets.is_empty(), &format!("{path}.targets"), "must name at least one provider field");
            c.check(
                m.object == "person" || m.object == "company",
                &format!("{path}.object"),
                "must be person or company",
            );
            let is_list = crate::event::LIST_VARIABLES.contains(&m.source.as_str());
            c.check(is_list || m.targets.len() == 1, &format!("{path}.targets"), "a string variable maps to one field");
            c.check(
                is_list || seen.insert((m.object.clone(), m.source.clone())),
                &format!("{path}.source"),
                "this string variable is already mapped",
            );
        }
        if let Some(bcc) = &self.bcc_address {
            c.check(crate::validation::is_email(bcc), "bcc_address", "must be an email address");
        }
        c.finish()
    }
}

/// A serde failure as a validation error on the path of the failing value. A missing key
/// is reported at its parent's path, so the key's name is appended.
pub(crate) fn field_error(e: &serde_path_to_error::Error<serde_json::Error>) -> ValidationError {
    let path = e.path().to_string();
    let message = e.inner().to_string();
    let key = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    let field = match (path.as_str(), key) {
        (".", Some(key)) => key.to_owned(),
        (".", None) => message.split('`').nth(1).unwrap_or("settings").to_owned(),
        (parent, Some(key)) => format!("{parent}.{key}"),
        (parent, None) => parent.to_owned(),
    };
    ValidationError::field(field, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn own_keys_win_over_workspace_defaults_which_win_over_built_ins() {
        let ws = json!({"trigger": "on_reply", "dedup_warning": true});
        let own = json!({"trigger": "off"});
        let s =
            ConnectionSettings::resolve(ProviderKind::Greenhouse, ws.as_object().unwrap(), own.as_object().unwrap())
                .unwrap();
        assert_eq!(s.trigger, Trigger::Off);
        assert!(s.dedup_warning);
        assert!(s.activity_tracking);
    }

    #[test]
    fn unknown_keys_and_bad_mappings_name_the_field() {
        let e = ConnectionSettings::parse(ProviderKind::Greenhouse, &json!({"trigerr": "off"})).unwrap_err();
        assert_eq!(e.errors[0].field, "trigerr");
        let e = ConnectionSettings::parse(ProviderKind::Greenhouse, &json!({"trigger": "sometimes"})).unwrap_err();
        assert_eq!(e.errors[0].field, "trigger");
        let e =
            ConnectionSettings::parse(ProviderKind::Greenhouse, &json!({"field_map": [{"source": 1, "targets": []}]}))
                .unwrap_err();
        assert_eq!(e.errors[0].field, "field_map[0].source");
        let e = ConnectionSettings::parse(
            ProviderKind::Greenhouse,
            &json!({"field_map": [{"source": "title", "targets": ["a"]}, {"source": "title", "targets": ["b"]}]}),
        )
        .unwrap_err();
        assert_eq!(e.errors[0].field, "field_map[1].source");
        let e =
            ConnectionSettings::parse(ProviderKind::Clockwork, &json!({"default_target": {"job_id": 1}})).unwrap_err();
        assert_eq!(e.errors[0].field, "default_target");
        let e = ConnectionSettings::parse(ProviderKind::Greenhouse, &json!({"note_types": {"message_sent": "memo"}}))
            .unwrap_err();
        assert_eq!(e.errors[0].field, "note_types.message_sent");
        assert!(
            ConnectionSettings::parse(ProviderKind::Clockwork, &json!({"note_types": {"bounced": "Memo"}})).is_ok()
        );
        let e = ConnectionSettings::parse(ProviderKind::Greenhouse, &json!({"progress_tags": {"waved": "Waved"}}))
            .unwrap_err();
        assert_eq!(e.errors[0].field, "progress_tags.waved");
    }

    #[test]
    fn greenhouse_field_map_needs_a_source() {
        let e = ConnectionSettings::parse(ProviderKind::Greenhouse, &json!({"field_map": [{"targets": ["a"]}]}))
            .unwrap_err();
        assert_eq!(e.errors[0].field, "field_map[0].source");
    }

    #[test]
    fn oneflow_takes_the_contract_field_map_and_shows_it() {
        let link = json!({"teamtailor_connection_id": "conn_01tt",
            "field_map": [{"teamtailor_custom_field": "salary", "oneflow_data_field": "salary_sek"}]});
        let s = ConnectionSettings::parse(ProviderKind::Oneflow, &link).unwrap();
        assert!(s.field_map.is_empty());
        let shown = s.to_json();
        assert_eq!(shown["field_map"], link["field_map"]);
        assert_eq!(shown["teamtailor_connection_id"], "conn_01tt");
        let e =
            ConnectionSettings::parse(ProviderKind::Oneflow, &json!({"field_map": [{"source": "title"}]})).unwrap_err();
        assert_eq!(e.errors[0].field, "field_map[0].source");
        let e = ConnectionSettings::parse(ProviderKind::Teamtailor, &json!({"teamtailor_connection_id": "conn_1"}))
            .unwrap_err();
        assert_eq!(e.errors[0].field, "teamtailor_connection_id");
        let e =
            ConnectionSettings::parse(ProviderKind::Teamtailor, &json!({"field_map": link["field_map"]})).unwrap_err();
        assert_eq!(e.errors[0].field, "field_map[0].source");
        assert_eq!(
            ConnectionSettings::parse(ProviderKind::Teamtailor, &json!({})).unwrap().to_json()["field_map"],
            json!([])
        );
    }
}
