//! The served `/openapi.json` is the committed `openapi.json` at the repository root, so a
//! change to the API shows in review. `UPDATE_OPENAPI=1` rewrites the file from the server.

use crate::support::Api;
use hiresync_testkit::TestDb;
use std::path::PathBuf;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json")
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_one() {
    let db = TestDb::sqlite().await.unwrap();
    let served = Api::new(&db).await.unwrap().send("GET", "/openapi.json", None).await.unwrap();
    assert_eq!(served.status, 200);
    let text = format!("{}\n", serde_json::to_string_pretty(&served.body).unwrap());
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(committed(), &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(committed()).unwrap_or_default();
    assert!(
        on_disk == text,
        "openapi.json differs from what the server serves; run \
         `UPDATE_OPENAPI=1 cargo nextest run -p hiresync-api openapi` and review the diff"
    );
}

#[tokio::test]
async fn every_operation_names_its_schemas_and_problems() {
    let doc = serde_json::to_value(hiresync_api::openapi()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut seen = 0;
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            seen += 1;
            let at = format!("{method} {path}");
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{at}: no operationId"));
            assert!(ids.insert(id.to_owned()), "{at}: operationId {id} is not unique");
            for (status, response) in op["responses"].as_object().unwrap() {
                let content = response["content"].as_object();
                if status.starts_with(['4', '5']) && path != "/readyz" {
                    let problem =
                        &content.unwrap_or_else(|| panic!("{at} {status}: no body"))["application/problem+json"];
                    assert_eq!(problem["schema"]["$ref"], "#/components/schemas/Problem", "{at} {status}");
                } else if status != "204" {
                    let content = content.unwrap_or_else(|| panic!("{at} {status}: no body"));
                    assert!(content.values().all(|c| c.get("schema").is_some()), "{at} {status}: no schema");
                }
            }
            let body = op["requestBody"]["content"].as_object().into_iter().flatten();
            assert!(body.into_iter().all(|(_, c)| c.get("schema").is_some()), "{at}: a request body without a schema");
            for name in referenced(&op["requestBody"]).chain(referenced(&op["responses"])) {
                assert!(schemas[&name].get("example").is_some(), "{at}: body {name} has no example");
            }
            if op.get("security") != Some(&serde_json::json!([{}])) {
                assert!(op["responses"].get("401").is_some(), "{at}: a token is needed, so a 401 is documented");
            }
        }
    }
    assert!(seen > 30, "{seen} operations");
    for name in ["Problem", "ConnectionIn", "ConnectionOut", "ContactIn", "EventIn", "TargetObject"] {
        assert!(schemas.contains_key(name), "{name} missing from components");
    }
    for (name, schema) in schemas {
        let described = schema.get("description").or_else(|| schema.get("oneOf")).is_some();
        assert!(described, "schema {name} has no description");
    }
}

/// The schemas a part of the document refers to by `$ref`, directly (not through other schemas).
fn referenced(part: &serde_json::Value) -> impl Iterator<Item = String> {
    let text = part.to_string();
    let names: Vec<String> = text
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| *name != "Problem")
        .map(str::to_owned)
        .collect();
    names.into_iter()
}
