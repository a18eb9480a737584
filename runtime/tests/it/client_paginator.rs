//! The paginator: pages and items until the token runs out, errors on a
//! repeated token, and a realistic paginated operation over `Runtime`.

use crate::common;

use common::IVSCHAT;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsrt::client::{
    Config, Credentials, ErrorMetadata, HttpRequest, HttpResponse, Method, OperationMeta,
    PaginationError, Paginator, RetryConfig, Runtime, SdkError, TestTransport, UnhandledError,
};
use serde_json::{json, Value};

/// A page as a generated output would hold it.
#[derive(Debug, Clone, PartialEq)]
struct Page {
    items: Vec<u32>,
    next_token: Option<String>,
}

/// The tokens a fake service was sent, in order.
type SentTokens = Arc<Mutex<Vec<Option<String>>>>;

/// A fake service answering from a script, recording the tokens it was sent.
fn scripted(pages: Vec<Result<Page, String>>) -> (Paginator<Page, String>, SentTokens) {
    let script = Arc::new(Mutex::new(VecDeque::from(pages)));
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let seen = tokens.clone();
    let paginator = Paginator::new(
        move |token: Option<String>| {
            seen.lock().unwrap().push(token);
            let next = script
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| Err("no more pages scripted".into()));
            async move { next }
        },
        |page: &Page| page.next_token.as_deref(),
    );
    (paginator, tokens)
}

fn page(items: &[u32], next: Option<&str>) -> Result<Page, String> {
    Ok(Page {
        items: items.to_vec(),
        next_token: next.map(str::to_owned),
    })
}

#[tokio::test]
async fn streams_pages_until_the_token_is_absent() {
    let (mut pages, tokens) = scripted(vec![
        page(&[1, 2], Some("t1")),
        page(&[], Some("t2")),
        page(&[3], None),
    ]);
    let mut got = Vec::new();
    while let Some(p) = pages.next_page().await {
        got.push(p.unwrap().items);
    }
    assert_eq!(got, [vec![1, 2], vec![], vec![3]]);
    assert_eq!(
        *tokens.lock().unwrap(),
        [None, Some("t1".to_owned()), Some("t2".to_owned())]
    );
    assert!(pages.next_page().await.is_none(), "stays finished");
}

#[tokio::test]
async fn items_flatten_pages_and_empty_token_ends() {
    let (pages, tokens) = scripted(vec![
        page(&[1], Some("a")),
        page(&[], Some("b")),
        page(&[2, 3], Some("")),
    ]);
    let items = pages.items(|p| p.items).collect().await.unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(tokens.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn repeated_token_is_an_error() {
    let (mut pages, tokens) = scripted(vec![
        page(&[1], Some("a")),
        page(&[2], Some("b")),
        page(&[3], Some("a")),
    ]);
    assert_eq!(pages.next_page().await.unwrap().unwrap().items, [1]);
    assert_eq!(pages.next_page().await.unwrap().unwrap().items, [2]);
    match pages.next_page().await {
        Some(Err(PaginationError::RepeatedToken(t))) => assert_eq!(t, "a"),
        other => panic!("expected a repeated-token error, got {other:?}"),
    }
    assert!(pages.next_page().await.is_none());
    assert_eq!(tokens.lock().unwrap().len(), 3);

    let (pages, _) = scripted(vec![page(&[1], Some("same")), page(&[2], Some("same"))]);
    let err = pages.collect().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the service returned the pagination token `same` twice; stopping to avoid a loop"
    );
}

#[tokio::test]
async fn service_errors_stop_the_stream() {
    let (mut items, _) = {
        let (p, t) = scripted(vec![
            page(&[1], Some("a")),
            Err("throttled".into()),
            page(&[2], None),
        ]);
        (p.items(|p| p.items), t)
    };
    assert_eq!(items.next_item().await.unwrap().unwrap(), 1);
    assert!(
        matches!(items.next_item().await, Some(Err(PaginationError::Service(e))) if e == "throttled")
    );
    assert!(items.next_item().await.is_none());
}

static LIST_ROOMS: OperationMeta = common::op("ListRooms");

/// What generated code does for a paginated operation: the fetcher sends the
/// operation with the token; the getter reads `nextToken`.
fn list_rooms(runtime: Runtime) -> Paginator<Value, SdkError<UnhandledError>> {
    Paginator::new(
        move |token: Option<String>| {
            let runtime = runtime.clone();
            async move {
                let mut req = HttpRequest::new(Method::Post, "/ListRooms");
                let body = match token {
                    Some(t) => json!({"maxResults": 2, "nextToken": t}),
                    None => json!({"maxResults": 2}),
                };
                req.set_body(body.to_string(), "application/json");
                common::call(
                    &runtime,
                    req,
                    &LIST_ROOMS,
                    |resp: &HttpResponse| serde_json::from_slice::<Value>(resp.body()),
                    |resp: &HttpResponse, meta: ErrorMetadata| {
                        UnhandledError::new(resp.status(), meta)
                    },
                )
                .await
            }
        },
        |out: &Value| out["nextToken"].as_str(),
    )
}

#[tokio::test]
async fn paginates_a_real_operation_through_the_runtime() {
    let t = TestTransport::new();
    t.push_response(HttpResponse::json(
        200,
        r#"{"rooms":[{"id":"r1"},{"id":"r2"}],"nextToken":"n1"}"#,
    ))
    .push_response(HttpResponse::new(503))
    .push_response(HttpResponse::json(200, r#"{"rooms":[{"id":"r3"}]}"#));
    let config = Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKID", "SECRET", None))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .transport(t.clone())
        .build()
        .unwrap();
    let ids: Vec<String> = list_rooms(Runtime::new(config, &IVSCHAT))
        .items(|out| {
            out["rooms"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .collect()
        .await
        .unwrap();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    let bodies: Vec<Value> = t
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(r.body()).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"maxResults": 2}),
            json!({"maxResults": 2, "nextToken": "n1"}),
            json!({"maxResults": 2, "nextToken": "n1"})
        ]
    );
}
