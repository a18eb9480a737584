//! The generated client sends the requests botocore sends.
//!
//! tests/data/golden_requests.json (written by tests/scripts/golden_requests.py
//! with botocore 1.44.5 from the vendored model) lists, for every operation,
//! params in the model's member names and botocore's method, path, query and
//! body. Each case is sent here through `ivschat::Client` (fluent setters
//! chosen by an explicit per-operation mapping, an in-memory transport), and
//! the request the transport received is compared: method, encoded path,
//! query as a multiset of decoded pairs, and the body as JSON (no body when
//! botocore sends none).

use std::collections::{BTreeSet, HashMap};

use ivschat::config::{Credentials, TestTransport};
use ivschat::types::{
    ChatTokenCapability, CloudWatchLogsDestinationConfiguration, DestinationConfiguration,
    FallbackResult, FirehoseDestinationConfiguration, MessageReviewHandler,
    S3DestinationConfiguration,
};
use serde_json::{Map, Value};

fn golden() -> Value {
    serde_json::from_str(include_str!("../../data/golden_requests.json")).unwrap()
}

fn client(transport: &TestTransport) -> ivschat::Client {
    let config = ivschat::Config::builder()
        .region("us-west-2")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "SECRET", None))
        .transport(transport.clone())
        .build()
        .unwrap();
    ivschat::Client::from_conf(config)
}

/// Typed access to a case's params, remembering which keys were used, so a
/// param the mapping forgets fails the test instead of being dropped.
struct Params<'a> {
    map: &'a Map<String, Value>,
    used: BTreeSet<&'static str>,
}

