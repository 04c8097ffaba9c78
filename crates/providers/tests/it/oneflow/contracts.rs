use super::setup;
use hiresync_providers::oneflow::wire::{ParticipantWrite, PartyWrite};
use hiresync_providers::oneflow::{
    CONTRACT_PDF, ContractFile, DataFieldRef, DataFieldUpdate, VERIFICATION, create_body, data_field_values,
    fully_signed,
};
use std::collections::BTreeMap;

fn ada() -> PartyWrite {
    PartyWrite {
        kind: "individual".into(),
        participants: vec![ParticipantWrite {
            name: "Ada Lovelace".into(),
            email: Some("ada@example.com".into()),
            signatory: true,
            delivery_channel: Some("email".into()),
            ..ParticipantWrite::default()
        }],
        ..PartyWrite::default()
    }
}

#[tokio::test]
async fn a_contract_is_prefilled_from_mapped_values_and_found_by_data_field() {
    let s = setup().await;
    let template_type = s.client.template_type(s.template.template_type_id).await.unwrap();
    assert_eq!(template_type.data_fields.len(), 3);
    let values = BTreeMap::from([
        ("candidate_full_name".to_owned(), "Ada Lovelace".to_owned()),
        ("salary".to_owned(), "52000".to_owned()),
        ("unmapped".to_owned(), "ignored".to_owned()),
    ]);
    let body = create_body(
        s.template.workspace_id,
        s.template.template_id,
        Some("Offer – Ada"),
        &template_type.data_fields,
        &values,
    );
    let contract = s.client.create_contract(&body).await.unwrap();
    assert_eq!(contract.state.as_deref(), Some("draft"));
    let held = data_field_values(&contract);
    assert_eq!(held["salary"], "52000");
    assert_eq!(held["start_date"], "");
    let sent = s.sim.core().requests_to("POST", "/v1/contracts/create")[0].json().unwrap();
    assert_eq!(sent["data_fields"].as_array().unwrap().len(), 2);
    assert_eq!(sent["template_id"], s.template.template_id);
    let owner = &contract.parties[0];
    assert_eq!((owner.my_party, owner.participants[0].email.as_deref()), (Some(true), Some("rita@example.com")));

    let found = s.client.contracts_with_data_field("candidate_full_name", "Ada Lovelace").await.unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [contract.id]);
    assert!(s.client.contracts_with_data_field("candidate_full_name", "Nobody").await.unwrap().is_empty());
}

#[tokio::test]
async fn data_fields_update_by_custom_id_by_id_and_in_bulk() {
    let s = setup().await;
    let id = s.sim.app().add_contract(s.template.template_id, &[("salary", "50000")]).unwrap();
    let field = s.client.update_data_field(id, &DataFieldRef::CustomId("salary".into()), Some("52000")).await.unwrap();
    assert_eq!((field.custom_id(), field.value.as_deref()), (Some("salary"), Some("52000")));
    let put = &s.sim.core().requests_to("PUT", "/v1/contracts")[0];
    assert!(put.path.ends_with("/data_fields/c::salary"));
    assert_eq!(put.json().unwrap()["_private_ownerside"]["custom_id"], "salary");

    let cleared = s.client.update_data_field(id, &DataFieldRef::Id(field.id), Some("")).await.unwrap();
    assert_eq!(cleared.value.as_deref(), Some(""));
    let updates = [
        DataFieldUpdate::new(&DataFieldRef::CustomId("salary".into()), Some("60000".into())),
        DataFieldUpdate::new(&DataFieldRef::CustomId("start_date".into()), Some("2026-09-01".into())),
        DataFieldUpdate::new(&DataFieldRef::CustomId("candidate_full_name".into()), None),
    ];
    let updated = s.client.update_data_fields(id, &updates).await.unwrap();
    assert_eq!(updated.len(), 3);
    let held = data_field_values(&s.client.contract(id).await.unwrap());
    assert_eq!((held["salary"].as_str(), held["start_date"].as_str()), ("60000", "2026-09-01"));
    let unknown = s.client.update_data_field(id, &DataFieldRef::CustomId("nope".into()), Some("x")).await.unwrap_err();
    assert_eq!(unknown.status, Some(404));
}

#[tokio::test]
async fn parties_publish_sign_and_the_signed_file_is_reachable_without_credentials() {
    let s = setup().await;
    let id = s.sim.app().add_contract(s.template.template_id, &[]).unwrap();
    assert_eq!(s.client.publish_contract(id, "Offer", "Please sign").await.unwrap_err().status, Some(409));
    let party = s.client.create_party(id, &ada()).await.unwrap();
    assert_eq!(party.participants[0].sign_state.as_deref(), Some("undecided"));
    let owner_party = s.client.parties(id).await.unwrap().into_iter().find(|p| p.my_party == Some(true)).unwrap();
    let witness = ParticipantWrite {
        name: "Wit Ness".into(),
        email: Some("w@example.com".into()),
        signatory: false,
        ..ParticipantWrite::default()
    };
    let added = s.client.create_participant(id, owner_party.id, &witness).await.unwrap();
    assert_eq!(added.signatory, Some(false));

    let published = s.client.publish_contract(id, "Offer", "Please sign").await.unwrap();
    assert_eq!(published.state.as_deref(), Some("pending"));
    assert!(!fully_signed(&published));
    s.sim.app().sign_all(id).unwrap();
    let signed = s.client.contract(id).await.unwrap();
    assert!(fully_signed(&signed));
    let events = s.client.contract_events(id).await.unwrap();
    assert_eq!(events[0].kind.as_deref(), Some("contract:sign"), "newest first");

    for file in [CONTRACT_PDF, VERIFICATION] {
        let ContractFile::Redirect(location) = s.client.contract_file(id, file).await.unwrap() else {
            panic!("Oneflow answers files with a redirect");
        };
        let bytes = reqwest::get(&location).await.unwrap().bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF") && String::from_utf8_lossy(&bytes).contains("state signed"));
    }
    let request = &s.sim.core().requests_to("GET", &format!("/v1/contracts/{id}/files"))[0];
    assert_eq!(request.query_param("download").as_deref(), Some("true"));
}

#[tokio::test]
async fn listings_walk_limit_and_offset_pages() {
    let s = setup().await;
    for _ in 0..205 {
        s.sim.app().add_contract(s.template.template_id, &[]).unwrap();
    }
    let all = s.client.contracts(&[("filter[states]", "draft")]).await.unwrap();
    assert_eq!(all.len(), 205);
    let requests = s.sim.core().requests_to("GET", "/v1/contracts");
    let offsets: Vec<_> = requests.iter().map(|r| r.query_param("offset").unwrap_or_default()).collect();
    assert_eq!(offsets, ["", "100", "200"]);
    assert!(requests.iter().all(|r| r.query_param("limit").as_deref() == Some("100")));
    assert!(requests.iter().all(|r| r.query_param("filter[states]").as_deref() == Some("draft")));
}
