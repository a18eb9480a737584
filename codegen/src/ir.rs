//! The intermediate representation (IR) of a service.
//!
//! Both loaders (`load::botocore`, `load::smithy`) produce a [`Service`]; the
//! overlay (`overlay`) amends it; `names` resolves every Rust name into it; the
//! emitters read only this. Nothing here knows about a file format, and nothing
//! here knows about Rust syntax beyond the resolved names.
//!
//! Shapes are keyed by their model name without a namespace (`RoomArn`, not
//! `com.amazonaws.ivschat#RoomArn`). Collections are `BTreeMap`s or sorted
//! `Vec`s so that everything derived from the IR is deterministic.

use std::collections::{BTreeMap, BTreeSet};

/// Which kind of file a model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// botocore's `service-2.json`.
    Botocore,
    /// Smithy 2.0 JSON AST.
    Smithy,
}

/// A whole service: its metadata, operations and shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The format the model was read from.
    pub source: SourceFormat,
    /// The service id (`ivschat`): the SDK's `sdkId` / botocore's `serviceId`.
    pub service_id: String,
    /// The human title (`Amazon Interactive Video Service Chat`).
    pub title: String,
    /// The API version (`2020-07-14`).
    pub api_version: String,
    /// The endpoint prefix (`ivschat`), used by endpoint rules and partitions.
    pub endpoint_prefix: String,
    /// The SigV4 signing name (`ivschat`).
    pub signing_name: String,
    /// The wire protocol.
    pub protocol: Protocol,
    /// Service documentation, as in the model (HTML in botocore, CommonMark-ish HTML in Smithy).
    pub documentation: Option<String>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
    /// Every shape, keyed by model name.
    pub shapes: BTreeMap<String, Shape>,
    /// The endpoint rule set, if the model carries one (as JSON, evaluated at run time).
    pub endpoint_rules: Option<serde_json::Value>,
    /// Names resolved for the crate as a whole (filled by `names::resolve`).
    pub crate_name: String,
    /// Patterns of the model the crate does not check, because no matcher can
    /// read them (only when generation was asked to skip unsupported
    /// features; they are removed from the shapes' constraints).
    pub unenforced_patterns: Vec<UnenforcedPattern>,
    /// Model names that got more than their casing to become Rust names (a
    /// keyword or reserved name suffixed, a leading digit prefixed, a
    /// collision numbered), one line each, for the crate's documentation
    /// (filled by `names::resolve`).
    pub renames: Vec<Rename>,
}

/// A model name that became a Rust name by more than casing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rename {
    /// What was renamed, in words (`shape`, `member`, `value`): generator text.
    pub what: &'static str,
    /// The shape whose member or value was renamed (untrusted text).
    pub owner: Option<String>,
    /// The name in the model (untrusted text).
    pub model: String,
    /// The Rust name it got (an identifier).
    pub rust: String,
}

/// A `@pattern` of the model that the generated crate does not check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnenforcedPattern {
    /// The shape that carries it, or whose member does.
    pub shape: String,
    /// The member, when the pattern is on a member.
    pub member: Option<String>,
    /// The pattern as written in the model.
    pub pattern: String,
    /// Why no matcher can read it.
    pub reason: String,
}

impl std::fmt::Display for UnenforcedPattern {
    /// `shape `S`, member `m`: @pattern `p` is not enforced: why`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shape `{}`", self.shape)?;
        if let Some(m) = &self.member {
            write!(f, ", member `{m}`")?;
        }
        write!(
            f,
            ": @pattern `{}` is not enforced: {}",
            self.pattern, self.reason
        )
    }
}

/// Wire protocol of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// AWS restJson1.
    RestJson1,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Model name (`CreateChatToken`).
    pub name: String,
    /// Input structure shape name, if any.
    pub input: Option<String>,
    /// Output structure shape name, if any (`None` for Smithy's `smithy.api#Unit`).
    pub output: Option<String>,
    /// Error structure shape names, sorted.
    pub errors: Vec<String>,
    /// The HTTP binding.
    pub http: HttpBinding,
    /// Documentation as in the model.
    pub documentation: Option<String>,
    /// Pagination, if the operation is paginated.
    pub pagination: Option<Pagination>,
    /// `@idempotent` (or botocore's `idempotent: true`).
    pub idempotent: bool,
    /// `@readonly`.
    pub readonly: bool,
    /// `@deprecated`.
    pub deprecated: bool,
    /// `@endpoint(hostPrefix)` / botocore's `endpoint.hostPrefix`.
    pub host_prefix: Option<String>,
    /// `@httpChecksumRequired` / botocore's `httpChecksumRequired`: requests
    /// carry a `Content-MD5` header.
    pub checksum_required: bool,
    /// `@requestCompression` / botocore's `requestcompression` lists `gzip`:
    /// request bodies may be gzip-compressed.
    pub request_compression: bool,
    /// Names resolved for Rust (filled by `names::resolve`).
    pub names: OperationNames,
}