impl<'a> Params<'a> {
    fn new(value: &'a Value) -> Self {
        Params {
            map: value.as_object().expect("params must be an object"),
            used: BTreeSet::new(),
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.insert(key);
        self.map.get(key)
    }

    fn string(&mut self, key: &'static str) -> Option<String> {
        self.get(key).map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("{key} must be a string"))
                .to_owned()
        })
    }

    fn int(&mut self, key: &'static str) -> Option<i32> {
        self.get(key).map(|v| {
            let n = v
                .as_i64()
                .unwrap_or_else(|| panic!("{key} must be an integer"));
            i32::try_from(n).unwrap()
        })
    }

    fn strings(&mut self, key: &'static str) -> Option<Vec<String>> {
        self.get(key).map(|v| {
            v.as_array()
                .unwrap_or_else(|| panic!("{key} must be a list"))
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        })
    }

    fn string_map(&mut self, key: &'static str) -> Option<HashMap<String, String>> {
        self.get(key).map(|v| {
            v.as_object()
                .unwrap_or_else(|| panic!("{key} must be a map"))
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
    }

    fn capabilities(&mut self, key: &'static str) -> Option<Vec<ChatTokenCapability>> {
        self.strings(key).map(|list| {
            list.iter()
                .map(|s| ChatTokenCapability::from(s.as_str()))
                .collect()
        })
    }

    fn destination(&mut self, key: &'static str) -> Option<DestinationConfiguration> {
        self.get(key).map(destination)
    }

    fn review_handler(&mut self, key: &'static str) -> Option<MessageReviewHandler> {
        self.get(key).map(|v| {
            let mut p = Params::new(v);
            let handler = MessageReviewHandler::builder()
                .set_uri(p.string("uri"))
                .set_fallback_result(
                    p.string("fallbackResult")
                        .map(|s| FallbackResult::from(s.as_str())),
                )
                .build();
            p.all_used("messageReviewHandler");
            handler
        })
    }

    /// Fails if the case has a param the mapping did not read.
    fn all_used(&self, what: &str) {
        let unread: Vec<&String> = self
            .map
            .keys()
            .filter(|k| !self.used.contains(k.as_str()))
            .collect();
        assert!(
            unread.is_empty(),
            "{what}: the mapping ignores params {unread:?}"
        );
    }
}

fn destination(value: &Value) -> DestinationConfiguration {
    let object = value
        .as_object()
        .expect("destinationConfiguration must be an object");
    assert_eq!(object.len(), 1, "a union has exactly one member: {value}");
    let (member, inner) = object.iter().next().unwrap();
    let mut p = Params::new(inner);
    let destination = match member.as_str() {
        "s3" => DestinationConfiguration::S3(
            S3DestinationConfiguration::builder()
                .set_bucket_name(p.string("bucketName"))
                .build()
                .unwrap(),
        ),
        "cloudWatchLogs" => DestinationConfiguration::CloudWatchLogs(
            CloudWatchLogsDestinationConfiguration::builder()
                .set_log_group_name(p.string("logGroupName"))
                .build()
                .unwrap(),
        ),
        "firehose" => DestinationConfiguration::Firehose(
            FirehoseDestinationConfiguration::builder()
                .set_delivery_stream_name(p.string("deliveryStreamName"))
                .build()
                .unwrap(),
        ),
        other => panic!("no mapping for destination member {other}"),
    };
    p.all_used(member);
    destination
}

/// Sends `operation` with `params` through the matching fluent builder;
/// returns the call's outcome as text (`Ok` or the error).
async fn send_case(
    client: &ivschat::Client,
    operation: &str,
    params: &Value,
) -> Result<(), String> {
    let mut p = Params::new(params);
    let err = |e: &dyn std::error::Error| e.to_string();
    let outcome = match operation {
        "CreateChatToken" => client
            .create_chat_token()
            .set_room_identifier(p.string("roomIdentifier"))
            .set_user_id(p.string("userId"))
            .set_capabilities(p.capabilities("capabilities"))
            .set_session_duration_in_minutes(p.int("sessionDurationInMinutes"))
            .set_attributes(p.string_map("attributes"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "CreateLoggingConfiguration" => client
            .create_logging_configuration()
            .set_name(p.string("name"))
            .set_destination_configuration(p.destination("destinationConfiguration"))
            .set_tags(p.string_map("tags"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "CreateRoom" => client
            .create_room()
            .set_name(p.string("name"))
            .set_maximum_message_rate_per_second(p.int("maximumMessageRatePerSecond"))
            .set_maximum_message_length(p.int("maximumMessageLength"))
            .set_message_review_handler(p.review_handler("messageReviewHandler"))
            .set_tags(p.string_map("tags"))
            .set_logging_configuration_identifiers(p.strings("loggingConfigurationIdentifiers"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "DeleteLoggingConfiguration" => client
            .delete_logging_configuration()
            .set_identifier(p.string("identifier"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "DeleteMessage" => client
            .delete_message()
            .set_room_identifier(p.string("roomIdentifier"))
            .set_id(p.string("id"))
            .set_reason(p.string("reason"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "DeleteRoom" => client
            .delete_room()
            .set_identifier(p.string("identifier"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "DisconnectUser" => client
            .disconnect_user()
            .set_room_identifier(p.string("roomIdentifier"))
            .set_user_id(p.string("userId"))
            .set_reason(p.string("reason"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "GetLoggingConfiguration" => client
            .get_logging_configuration()
            .set_identifier(p.string("identifier"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "GetRoom" => client
            .get_room()
            .set_identifier(p.string("identifier"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "ListLoggingConfigurations" => client
            .list_logging_configurations()
            .set_next_token(p.string("nextToken"))
            .set_max_results(p.int("maxResults"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "ListRooms" => client
            .list_rooms()
            .set_name(p.string("name"))
            .set_next_token(p.string("nextToken"))
            .set_max_results(p.int("maxResults"))
            .set_message_review_handler_uri(p.string("messageReviewHandlerUri"))
            .set_logging_configuration_identifier(p.string("loggingConfigurationIdentifier"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "ListTagsForResource" => client
            .list_tags_for_resource()
            .set_resource_arn(p.string("resourceArn"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "SendEvent" => client
            .send_event()
            .set_room_identifier(p.string("roomIdentifier"))
            .set_event_name(p.string("eventName"))
            .set_attributes(p.string_map("attributes"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "TagResource" => client
            .tag_resource()
            .set_resource_arn(p.string("resourceArn"))
            .set_tags(p.string_map("tags"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "UntagResource" => client
            .untag_resource()
            .set_resource_arn(p.string("resourceArn"))
            .set_tag_keys(p.strings("tagKeys"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "UpdateLoggingConfiguration" => client
            .update_logging_configuration()
            .set_identifier(p.string("identifier"))
            .set_name(p.string("name"))
            .set_destination_configuration(p.destination("destinationConfiguration"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        "UpdateRoom" => client
            .update_room()
            .set_identifier(p.string("identifier"))
            .set_name(p.string("name"))
            .set_maximum_message_rate_per_second(p.int("maximumMessageRatePerSecond"))
            .set_maximum_message_length(p.int("maximumMessageLength"))
            .set_message_review_handler(p.review_handler("messageReviewHandler"))
            .set_logging_configuration_identifiers(p.strings("loggingConfigurationIdentifiers"))
            .send()
            .await
            .map(drop)
            .map_err(|e| err(&e)),
        other => panic!("golden case for {other}, which this test does not map onto the client"),
    };
    p.all_used(operation);
    outcome
}

/// Decodes `%XX` escapes (and nothing else: the client encodes spaces as `%20`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(
                u8::from_str_radix(hex, 16).unwrap_or_else(|_| panic!("bad escape in {text}")),
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The query string as a sorted multiset of decoded `(key, value)` pairs.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

fn golden_pairs(case: &Value) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = case["query"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn every_golden_request_matches_botocore() {
    let golden = golden();
    assert_eq!(
        golden["botocore"], "1.44.5",
        "golden data from another botocore version"
    );
    let cases = golden["cases"].as_array().unwrap();
    assert_eq!(
        cases.len(),
        21,
        "tests/data/golden_requests.json should hold 21 cases"
    );
    let operations: BTreeSet<&str> = cases
        .iter()
        .map(|c| c["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations.len(),
        17,
        "every one of the 17 operations has a golden case"
    );

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let operation = case["operation"].as_str().unwrap();
        let name = format!("case {i} ({operation})");
        let transport = TestTransport::new();
        transport.push_response(awsrt::client::HttpResponse::json(200, "{}"));
        let outcome = send_case(&client(&transport), operation, &case["params"]).await;
        let requests = transport.requests();
        if requests.len() != 1 {
            failures.push(format!(
                "{name}: {} requests sent ({outcome:?})",
                requests.len()
            ));
            continue;
        }
        if let Err(e) = outcome {
            failures.push(format!(
                "{name}: the call failed on a canned `200 {{}}`: {e}"
            ));
        }
        let sent = &requests[0];
        let uri = sent.uri();
        if !uri.starts_with("https://ivschat.us-west-2.amazonaws.com/") {
            failures.push(format!("{name}: endpoint {uri}"));
        }
        if sent.method().as_str() != case["method"] {
            failures.push(format!(
                "{name}: method {} instead of {}",
                sent.method(),
                case["method"]
            ));
        }
        if sent.path() != case["path"] {
            failures.push(format!(
                "{name}: path {} instead of {}",
                sent.path(),
                case["path"]
            ));
        }
        if query_pairs(sent.query()) != golden_pairs(case) {
            failures.push(format!(
                "{name}: query {:?} instead of {:?}",
                query_pairs(sent.query()),
                golden_pairs(case)
            ));
        }
        let body = if sent.body().is_empty() {
            Value::Null
        } else {
            match serde_json::from_slice::<Value>(sent.body()) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{name}: body is not JSON ({e}): {:?}", sent.body()));
                    continue;
                }
            }
        };
        if body != case["body"] {
            failures.push(format!("{name}: body {body} instead of {}", case["body"]));
        }
        if !body.is_null() && sent.header("content-type") != Some("application/json") {
            failures.push(format!(
                "{name}: content-type {:?} for a JSON body",
                sent.header("content-type")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences from botocore:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn percent_decoding_and_query_pairs() {
    assert_eq!(percent_decode("a%20b%2Fc%3A"), "a b/c:");
    assert_eq!(percent_decode("%E2%98%95"), "☕");
    assert_eq!(
        query_pairs("tagKeys=team&tagKeys=a%20b&flag"),
        [
            ("flag".into(), "".into()),
            ("tagKeys".into(), "a b".into()),
            ("tagKeys".into(), "team".into())
        ]
    );
}
