//! Shared by the `validation_*` tests: the model as the generator sees it, a
//! model-shaped value ([`Val`]) that any operation input can be built from,
//! and the typed inputs built from it.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use awsrt::validate::Violation;
use codegen::ir::{Member, Service, Shape, ShapeKind};
use codegen::patterns::{self, Dfa, Semantics};
use ivschat::operation::*;
use ivschat::types::{
    ChatTokenCapability, CloudWatchLogsDestinationConfiguration, DestinationConfiguration,
    FallbackResult, FirehoseDestinationConfiguration, MessageReviewHandler,
    S3DestinationConfiguration,
};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The vendored botocore model with the overlay, names resolved: what the
/// generator reads.
pub fn ir() -> Service {
    codegen::pipeline::prepare(
        &root().join("model/data/ivschat/2020-07-14/service-2.json"),
        Some(&root().join("model/ivschat.overlay.json")),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The shared pattern corpus (`tests/data/pattern_corpus.json`).
pub fn corpus() -> Vec<String> {
    let path = root().join("tests/data/pattern_corpus.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc["strings"]
        .as_array()
        .expect("strings")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// A value in the model's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A string or an enum value.
    Str(String),
    /// Any integer.
    Int(i64),
    /// A list.
    List(Vec<Val>),
    /// A map (keys are strings).
    Map(BTreeMap<String, Val>),
    /// A structure: its members that are set.
    Struct(BTreeMap<String, Val>),
    /// A union: the member set and its value.
    Union(String, Box<Val>),
}

impl Val {
    fn str(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            other => panic!("expected a string, got {other:?}"),
        }
    }

    fn int(&self) -> i32 {
        match self {
            Val::Int(n) => i32::try_from(*n).unwrap_or_else(|_| panic!("{n} is not an i32")),
            other => panic!("expected an integer, got {other:?}"),
        }
    }
}

/// The members of a structure value, taken one by one; anything left over at
/// the end is a member the conversion does not know, which fails the test.
struct Members(BTreeMap<String, Val>);

impl Members {
    fn string(&mut self, name: &str) -> Option<String> {
        self.0.remove(name).map(|v| v.str())
    }

    fn int(&mut self, name: &str) -> Option<i32> {
        self.0.remove(name).map(|v| v.int())
    }

    fn strings(&mut self, name: &str) -> Option<Vec<String>> {
        self.0.remove(name).map(|v| match v {
            Val::List(items) => items.iter().map(Val::str).collect(),
            other => panic!("{name}: expected a list, got {other:?}"),
        })
    }

    fn string_map(&mut self, name: &str) -> Option<HashMap<String, String>> {
        self.0.remove(name).map(|v| match v {
            Val::Map(entries) => entries.into_iter().map(|(k, v)| (k, v.str())).collect(),
            other => panic!("{name}: expected a map, got {other:?}"),
        })
    }

    fn structure(&mut self, name: &str) -> Option<Members> {
        self.0.remove(name).map(|v| match v {
            Val::Struct(m) => Members(m),
            other => panic!("{name}: expected a structure, got {other:?}"),
        })
    }

    fn union(&mut self, name: &str) -> Option<(String, Val)> {
        self.0.remove(name).map(|v| match v {
            Val::Union(member, value) => (member, *value),
            other => panic!("{name}: expected a union, got {other:?}"),
        })
    }

    fn done(self) {
        assert!(
            self.0.is_empty(),
            "members the test cannot set: {:?}",
            self.0.keys().collect::<Vec<_>>()
        );
    }
}

fn message_review_handler(mut m: Members) -> MessageReviewHandler {
    let h = MessageReviewHandler::builder()
        .set_uri(m.string("uri"))
        .set_fallback_result(
            m.string("fallbackResult")
                .map(|s| FallbackResult::from(s.as_str())),
        )
        .build();
    m.done();
    h
}

fn destination(member: &str, value: Val) -> DestinationConfiguration {
    let Val::Struct(fields) = value else {
        panic!("{member}: expected a structure")
    };
    let mut m = Members(fields);
    let d = match member {
        "s3" => DestinationConfiguration::S3(
            S3DestinationConfiguration::builder()
                .set_bucket_name(m.string("bucketName"))
                .build()
                .expect("bucketName"),
        ),
        "cloudWatchLogs" => DestinationConfiguration::CloudWatchLogs(
            CloudWatchLogsDestinationConfiguration::builder()
                .set_log_group_name(m.string("logGroupName"))
                .build()
                .expect("logGroupName"),
        ),
        "firehose" => DestinationConfiguration::Firehose(
            FirehoseDestinationConfiguration::builder()
                .set_delivery_stream_name(m.string("deliveryStreamName"))
                .build()
                .expect("deliveryStreamName"),
        ),
        other => panic!("DestinationConfiguration has no member {other}"),
    };
    m.done();
    d
}

/// Build operation `op`'s input from `members` (model names) and validate it.
/// Required members may be missing: the input is built with placeholders and
/// its fields are then set from `members`.
pub fn validate(
    op: &str,
    members: &BTreeMap<String, Val>,
) -> Result<(), ivschat::error::ValidationError> {
    let mut m = Members(members.clone());
    let result = match op {
        "CreateChatToken" => {
            let mut i = create_chat_token::CreateChatTokenInput::builder()
                .room_identifier("")
                .user_id("")
                .build()
                .expect("input");
            i.room_identifier = m.string("roomIdentifier");
            i.user_id = m.string("userId");
            i.capabilities = m.strings("capabilities").map(|v| {
                v.iter()
                    .map(|s| ChatTokenCapability::from(s.as_str()))
                    .collect()
            });
            i.session_duration_in_minutes = m.int("sessionDurationInMinutes");
            i.attributes = m.string_map("attributes");
            i.validate()
        }
        "CreateLoggingConfiguration" => {
            let mut i = create_logging_configuration::CreateLoggingConfigurationInput::builder()
                .destination_configuration(DestinationConfiguration::S3(
                    S3DestinationConfiguration::builder()
                        .bucket_name("b")
                        .build()
                        .expect("s3"),
                ))
                .build()
                .expect("input");
            i.name = m.string("name");
            i.destination_configuration = m
                .union("destinationConfiguration")
                .map(|(k, v)| destination(&k, v));
            i.tags = m.string_map("tags");
            i.validate()
        }
        "CreateRoom" => {
            let mut i = create_room::CreateRoomInput::builder()
                .build()
                .expect("input");
            i.name = m.string("name");
            i.maximum_message_rate_per_second = m.int("maximumMessageRatePerSecond");
            i.maximum_message_length = m.int("maximumMessageLength");
            i.message_review_handler = m
                .structure("messageReviewHandler")
                .map(message_review_handler);
            i.tags = m.string_map("tags");
            i.logging_configuration_identifiers = m.strings("loggingConfigurationIdentifiers");
            i.validate()
        }
        "DeleteLoggingConfiguration" => {
            let mut i = delete_logging_configuration::DeleteLoggingConfigurationInput::builder()
                .identifier("")
                .build()
                .expect("input");
            i.identifier = m.string("identifier");
            i.validate()
        }
        "DeleteMessage" => {
            let mut i = delete_message::DeleteMessageInput::builder()
                .room_identifier("")
                .id("")
                .build()
                .expect("input");
            i.room_identifier = m.string("roomIdentifier");
            i.id = m.string("id");
            i.reason = m.string("reason");
            i.validate()
        }
        "DeleteRoom" => {
            let mut i = delete_room::DeleteRoomInput::builder()
                .identifier("")
                .build()
                .expect("input");
            i.identifier = m.string("identifier");
            i.validate()
        }
        "DisconnectUser" => {
            let mut i = disconnect_user::DisconnectUserInput::builder()
                .room_identifier("")
                .user_id("")
                .build()
                .expect("input");
            i.room_identifier = m.string("roomIdentifier");
            i.user_id = m.string("userId");
            i.reason = m.string("reason");
            i.validate()
        }
        "GetLoggingConfiguration" => {
            let mut i = get_logging_configuration::GetLoggingConfigurationInput::builder()
                .identifier("")
                .build()
                .expect("input");
            i.identifier = m.string("identifier");
            i.validate()
        }
        "GetRoom" => {
            let mut i = get_room::GetRoomInput::builder()
                .identifier("")
                .build()
                .expect("input");
            i.identifier = m.string("identifier");
            i.validate()
        }
        "ListLoggingConfigurations" => {
            let mut i = list_logging_configurations::ListLoggingConfigurationsInput::builder()
                .build()
                .expect("input");
            i.next_token = m.string("nextToken");
            i.max_results = m.int("maxResults");
            i.validate()
        }
        "ListRooms" => {
            let mut i = list_rooms::ListRoomsInput::builder()
                .build()
                .expect("input");
            i.name = m.string("name");
            i.next_token = m.string("nextToken");
            i.max_results = m.int("maxResults");
            i.message_review_handler_uri = m.string("messageReviewHandlerUri");
            i.logging_configuration_identifier = m.string("loggingConfigurationIdentifier");
            i.validate()
        }
        "ListTagsForResource" => {
            let mut i = list_tags_for_resource::ListTagsForResourceInput::builder()
                .resource_arn("")
                .build()
                .expect("input");
            i.resource_arn = m.string("resourceArn");
            i.validate()
        }
        "SendEvent" => {
            let mut i = send_event::SendEventInput::builder()
                .room_identifier("")
                .event_name("")
                .build()
                .expect("input");
            i.room_identifier = m.string("roomIdentifier");
            i.event_name = m.string("eventName");
            i.attributes = m.string_map("attributes");
            i.validate()
        }
        "TagResource" => {
            let mut i = tag_resource::TagResourceInput::builder()
                .resource_arn("")
                .set_tags(Some(HashMap::new()))
                .build()
                .expect("input");
            i.resource_arn = m.string("resourceArn");
            i.tags = m.string_map("tags");
            i.validate()
        }
        "UntagResource" => {
            let mut i = untag_resource::UntagResourceInput::builder()
                .resource_arn("")
                .set_tag_keys(Some(Vec::new()))
                .build()
                .expect("input");
            i.resource_arn = m.string("resourceArn");
            i.tag_keys = m.strings("tagKeys");
            i.validate()
        }
        "UpdateLoggingConfiguration" => {
            let mut i = update_logging_configuration::UpdateLoggingConfigurationInput::builder()
                .identifier("")
                .build()
                .expect("input");
            i.identifier = m.string("identifier");
            i.name = m.string("name");
            i.destination_configuration = m
                .union("destinationConfiguration")
                .map(|(k, v)| destination(&k, v));
            i.validate()
        }
        "UpdateRoom" => {
            let mut i = update_room::UpdateRoomInput::builder()
                .identifier("")
                .build()
                .expect("input");
            i.identifier = m.string("identifier");
            i.name = m.string("name");
            i.maximum_message_rate_per_second = m.int("maximumMessageRatePerSecond");
            i.maximum_message_length = m.int("maximumMessageLength");
            i.message_review_handler = m
                .structure("messageReviewHandler")
                .map(message_review_handler);
            i.logging_configuration_identifiers = m.strings("loggingConfigurationIdentifiers");
            i.validate()
        }
        other => {
            panic!("the tests cannot build an input for {other}: add it to validation_support")
        }
    };
    m.done();
    result
}

/// The violations `validate` reports, in order (empty when it passes).
pub fn violations(op: &str, members: &BTreeMap<String, Val>) -> Vec<Violation> {
    match validate(op, members) {
        Ok(()) => Vec::new(),
        Err(e) => e.into_violations(),
    }
}

/// The members of a structure or union shape.
pub fn members_of(shape: &Shape) -> &[Member] {
    match &shape.kind {
        ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms,
        _ => &[],
    }
}

/// Whether `value` conforms to `pattern` as the model means it.
pub fn pattern_matches(svc: &Service, pattern: &str, value: &str) -> bool {
    thread_local! {
        static DFAS: RefCell<HashMap<(String, Semantics), Dfa>> = RefCell::new(HashMap::new());
    }
    let semantics = Semantics::of(svc.source);
    DFAS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let dfa = cache
            .entry((pattern.to_string(), semantics))
            .or_insert_with(|| {
                patterns::compile(pattern, semantics).unwrap_or_else(|e| panic!("{pattern}: {e}"))
            });
        dfa.is_match(value)
    })
}

