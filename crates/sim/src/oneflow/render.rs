//! Rows → JSON in the shapes of Oneflow's vendor-authored Swagger
//! (`Contract`, `Party`, `Participant`, `Datafield`, `Template_Type`) and of
//! developer.oneflow.com (events, webhooks).

use super::model::{Contract, DataField, Event, OneflowState, Participant, Party, TemplateType, Webhook};
use serde_json::{Value, json};

/// A contract data field.
pub fn data_field(f: &DataField) -> Value {
    json!({
        "_private_ownerside": {"created_time": f.created_time, "custom_id": f.custom_id, "updated_time": f.updated_time},
        "description": "",
        "id": f.id,
        "name": f.name,
        "placeholder": "",
        "value": f.value,
    })
}

/// A participant.
pub fn participant(p: &Participant, mine: bool) -> Value {
    json!({
        "_permissions": {"contract:update": p.signatory},
        "_private_ownerside": {"first_visited_time": null, "last_visited_time": null, "visits": 0},
        "delivery_channel": p.delivery_channel,
        "delivery_status": p.delivery_status,
        "email": p.email,
        "id": p.id,
        "identification_number": "",
        "my_participant": mine,
        "name": p.name,
        "organizer": p.organizer,
        "phone_number": p.phone_number,
        "sign_method": p.sign_method,
        "sign_state": p.sign_state,
        "sign_state_updated_time": p.sign_state_updated_time,
        "signatory": p.signatory,
        "title": p.title,
        "two_step_authentication_method": "none",
    })
}

/// A party with its participants.
pub fn party(p: &Party) -> Value {
    json!({
        "country_code": p.country_code,
        "id": p.id,
        "identification_number": p.identification_number,
        "my_party": p.my_party,
        "name": p.name,
        "participants": p.participants.iter().map(|x| participant(x, p.my_party)).collect::<Vec<_>>(),
        "type": p.kind,
    })
}

/// A contract, as `GET /contracts/{id}` answers.
pub fn contract(base: &str, c: &Contract) -> Value {
    json!({
        "_links": {"self": {"href": format!("{base}/v1/contracts/{}", c.id)}},
        "_permissions": {"contract:delete": c.state == "draft"},
        "_private": {"name": c.name, "value": {"amount": "0.00", "currency": "SEK"}, "workspace_id": c.workspace_id},
        "_private_ownerside": {
            "created_time": c.created_time, "template_id": c.template_id, "template_type_id": c.template_type_id
        },
        "available_options": {
            "can_receive_attachments": true, "can_receive_expanded_pdf": true, "can_receive_products": false,
            "delivery_channels": [{"name": "email", "preferred": true, "required_participant_attributes": ["email"]}],
            "sign_methods": [{"name": "standard_esign", "preferred": true}],
            "two_step_authentication_methods": [{"name": "none", "preferred": true, "required_participant_attributes": []}]
        },
        "data_fields": c.data_fields.iter().map(data_field).collect::<Vec<_>>(),
        "id": c.id,
        "lifecycle_settings": {"type": "no_duration", "start_date": null, "end_date": null},
        "lifecycle_state": {
            "lifecycle_state": if c.state == "signed" { "active" } else { "awaiting" },
            "is_canceled": false, "is_recurring": false
        },
        "parties": c.parties.iter().map(party).collect::<Vec<_>>(),
        "product_groups": [],
        "published_time": c.published_time,
        "signing_period_expiry_time": null,
        "state": c.state,
        "state_updated_time": c.state_updated_time,
        "updated_time": c.updated_time,
    })
}

/// A contract event.
pub fn event(base: &str, e: &Event) -> Value {
    json!({
        "_links": {"self": {"href": format!("{base}/v1/contracts/{}/events/{}", e.contract_id, e.id)}},
        "actor": e.actor,
        "created_time": e.created_time,
        "data": e.data,
        "id": e.id,
        "type": e.kind,
    })
}

/// A template type with its data field definitions.
pub fn template_type(t: &TemplateType) -> Value {
    json!({
        "active": true,
        "data_fields": t.data_fields.iter().map(|f| json!({
            "custom_id": f.custom_id, "description": "", "id": f.id, "name": f.name,
            "placeholder": "", "source": "template", "value": ""
        })).collect::<Vec<_>>(),
        "id": t.id,
        "name": t.name,
    })
}

/// A webhook (the sign key is never returned).
pub fn webhook(w: &Webhook) -> Value {
    json!({
        "callback_url": w.callback_url,
        "filters": w.filters,
        "integration_instance": null,
        "legacy_webhook": false,
        "template_group_id": null,
        "webhook_id": w.webhook_id,
    })
}

/// A template, with its template type.
pub fn template(state: &OneflowState, id: i64) -> Option<Value> {
    let t = state.templates.get(&id)?;
    let kind = state.template_types.get(&t.template_type_id);
    Some(json!({
        "id": t.id,
        "name": t.name,
        "template_type": kind.map(|k| json!({"id": k.id, "name": k.name})),
        "available_options": {"can_receive_attachments": true, "can_receive_expanded_pdf": true},
    }))
}
