//! The contract lifecycle, shared by the API routes and the simulated
//! actions, with Oneflow's rules: contracts come from templates, data fields
//! are addressed by id or custom id, a contract is published once, and it is
//! signed when every signatory has signed. Each change records its events.

use super::errors::OfError;
use super::model::{Contract, DataField, Event, OneflowState, Participant, Party, User, now, now_compact};
use serde_json::{Value, json};

/// How a request names a data field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldRef {
    /// Numeric id.
    Id(i64),
    /// `c::<custom id>` or `_private_ownerside.custom_id`.
    Custom(String),
}

impl FieldRef {
    /// Reads a path segment (`123` or `c::salary`).
    pub fn parse(segment: &str) -> Option<Self> {
        match segment.strip_prefix("c::") {
            Some(custom) if !custom.is_empty() => Some(Self::Custom(custom.to_owned())),
            Some(_) => None,
            None => segment.parse().ok().map(Self::Id),
        }
    }

    fn matches(&self, f: &DataField) -> bool {
        match self {
            Self::Id(id) => f.id == *id,
            Self::Custom(c) => &f.custom_id == c,
        }
    }
}

/// The actor block of an event for a user or participant.
pub fn actor(id: i64, name: &str) -> Value {
    json!({ "id": id, "name": name })
}

/// Appends an event to the contract's log and returns its id.
pub fn record(state: &mut OneflowState, contract_id: i64, kind: &str, actor: Option<Value>, data: Value) -> i64 {
    let id = state.next_id();
    let event = Event { id, contract_id, kind: kind.into(), created_time: now_compact(), actor, data };
    state.events.insert(id, event);
    id
}

/// A new draft from `template_id` with `values` (custom id → value); the owner party holds `user`.
pub fn create_contract(
    state: &mut OneflowState,
    user: Option<&User>,
    workspace_id: i64,
    template_id: i64,
    name: Option<String>,
    values: &[(String, String)],
) -> Result<i64, OfError> {
    let template = state.templates.get(&template_id).cloned().ok_or_else(|| OfError::not_found("Template"))?;
    if template.workspace_id != workspace_id || !state.workspaces.contains_key(&workspace_id) {
        return Err(OfError::parameter("workspace_id", "The template does not belong to this workspace."));
    }
    let defs = state.template_types.get(&template.template_type_id).map(|t| t.data_fields.clone()).unwrap_or_default();
    if let Some((unknown, _)) = values.iter().find(|(c, _)| !defs.iter().any(|d| &d.custom_id == c)) {
        return Err(OfError::parameter("data_fields", &format!("Unknown data field custom_id {unknown}.")));
    }
    let at = now();
    let data_fields = defs
        .iter()
        .map(|d| DataField {
            id: 0,
            custom_id: d.custom_id.clone(),
            name: d.name.clone(),
            value: values.iter().find(|(c, _)| c == &d.custom_id).map(|(_, v)| v.clone()).unwrap_or_default(),
            created_time: at.clone(),
            updated_time: at.clone(),
        })
        .collect::<Vec<_>>();
    let id = state.next_id();
    let mut contract = Contract {
        id,
        name: name.unwrap_or_else(|| template.name.clone()),
        workspace_id,
        template_id,
        template_type_id: template.template_type_id,
        state: "draft".into(),
        state_updated_time: at.clone(),
        created_time: at.clone(),
        updated_time: at,
        ..Contract::default()
    };
    for mut f in data_fields {
        f.id = state.next_id();
        contract.data_fields.push(f);
    }
    let owner = user.map(|u| Participant {
        id: state.next_id(),
        name: u.name.clone(),
        email: Some(u.email.clone()),
        organizer: true,
        ..participant_defaults()
    });
    let party_id = state.next_id();
    contract.parties.push(Party {
        id: party_id,
        kind: "company".into(),
        name: "Simulated Company AB".into(),
        my_party: true,
        participants: owner.into_iter().collect(),
        ..Party::default()
    });
    state.contracts.insert(id, contract);
    record(
        state,
        id,
        "contract:create",
        user.map(|u| actor(u.id, &u.name)),
        json!({"changes": [], "subject": {"id": id}}),
    );
    Ok(id)
}