/// Rust names of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationNames {
    /// Module under `operation::` (`create_chat_token`); also the client method.
    pub module: String,
    /// The operation's type name (`CreateChatToken`).
    pub type_name: String,
    /// Input type (`CreateChatTokenInput`).
    pub input: String,
    /// Output type (`CreateChatTokenOutput`).
    pub output: String,
    /// Error enum (`CreateChatTokenError`).
    pub error: String,
}

/// HTTP method, URI template and success code of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBinding {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request URI template, possibly with a literal query (`/tags/{resourceArn}`).
    pub uri: String,
    /// Success status code.
    pub code: u16,
}

/// How an operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Input member that carries the token.
    pub input_token: String,
    /// Output member (path, dotted) that carries the next token.
    pub output_token: String,
    /// Output member (path, dotted) with the page's items, if named.
    pub items: Option<String>,
    /// Input member that limits the page size, if any.
    pub page_size: Option<String>,
}

/// A shape: a named type in the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Model name (`RoomArn`).
    pub name: String,
    /// What kind of shape it is.
    pub kind: ShapeKind,
    /// Documentation as in the model.
    pub documentation: Option<String>,
    /// `@sensitive`.
    pub sensitive: bool,
    /// `@deprecated`.
    pub deprecated: bool,
    /// A stream of events (Smithy's `@streaming` union, botocore's
    /// `eventstream` structure), loaded as a union of its events; members
    /// that target `@error` structures are the stream's exceptions. Emitters
    /// support them in outputs; `unsupported::apply` stops generation at (or
    /// leaves out) an operation with one in its input.
    pub event_stream: bool,
    /// Constraint traits on the shape itself.
    pub constraints: Constraints,
    /// Set when the shape is an error structure.
    pub error: Option<ErrorTrait>,
    /// The Rust type name (filled by `names::resolve`): `RoomSummary`,
    /// `ChatTokenCapability`. Empty for shapes that map to a Rust primitive
    /// (`String`, `i32`, `Vec<_>`...) and for structures used only as an
    /// operation's input or output (those types are named by the operation).
    pub rust_name: String,
    /// Where the type lives in the crate (filled by `names::resolve`).
    pub module: ShapeModule,
    /// The snake_case stem of the crate's private functions about this
    /// shape (`read_<fn_name>`), unique among all shapes (filled by
    /// `names::resolve`).
    pub fn_name: String,
}

/// Which module of the generated crate owns a shape's own type.
///
/// An operation's input and output types are always emitted in the
/// operation's module, named by [`OperationNames`], whatever the module of the
/// shape they come from (a shape used both as an input and as a member gets both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ShapeModule {
    /// No named Rust type of its own: simple shapes, lists, maps, and
    /// structures used only as an operation's input or output.
    #[default]
    None,
    /// `types::`.
    Types,
    /// `types::error::`.
    Error,
}

/// The kind of a shape and its kind-specific parts.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    /// A structure with members in model order.
    Structure(Vec<Member>),
    /// A tagged union with members in model order.
    Union(Vec<Member>),
    /// A list; `sparse` lists allow nulls.
    List {
        /// The element target.
        member: Box<Member>,
        /// `@sparse`.
        sparse: bool,
    },
    /// A map with string keys.
    Map {
        /// The key target.
        key: Box<Member>,
        /// The value target.
        value: Box<Member>,
        /// `@sparse`.
        sparse: bool,
    },
    /// A string enum.
    Enum(Vec<EnumValue>),
    /// An integer enum.
    IntEnum(Vec<IntEnumValue>),
    /// A plain string.
    String,
    /// Bytes; `streaming` blobs are payload streams.
    Blob {
        /// `@streaming`.
        streaming: bool,
    },
    /// `true` / `false`.
    Boolean,
    /// 8-bit signed integer.
    Byte,
    /// 16-bit signed integer.
    Short,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// Arbitrary precision integer.
    BigInteger,
    /// Arbitrary precision decimal.
    BigDecimal,
    /// A point in time, with the shape's `@timestampFormat` if any.
    Timestamp(Option<TimestampFormat>),
    /// An untyped JSON document.
    Document,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The wire value (`SEND_MESSAGE`).
    pub value: String,
    /// Documentation, if any.
    pub documentation: Option<String>,
    /// Rust variant name (filled by `names::resolve`): `SendMessage`.
    pub rust_name: String,
}

