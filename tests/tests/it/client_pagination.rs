//! Paginators start from the input the caller built, then follow the
//! service's tokens; the types they return are reachable from `ivschat`.

use ivschat::config::{Credentials, HttpResponse, TestTransport};
use ivschat::pagination::PaginationError;

fn client(transport: &TestTransport) -> ivschat::Client {
    let config = ivschat::Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .transport(transport.clone())
        .build()
        .unwrap();
    ivschat::Client::from_conf(config)
}

fn body(request: &ivschat::config::HttpRequest) -> serde_json::Value {
    serde_json::from_slice(request.body()).unwrap()
}

#[tokio::test]
async fn the_first_page_keeps_the_callers_token() {
    let transport = TestTransport::new();
    transport.push_response(HttpResponse::json(
        200,
        r#"{"rooms": [{"name": "a"}], "nextToken": "t2"}"#,
    ));
    transport.push_response(HttpResponse::json(200, r#"{"rooms": [{"name": "b"}]}"#));
    let rooms = client(&transport)
        .list_rooms()
        .next_token("start-here")
        .max_results(1)
        .into_paginator()
        .items()
        .collect()
        .await
        .unwrap();
    let names: Vec<_> = rooms.iter().map(|r| r.name().unwrap_or_default()).collect();
    assert_eq!(names, ["a", "b"]);
    let sent = transport.requests();
    assert_eq!(
        body(&sent[0]),
        serde_json::json!({"nextToken": "start-here", "maxResults": 1})
    );
    assert_eq!(
        body(&sent[1]),
        serde_json::json!({"nextToken": "t2", "maxResults": 1})
    );
}

#[tokio::test]
async fn a_repeated_token_is_an_error() {
    let transport = TestTransport::new();
    transport.push_response(HttpResponse::json(
        200,
        r#"{"loggingConfigurations": [], "nextToken": "same"}"#,
    ));
    transport.push_response(HttpResponse::json(
        200,
        r#"{"loggingConfigurations": [], "nextToken": "same"}"#,
    ));
    let mut pages = client(&transport)
        .list_logging_configurations()
        .into_paginator()
        .pages();
    assert!(pages.next_page().await.unwrap().is_ok());
    match pages.next_page().await {
        Some(Err(PaginationError::RepeatedToken(token))) => assert_eq!(token, "same"),
        other => panic!("expected a repeated-token error, got {other:?}"),
    }
    assert!(
        pages.next_page().await.is_none(),
        "the paginator stops after the error"
    );
}