/// A participant with Oneflow's defaults: a signatory, emailed, undecided.
pub fn participant_defaults() -> Participant {
    Participant {
        signatory: true,
        sign_state: "undecided".into(),
        delivery_channel: "email".into(),
        sign_method: "standard_esign".into(),
        delivery_status: "not_sent".into(),
        ..Participant::default()
    }
}

/// A contract that can still be edited.
pub fn editable(state: &mut OneflowState, id: i64) -> Result<&mut Contract, OfError> {
    let c = state.contracts.get_mut(&id).ok_or_else(|| OfError::not_found("Contract"))?;
    if matches!(c.state.as_str(), "signed" | "declined") {
        return Err(OfError::conflict("The contract can no longer be changed."));
    }
    Ok(c)
}

/// Sets a data field; `None` when the value did not change (no event), else the event id.
pub fn set_field(
    state: &mut OneflowState,
    contract_id: i64,
    field: &FieldRef,
    value: &str,
    who: Option<Value>,
) -> Result<(DataField, Option<i64>), OfError> {
    let contract = editable(state, contract_id)?;
    let f =
        contract.data_fields.iter_mut().find(|f| field.matches(f)).ok_or_else(|| OfError::not_found("Data field"))?;
    if f.value == value {
        return Ok((f.clone(), None));
    }
    let changes = json!([{"attribute": "value", "from": f.value, "to": value}]);
    f.value = value.to_owned();
    f.updated_time = now();
    let field = f.clone();
    contract.updated_time = now();
    let subject = json!({"id": field.id, "name": field.name, "_private_ownerside": {"custom_id": field.custom_id}});
    let event = record(state, contract_id, "data_field:update", who, json!({"changes": changes, "subject": subject}));
    Ok((field, Some(event)))
}

/// Publishes a draft with at least one counterparty; returns the event id.
pub fn publish(state: &mut OneflowState, id: i64, who: Option<Value>) -> Result<i64, OfError> {
    let c = state.contracts.get_mut(&id).ok_or_else(|| OfError::not_found("Contract"))?;
    if c.state != "draft" {
        return Err(OfError::conflict("Only a draft can be published."));
    }
    if !c.parties.iter().any(|p| !p.my_party && p.participants.iter().any(|x| x.signatory)) {
        return Err(OfError::conflict("The contract needs a counterparty with a signatory before it is published."));
    }
    let at = now();
    c.state = "pending".into();
    c.published_time = Some(at.clone());
    c.state_updated_time = at.clone();
    c.updated_time = at;
    for p in c.parties.iter_mut().flat_map(|p| &mut p.participants) {
        p.delivery_status = "success".into();
    }
    Ok(record(state, id, "contract:publish", who, json!({"changes": [], "subject": {"id": id}})))
}

/// A participant signs; when every signatory has signed the contract becomes `signed`.
pub fn sign(state: &mut OneflowState, contract_id: i64, participant_id: i64) -> Result<Vec<i64>, OfError> {
    let c = state.contracts.get_mut(&contract_id).ok_or_else(|| OfError::not_found("Contract"))?;
    if c.state != "pending" {
        return Err(OfError::conflict("Only a pending contract can be signed."));
    }
    let p = c
        .parties
        .iter_mut()
        .flat_map(|p| &mut p.participants)
        .find(|p| p.id == participant_id)
        .ok_or_else(|| OfError::not_found("Participant"))?;
    p.sign_state = "signed".into();
    p.sign_state_updated_time = Some(now());
    let who = actor(p.id, &p.name);
    let done = c.parties.iter().flat_map(|p| &p.participants).filter(|p| p.signatory).all(|p| p.sign_state == "signed");
    let mut events = vec![record(
        state,
        contract_id,
        "participant:sign",
        Some(who),
        json!({"changes": [], "subject": {"id": participant_id}}),
    )];
    if done && let Some(c) = state.contracts.get_mut(&contract_id) {
        let at = now();
        c.state = "signed".into();
        c.state_updated_time = at.clone();
        c.updated_time = at;
        events.push(record(
            state,
            contract_id,
            "contract:sign",
            None,
            json!({"changes": [], "subject": {"id": contract_id}}),
        ));
    }
    Ok(events)
}
