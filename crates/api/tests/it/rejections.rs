//! Path, query and body rejections are problem+json naming the field at fault,
//! never axum's plain-text answers.

use crate::support::Api;
use hiresync_testkit::databases;

#[tokio::test]
async fn a_path_parameter_of_the_wrong_type_is_a_422_naming_it() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let answer = api.send("POST", "/v1/jobs/abc/retry", None).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("id")), "{}: {}", db.backend, answer.body);
        assert_eq!(answer.body["errors"][0]["message"], "must be an integer");

        let answer = api.send("GET", "/v1/connections/%FF", None).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("id")), "{}: {}", db.backend, answer.body);

        let answer = api.send("POST", "/v1/jobs/12/retry", None).await.unwrap();
        assert_eq!(answer.status, 404, "a well-formed id reaches the handler: {}", answer.body);
    }
}

#[tokio::test]
async fn a_query_parameter_of_the_wrong_type_is_a_422_naming_it() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let answer = api.send("GET", "/v1/imports/imp_x/contacts?limit=many", None).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("limit")), "{}: {}", db.backend, answer.body);
        let answer = api.send("GET", "/v1/imports/imp_x/contacts?limit=5", None).await.unwrap();
        assert_eq!(answer.status, 404, "{}", answer.body);
    }
}