/// One value of an integer enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntEnumValue {
    /// The member name in the model.
    pub name: String,
    /// The wire value.
    pub value: i64,
    /// Documentation, if any.
    pub documentation: Option<String>,
    /// Rust variant name (filled by `names::resolve`).
    pub rust_name: String,
}

/// Wire format of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimestampFormat {
    /// RFC 3339 / ISO 8601 (`2024-01-01T00:00:00Z`); botocore's `iso8601`.
    DateTime,
    /// RFC 7231 IMF-fixdate (`Mon, 01 Jan 2024 00:00:00 GMT`); botocore's `rfc822`.
    HttpDate,
    /// Seconds since the epoch, possibly fractional; botocore's `unixTimestamp`.
    EpochSeconds,
}

/// A member of a structure or union, or the element/key/value of a list or map.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Model name (`roomIdentifier`); `member`, `key` or `value` for collections.
    pub name: String,
    /// Target shape name.
    pub target: String,
    /// Documentation on the member itself.
    pub documentation: Option<String>,
    /// `@required`.
    pub required: bool,
    /// Where the member travels in an HTTP request or response.
    pub location: Location,
    /// `@jsonName`, when it differs from `name`.
    pub json_name: Option<String>,
    /// `@timestampFormat` on the member (overrides the target's).
    pub timestamp_format: Option<TimestampFormat>,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// `@hostLabel`.
    pub host_label: bool,
    /// `@default` value, if any (as JSON).
    pub default: Option<serde_json::Value>,
    /// `@deprecated`.
    pub deprecated: bool,
    /// `@sensitive` on the member (the target's flag is on its shape).
    pub sensitive: bool,
    /// The media type the member's target declares (Smithy `@mediaType`), on
    /// any member; botocore's `jsonvalue` (a string carrying JSON) is
    /// `application/json`. On an `@httpPayload` member it is the payload's
    /// Content-Type; on a header member it means the value travels
    /// base64-encoded (botocore and Smithy agree on that).
    pub media_type: Option<String>,
    /// Constraint traits applied on the member (Smithy allows them there).
    pub constraints: Constraints,
    /// Rust field name (filled by `names::resolve`): `room_identifier`, `r#type` becomes `type`.
    pub rust_name: String,
    /// The field is boxed: its target leads back to the member's own
    /// structure or union through structure and union members only, so the
    /// type would otherwise be infinitely sized (filled by the loader,
    /// `load::graph`; always false for list and map elements).
    pub boxed: bool,
}

/// Where a member is bound in an HTTP message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// The JSON document body (the default).
    Body,
    /// A URI label (`{resourceArn}`), with its label name.
    Label(String),
    /// A query parameter, with its name.
    Query(String),
    /// A map of query parameters (`@httpQueryParams`).
    QueryParams,
    /// A header, with its name.
    Header(String),
    /// Headers with a prefix (`@httpPrefixHeaders`).
    PrefixHeaders(String),
    /// The whole payload (`@httpPayload`).
    Payload,
    /// The response status code (`@httpResponseCode`).
    StatusCode,
    /// A header of an event-stream message (`@eventHeader`), named like the member.
    EventHeader,
    /// The whole payload of an event-stream message (`@eventPayload`).
    EventPayload,
    /// The body of the HTTP message is this member's stream of events: an
    /// `@httpPayload` member that targets an event stream (set by the
    /// loaders, which also mark it required: a successful response always
    /// has its stream).
    EventStream,
}

/// Constraint traits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length` (strings: characters; lists/maps: entries; blobs: bytes).
    pub length: Option<Bounds>,
    /// `@range` on numbers.
    pub range: Option<RangeBounds>,
    /// `@pattern`, exactly as in the model (not anchored implicitly).
    pub pattern: Option<String>,
    /// A limit on the total UTF-8 bytes of every key and value of a map, from
    /// the service's documentation (declared in the overlay).
    pub max_total_bytes: Option<u64>,
}

impl Constraints {
    /// True when no constraint is set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// Integer bounds, both inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
}