/// A value of `shape` that breaks no constraint: strings come from the
/// corpus (the first that fits the shape's pattern and length), numbers are
/// the least allowed, collections are as small as allowed, structures set
/// their required members, unions their first member.
pub fn valid_value(svc: &Service, corpus: &[String], shape_name: &str) -> Val {
    let shape = svc.shape(shape_name);
    let c = &shape.constraints;
    match &shape.kind {
        ShapeKind::String => {
            let (min, max) = c
                .length
                .map(|b| (b.min.unwrap_or(0), b.max.unwrap_or(u64::MAX)))
                .unwrap_or((0, u64::MAX));
            let fits = |s: &str| {
                let n = s.chars().count() as u64;
                n >= min
                    && n <= max
                    && c.pattern
                        .as_ref()
                        .is_none_or(|p| pattern_matches(svc, p, s))
            };
            if fits("v") {
                return Val::Str("v".into());
            }
            let s = corpus
                .iter()
                .find(|s| !s.is_empty() && fits(s))
                .or_else(|| corpus.iter().find(|s| fits(s)));
            Val::Str(
                s.unwrap_or_else(|| panic!("no corpus string fits {shape_name}"))
                    .clone(),
            )
        }
        ShapeKind::Enum(values) => Val::Str(values[0].value.clone()),
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::Short | ShapeKind::Byte => {
            let min = c
                .range
                .as_ref()
                .and_then(|r| r.min.as_ref())
                .map(|m| m.parse::<i64>().expect("integer bound"));
            Val::Int(min.unwrap_or(0))
        }
        ShapeKind::List { member, .. } => {
            let n = c.length.and_then(|b| b.min).unwrap_or(0);
            Val::List(
                (0..n)
                    .map(|_| valid_value(svc, corpus, &member.target))
                    .collect(),
            )
        }
        ShapeKind::Map { .. } => Val::Map(BTreeMap::new()),
        ShapeKind::Structure(ms) => Val::Struct(
            ms.iter()
                .filter(|m| m.required)
                .map(|m| (m.name.clone(), valid_value(svc, corpus, &m.target)))
                .collect(),
        ),
        ShapeKind::Union(ms) => Val::Union(
            ms[0].name.clone(),
            Box::new(valid_value(svc, corpus, &ms[0].target)),
        ),
        other => panic!("{shape_name}: no valid value for {other:?}"),
    }
}

/// A valid input of `op`: its required members, valid.
pub fn valid_input(svc: &Service, corpus: &[String], op: &str) -> BTreeMap<String, Val> {
    let operation = svc.operation(op).expect("operation");
    let Some(input) = &operation.input else {
        return BTreeMap::new();
    };
    match valid_value(svc, corpus, input) {
        Val::Struct(m) => m,
        other => panic!("{op}: input is {other:?}"),
    }
}