/// Numeric bounds, both inclusive, as decimal text so that no precision is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeBounds {
    /// Lower bound.
    pub min: Option<String>,
    /// Upper bound.
    pub max: Option<String>,
}

/// The `@error` trait and its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorTrait {
    /// Whose fault the error is.
    pub fault: Fault,
    /// The HTTP status the service uses for it, if modelled.
    pub http_status: Option<u16>,
    /// The code a response carries for this error: botocore's `error.code`
    /// (Smithy's `awsQueryError` code), else the shape's name; worked out
    /// once by the loaders, read by every emitter that matches or reports
    /// a code.
    pub code: String,
    /// `@retryable`, and whether it is throttling.
    pub retryable: Option<Retryable>,
}

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The caller's.
    Client,
    /// The service's.
    Server,
}

/// `@retryable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retryable {
    /// `@retryable(throttling: true)`.
    pub throttling: bool,
}

impl ShapeKind {
    /// The kind as Smithy names it (`structure`, `intEnum`).
    pub fn name(&self) -> &'static str {
        match self {
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Enum(_) => "enum",
            ShapeKind::IntEnum(_) => "intEnum",
            ShapeKind::String => "string",
            ShapeKind::Blob { .. } => "blob",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Byte => "byte",
            ShapeKind::Short => "short",
            ShapeKind::Integer => "integer",
            ShapeKind::Long => "long",
            ShapeKind::Float => "float",
            ShapeKind::Double => "double",
            ShapeKind::BigInteger => "bigInteger",
            ShapeKind::BigDecimal => "bigDecimal",
            ShapeKind::Timestamp(_) => "timestamp",
            ShapeKind::Document => "document",
        }
    }

    /// The kind with its article, for messages (`a structure`, `an intEnum`).
    pub fn a_name(&self) -> &'static str {
        match self {
            ShapeKind::Structure(_) => "a structure",
            ShapeKind::Union(_) => "a union",
            ShapeKind::List { .. } => "a list",
            ShapeKind::Map { .. } => "a map",
            ShapeKind::Enum(_) => "an enum",
            ShapeKind::IntEnum(_) => "an intEnum",
            ShapeKind::String => "a string",
            ShapeKind::Blob { .. } => "a blob",
            ShapeKind::Boolean => "a boolean",
            ShapeKind::Byte => "a byte",
            ShapeKind::Short => "a short",
            ShapeKind::Integer => "an integer",
            ShapeKind::Long => "a long",
            ShapeKind::Float => "a float",
            ShapeKind::Double => "a double",
            ShapeKind::BigInteger => "a bigInteger",
            ShapeKind::BigDecimal => "a bigDecimal",
            ShapeKind::Timestamp(_) => "a timestamp",
            ShapeKind::Document => "a document",
        }
    }

    /// Whether the kind is a number (takes a range).
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double
                | ShapeKind::BigInteger
                | ShapeKind::BigDecimal
        )
    }

    /// Whether the kind takes a length (strings, enums, lists, maps, blobs).
    pub fn has_length(&self) -> bool {
        matches!(
            self,
            ShapeKind::String
                | ShapeKind::Enum(_)
                | ShapeKind::List { .. }
                | ShapeKind::Map { .. }
                | ShapeKind::Blob { .. }
        )
    }
}

impl Shape {
    /// A structure's members, in model order; none for other kinds.
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            ShapeKind::Structure(ms) => ms,
            _ => &[],
        }
    }

    /// The members a value of this shape contains: structure and union
    /// members, a list's element, a map's key and value.
    pub fn children(&self) -> Vec<&Member> {
        match &self.kind {
            ShapeKind::Structure(ms) | ShapeKind::Union(ms) => ms.iter().collect(),
            ShapeKind::List { member, .. } => vec![&**member],
            ShapeKind::Map { key, value, .. } => vec![&**key, &**value],
            _ => Vec::new(),
        }
    }
}

impl Service {
    /// `roots` and every shape their values contain, transitively.
    pub fn reachable<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = roots.into_iter().collect();
        while let Some(name) = stack.pop() {
            if seen.insert(name.to_string()) {
                stack.extend(
                    self.shape(name)
                        .children()
                        .iter()
                        .map(|m| m.target.as_str()),
                );
            }
        }
        seen
    }

    /// Whether `member`'s value must not appear in `Debug` output.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        if member.sensitive || self.shape(&member.target).sensitive {
            return true;
        }
        match &self.shape(&member.target).kind {
            ShapeKind::List { member, .. } => self.is_sensitive(member),
            ShapeKind::Map { key, value, .. } => self.is_sensitive(key) || self.is_sensitive(value),
            _ => false,
        }
    }

    /// The members of `op`'s input structure, in model order; none without
    /// an input.
    pub fn input_members(&self, op: &Operation) -> &[Member] {
        op.input.as_deref().map_or(&[], |n| self.shape(n).members())
    }

    /// The events of event stream `stream`: its members that are not
    /// exceptions, in model order.
    pub fn stream_events<'a>(&self, stream: &'a Shape) -> Vec<&'a Member> {
        self.stream_members(stream, false)
    }

    /// The exceptions of event stream `stream`: its members that target
    /// `@error` structures, in model order.
    pub fn stream_exceptions<'a>(&self, stream: &'a Shape) -> Vec<&'a Member> {
        self.stream_members(stream, true)
    }

    fn stream_members<'a>(&self, stream: &'a Shape, exceptions: bool) -> Vec<&'a Member> {
        stream
            .children()
            .into_iter()
            .filter(|m| self.shape(&m.target).error.is_some() == exceptions)
            .collect()
    }

    /// The member of error structure `shape` that holds its message, read by
    /// the error's `Display` and `message()`: the member named `message`,
    /// else the one named `Message` (smithy-rs's `errorMessageMember`; the
    /// wire agrees, botocore's parser reads a body's `message` key before
    /// `Message`). The names are the model's, exactly: `jsonName` and casing
    /// do not make a message. A chosen member that does not target a string
    /// is no message (`message()` is text), and `Message` is then not tried.
    pub fn error_message<'a>(&self, shape: &'a Shape) -> Option<&'a Member> {
        let ShapeKind::Structure(members) = &shape.kind else {
            return None;
        };
        let named = |name: &str| members.iter().find(|m| m.name == name);
        named("message")
            .or_else(|| named("Message"))
            .filter(|m| matches!(self.shape(&m.target).kind, ShapeKind::String))
    }

    /// The shape named `name`. Loaders guarantee every target exists, so a miss
    /// here is a bug in a loader; emitters may rely on it.
    pub fn shape(&self, name: &str) -> &Shape {
        match self.shapes.get(name) {
            Some(shape) => shape,
            None => unreachable_shape(name),
        }
    }

    /// The operation named `name`, if any.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name == name)
    }
}

#[cold]
fn unreachable_shape(name: &str) -> ! {
    // Loaders check every target (see `load::validate`); reaching this is a
    // generator bug, never a property of the input.
    panic!("internal error: shape `{name}` is not in the IR")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::testing;

    #[test]
    fn an_errors_message_is_the_member_named_message_else_message_capitalized() {
        let string = json!({"target": "smithy.api#String"});
        let errors = json!({
            "Lower": {"message": string},
            "Capital": {"Message": string},
            // `types.rs` once took the first member named so in any case
            // (`message`, no string: no message), `errors.rs` the first
            // string (`Message`), so `Display` and `message()` disagreed.
            // smithy-rs's `errorMessageMember` takes `message`, as
            // botocore's parser takes a body's `message` key before
            // `Message`: there is no message text.
            "Both": {"message": {"target": "smithy.api#Integer"}, "Message": string},
            // Both old ways took the first (`Message`); `message` wins.
            "Swapped": {"Message": string, "message": string},
            // Names are exact: other casings and `jsonName` are other members.
            "Upper": {"MESSAGE": string},
            "Renamed": {"text": {"target": "smithy.api#String",
                                 "traits": {"smithy.api#jsonName": "message"}}},
        });
        let mut shapes = json!({"ex#In": {"type": "structure", "members": {}}});
        let mut listed = Vec::new();
        for (name, members) in errors.as_object().expect("an object") {
            shapes[format!("ex#{name}")] = json!({"type": "structure", "members": members,
                                                  "traits": {"smithy.api#error": "client"}});
            listed.push(json!({"target": format!("ex#{name}")}));
        }
        shapes["ex#Op"] = json!({"type": "operation", "input": {"target": "ex#In"}, "errors": listed,
                                 "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}});
        let svc = testing::load(shapes);
        let message = |error: &str| svc.error_message(svc.shape(error)).map(|m| m.name.as_str());
        assert_eq!(message("Lower"), Some("message"));
        assert_eq!(message("Capital"), Some("Message"));
        assert_eq!(message("Both"), None);
        assert_eq!(message("Swapped"), Some("message"));
        assert_eq!(message("Upper"), None);
        assert_eq!(message("Renamed"), None);
    }
}
