//! Every Rust name in the generated crate comes from here.
//!
//! [`resolve`] fills the `rust_name`s and module assignments of the IR once,
//! after loading and the overlay. Every other name the output uses is
//! derived from those by one function of the name table below
//! ([`builder_ident`], [`fluent_builder`], [`serialize_request`],
//! [`json_reader`], [`setter`], [`variant`] ...), which `resolve` also uses to
//! claim the name in its scope; emitters only ask. Casing follows
//! aws-sdk-ivschat (heck's rules), Rust keywords become raw identifiers (or get
//! a suffix where a raw identifier is not allowed), and two shapes that would
//! get the same Rust name in the same module are an error naming both.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::error::{Diagnostics, Error, Result};
use crate::ir::{Member, Operation, Rename, Service, Shape, ShapeKind, ShapeModule};

/// Rust keywords (strict and reserved, all editions up to 2024, and the
/// weak `union`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (and `_`, which is no identifier).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names a shape may not take: the prelude (every edition), the names
/// the generated code uses unqualified, and the crate's own root items.
const RESERVED_TYPES: &[&str] = &[
    // The prelude.
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // Derives and std items generated code names.
    "Debug",
    "Hash",
    "HashMap",
    "Self",
    "FromStr",
    "Display",
    // Runtime items generated code names unqualified.
    "DateTime",
    "Blob",
    "Document",
    "BuildError",
    "Format",
    "Value",
    "DeserializeError",
    "ValueWriter",
    // The crate's root items.
    "Client",
    "Config",
    "Error",
    // Every operation's error enum has an `Unhandled` variant.
    "Unhandled",
];

/// Method names every generated structure, builder or fluent builder has, so
/// a member may not take them as its field name.
const RESERVED_FIELDS: &[&str] = &[
    "build",
    "builder",
    "validate",
    "send",
    "send_with",
    "customize",
    "new",
    "as_input",
    "into_paginator",
];

/// The crate's modules in `types` besides one per type (`types::error`).
const TYPES_MODULES: &[&str] = &["error"];

/// The methods of the generated `Client` besides one per operation.
const CLIENT_METHODS: &[&str] = &["from_conf", "config", "new", "clone"];

/// A model name with every character outside ASCII replaced by a word
/// `u<hex>` (`Café` -> `Caf_ue9_`), so that casing gives ASCII identifiers
/// and different names stay apart. ASCII punctuation and control characters
/// are word breaks for the casing.
fn ascii_words(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("_u{:x}_", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// Whether `s` is a plain ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`, not `_`).
pub fn is_ascii_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

/// `roomIdentifier` -> `room_identifier`; keywords become `r#type`, and names
/// that collide with the methods of builders and structs get `_value`.
pub fn field(name: &str) -> String {
    escape_snake(name, RESERVED_FIELDS)
}

/// `CreateChatToken` -> `create_chat_token` (module and client method names).
pub fn module(name: &str) -> String {
    escape_snake(name, &[])
}

/// snake_case of `name` in ASCII (`unnamed` when nothing is left, `v_` before a
/// leading digit), with `_value` after `reserved` names and keywords that
/// cannot be raw, and `r#` before other keywords.
fn escape_snake(name: &str, reserved: &[&str]) -> String {
    let snake = ascii_words(name).to_snake_case();
    let snake = if snake.is_empty() {
        "unnamed".to_string()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v_{snake}")
    } else {
        snake
    };
    if reserved.contains(&snake.as_str()) || NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// A shape or variant name in UpperCamelCase that is a valid ASCII identifier.
pub fn type_name(name: &str) -> String {
    let camel = ascii_words(name).to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Empty".to_string()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    };
    if RESERVED_TYPES.contains(&camel.as_str()) || KEYWORDS.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// The variant of a union member: `s3` -> `S3`, `cloudWatchLogs` -> `CloudWatchLogs`.
pub fn union_variant(member: &str) -> String {
    let name = type_name(member);
    if name == "Unknown" {
        "UnknownValue".to_string()
    } else {
        name
    }
}

/// The field of a union member: as [`field`], and `unknown` becomes
/// `unknown_value` (its `is_unknown` would be the `Unknown` variant's).
pub fn union_field(member: &str) -> String {
    let f = field(member);
    if f == "unknown" {
        "unknown_value".to_string()
    } else {
        f
    }
}

/// The builder type of a type: `RoomSummary` -> `RoomSummaryBuilder`.
pub fn builder(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The error type of an event stream's exceptions, in `types::error`:
/// `ResponseStream` -> `ResponseStreamError` (as aws-sdk names it).
pub fn event_stream_error(type_name: &str) -> String {
    format!("{type_name}Error")
}

/// The identifier without a raw prefix: `r#type` -> `type` (for derived names
/// such as `set_type`, `get_type`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The methods a structure, its builder and its fluent builder get for a
/// member whose field is `field`: the getter and setter, `set_`, `get_`.
pub fn member_methods(field: &str) -> [String; 3] {
    let plain = unraw(field);
    [
        plain.to_string(),
        format!("set_{plain}"),
        format!("get_{plain}"),
    ]
}

/// The methods a union gets for a member whose field is `field`: the field
/// itself (as the builder's setter), `as_<field>` and `is_<field>`.
pub fn union_methods(field: &str) -> [String; 3] {
    let plain = unraw(field);
    [
        plain.to_string(),
        format!("as_{plain}"),
        format!("is_{plain}"),
    ]
}

// The name table: every name the emitters write, derived from the names
// `resolve` stored in the IR. `resolve` claims each of them in its scope, so
// a collision is reported here, naming both owners; emitters only ask.

/// An identifier for a name resolved here (`r#type` becomes a raw one).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(keyword) => Ident::new_raw(keyword, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The snake_case stem of a type name, without a raw prefix
/// (`ResponseStream` -> `response_stream`).
fn snake(type_name: &str) -> String {
    unraw(&module(type_name)).to_string()
}

/// The type of a named shape (`RoomSummary`).
pub fn type_ident(shape: &Shape) -> Ident {
    ident(&shape.rust_name)
}

/// The builder of type `type_name` (`RoomSummaryBuilder`).
pub fn builder_ident(type_name: &str) -> Ident {
    ident(&builder(type_name))
}

/// The error type of event stream `stream`'s exceptions (`ResponseStreamError`).
pub fn event_stream_error_ident(stream: &Shape) -> Ident {
    ident(&event_stream_error(&stream.rust_name))
}

/// The operation's module under `operation::`, also the client's method.
pub fn operation_module(op: &Operation) -> Ident {
    ident(&op.names.module)
}

/// The operation's input type (`CreateChatTokenInput`).
pub fn input(op: &Operation) -> Ident {
    ident(&op.names.input)
}

/// The operation's output type (`CreateChatTokenOutput`).
pub fn output(op: &Operation) -> Ident {
    ident(&op.names.output)
}

/// The operation's error enum (`CreateChatTokenError`).
pub fn error_enum(op: &Operation) -> Ident {
    ident(&op.names.error)
}

/// The builder of the operation's input (`CreateChatTokenInputBuilder`).
pub fn input_builder(op: &Operation) -> Ident {
    ident(&builder(&op.names.input))
}

/// The builder of the operation's output (`CreateChatTokenOutputBuilder`).
pub fn output_builder(op: &Operation) -> Ident {
    ident(&builder(&op.names.output))
}

/// The items of an operation's module besides its input, output and error,
/// by their suffix after the operation's type name.
const OPERATION_ITEMS: [&str; 2] = ["FluentBuilder", "Paginator"];

/// The call that `Client::<op>()` returns (`CreateChatTokenFluentBuilder`).
pub fn fluent_builder(op: &Operation) -> Ident {
    ident(&format!("{}{}", op.names.type_name, OPERATION_ITEMS[0]))
}

/// The pages of a paginated operation (`ListRoomsPaginator`).
pub fn paginator(op: &Operation) -> Ident {
    ident(&format!("{}{}", op.names.type_name, OPERATION_ITEMS[1]))
}

/// The functions of `protocol::http` and `protocol::json` about an
/// operation, by where the operation's snake name goes.
const OPERATION_FNS: [&str; 5] = [
    "serialize_{}_request",
    "deserialize_{}_response",
    "deserialize_{}_error",
    "serialize_{}_input",
    "deserialize_{}_output",
];

fn operation_fn(op: &Operation, which: usize) -> Ident {
    ident(&OPERATION_FNS[which].replace("{}", unraw(&op.names.module)))
}

/// `protocol::http`'s request serializer (`serialize_create_room_request`).
pub fn serialize_request(op: &Operation) -> Ident {
    operation_fn(op, 0)
}

/// `protocol::http`'s response parser (`deserialize_create_room_response`).
pub fn deserialize_response(op: &Operation) -> Ident {
    operation_fn(op, 1)
}

/// `protocol::http`'s error parser (`deserialize_create_room_error`).
pub fn deserialize_error(op: &Operation) -> Ident {
    operation_fn(op, 2)
}

/// `protocol::json`'s body writer of the input (`serialize_create_room_input`).
pub fn serialize_input(op: &Operation) -> Ident {
    operation_fn(op, 3)
}

/// `protocol::json`'s body reader of the output (`deserialize_create_room_output`).
pub fn deserialize_output(op: &Operation) -> Ident {
    operation_fn(op, 4)
}

/// `protocol::json`'s writer of a shape's values (`write_room_summary`).
pub fn json_writer(shape: &Shape) -> Ident {
    ident(&format!("write_{}", shape.fn_name))
}

/// `protocol::json`'s reader of a shape's values (`read_room_summary`).
pub fn json_reader(shape: &Shape) -> Ident {
    ident(&format!("read_{}", shape.fn_name))
}

/// `protocol::json`'s parser of an error shape's body
/// (`deserialize_access_denied_exception`).
pub fn error_parser(shape: &Shape) -> Ident {
    ident(&format!("deserialize_{}", snake(&shape.rust_name)))
}

/// `protocol::event_stream`'s reader of an output stream's messages
/// (`unmarshal_response_stream`).
pub fn unmarshal(stream: &Shape) -> Ident {
    ident(&format!("unmarshal_{}", snake(&stream.rust_name)))
}

/// `protocol::event_stream`'s writer of an input stream's events
/// (`marshal_request_stream`).
pub fn marshal(stream: &Shape) -> Ident {
    ident(&format!("marshal_{}", snake(&stream.rust_name)))
}

/// [`marshal`] that first checks each event (`marshal_request_stream_validated`).
pub fn marshal_validated(stream: &Shape) -> Ident {
    ident(&format!("marshal_{}_validated", snake(&stream.rust_name)))
}

/// `protocol::event_stream`'s reader of one event structure (`read_event_chunk`).
pub fn read_event(event: &Shape) -> Ident {
    ident(&format!("read_event_{}", snake(&event.rust_name)))
}

/// `protocol::event_stream`'s writer of one event structure (`write_event_chunk`).
pub fn write_event(event: &Shape) -> Ident {
    ident(&format!("write_event_{}", snake(&event.rust_name)))
}

/// `validate`'s check of one event of input stream `stream`
/// (`validate_event_request_stream`).
pub fn event_validator(stream: &Shape) -> Ident {
    ident(&format!("validate_event_{}", snake(&stream.rust_name)))
}

/// `validate`'s check of a shape's values (`validate_room_summary`).
pub fn validator(shape: &Shape) -> Ident {
    ident(&format!("validate_{}", shape.fn_name))
}

/// `validate`'s matcher of a pattern, named after the first shape or
/// `Shape.member` that carries it (`matches_room_name`); `n` (from 2) keeps
/// matchers of different patterns with the same first user apart.
pub fn matcher(user: &str, n: usize) -> Ident {
    let base = format!("matches_{}", snake(&user.replace('.', "_")));
    match n {
        0 | 1 => ident(&base),
        n => ident(&format!("{base}_{n}")),
    }
}

/// The constant table of characters of a matcher (`ROOM_NAME_CHARS` for
/// `matches_room_name`).
pub fn matcher_table(matcher: &Ident) -> Ident {
    let base = matcher.to_string();
    let base = base.strip_prefix("matches_").unwrap_or(&base);
    ident(&format!("{}_CHARS", base.to_uppercase()))
}

/// The `is_<error>` method of an operation's error enum (`is_conflict_exception`).
pub fn is_error(error: &Shape) -> Ident {
    ident(&format!("is_{}", snake(&error.rust_name)))
}

/// The field of member `m`, also its getter and builder setter.
pub fn field_ident(m: &Member) -> Ident {
    ident(&m.rust_name)
}

/// The `set_<field>` method of builders.
pub fn setter(m: &Member) -> Ident {
    ident(&member_methods(&m.rust_name)[1])
}

/// The `get_<field>` method of builders.
pub fn getter(m: &Member) -> Ident {
    ident(&member_methods(&m.rust_name)[2])
}

/// The variant of union member `m` (`CloudWatchLogs`).
pub fn variant(m: &Member) -> Ident {
    ident(&union_variant(&m.name))
}

/// The `as_<field>` accessor of union member `m`.
pub fn union_as(m: &Member) -> Ident {
    ident(&union_methods(&m.rust_name)[1])
}

/// The `is_<field>` test of union member `m`.
pub fn union_is(m: &Member) -> Ident {
    ident(&union_methods(&m.rust_name)[2])
}

/// The local variable a parser collects member `m` in (`room_name_`: the
/// trailing underscore keeps it apart from the parser's own locals).
pub fn slot(m: &Member) -> Ident {
    ident(&format!("{}_", unraw(&m.rust_name)))
}

/// Names taken in one namespace of the generated crate, each with who took
/// it, so that a second taker is an error naming both.
struct Scope {
    what: String,
    taken: BTreeMap<String, String>,
}

impl Scope {
    fn new(what: impl Into<String>) -> Self {
        Scope {
            what: what.into(),
            taken: BTreeMap::new(),
        }
    }

    /// Take `name` for `owner` (`shape `A``, `member `A.b``); a name the same
    /// owner takes twice is fine.
    fn claim(&mut self, name: &str, owner: &str, err: impl Fn(String) -> Error) -> Result<()> {
        match self.taken.get(name) {
            Some(other) if other != owner => Err(err(format!(
                "its Rust name `{name}` in {} is already taken by {other}",
                self.what
            ))),
            Some(_) => Ok(()),
            None => {
                self.taken.insert(name.to_string(), owner.to_string());
                Ok(())
            }
        }
    }
}

/// Fill every Rust name of `svc`. Every collision is reported in one run
/// (the first of each shape or member), naming both sides; renames (a suffix
/// where the casing or a keyword demands one) are listed in
/// [`Service::renames`] for the crate's documentation.
pub fn resolve(svc: &mut Service) -> std::result::Result<(), Diagnostics> {
    let mut problems = Diagnostics::new();
    svc.crate_name = svc.service_id.to_lowercase().replace([' ', '-'], "");
    let mut renames = Vec::new();

    let referenced = referenced_by_members(svc);
    // (module) -> names taken there.
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let mut claim = |module: &str, name: &str, owner: &str, err: &dyn Fn(String) -> Error| {
        scopes
            .entry(module.to_string())
            .or_insert_with(|| Scope::new(format!("module `{module}`")))
            .claim(name, owner, err)
    };
    for m in TYPES_MODULES {
        problems.check(claim("types (file)", m, "the crate's own module", &|m| {
            Error::new(m)
        }));
    }
    for m in CLIENT_METHODS {
        problems.check(claim("Client", m, "the client's own method", &|m| {
            Error::new(m)
        }));
    }

    for op in &mut svc.operations {
        let n = &mut op.names;
        n.module = module(&op.name);
        n.type_name = type_name(&op.name);
        n.input = format!("{}Input", n.type_name);
        n.output = format!("{}Output", n.type_name);
        n.error = format!("{}Error", n.type_name);
        let owner = format!("operation `{}`", op.name);
        let err = |m: String| Error::shape(op.name.clone(), m);
        problems.check(claim("operation", &n.module, &owner, &err));
        problems.check(claim("Client", unraw(&n.module), &owner, &err));
        // The items of the operation's module.
        let op: &Operation = op;
        let module_scope = format!("operation::{}", unraw(&op.names.module));
        for item in [
            input(op),
            output(op),
            error_enum(op),
            input_builder(op),
            output_builder(op),
            fluent_builder(op),
            paginator(op),
        ] {
            problems.check(claim(&module_scope, &item.to_string(), &owner, &err));
        }
        let n = &op.names;
        note_rename(&mut renames, "operation", None, &op.name, &n.type_name);
        if unraw(&n.module) != op.name.to_snake_case() {
            renames.push(Rename {
                what: "operation module",
                owner: None,
                model: op.name.clone(),
                rust: unraw(&n.module).to_string(),
            });
        }
    }

    // Stems of the crate's private functions about a shape (`read_<stem>`):
    // snake_case, made unique with a number.
    let mut stems = BTreeSet::new();
    for (name, shape) in &mut svc.shapes {
        let stem = unraw(&module(name)).to_string();
        let mut unique = stem.clone();
        let mut n = 2;
        while !stems.insert(unique.clone()) {
            unique = format!("{stem}_{n}");
            n += 1;
        }
        shape.fn_name = unique;
    }

    for (name, shape) in &mut svc.shapes {
        let named_kind = matches!(
            shape.kind,
            ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum(_)
        );
        shape.module = if shape.error.is_some() {
            ShapeModule::Error
        } else if named_kind
            && (referenced.contains(name) || !matches!(shape.kind, ShapeKind::Structure(_)))
        {
            ShapeModule::Types
        } else {
            ShapeModule::None
        };
        shape.rust_name = match shape.module {
            ShapeModule::None => String::new(),
            _ => type_name(name),
        };
        let module_name = match shape.module {
            ShapeModule::None => None,
            ShapeModule::Types => Some("types"),
            ShapeModule::Error => Some("types::error"),
        };
        let owner = format!("shape `{name}`");
        let err = |m: String| Error::shape(name.clone(), m);
        if let Some(m) = module_name {
            note_rename(&mut renames, "shape", None, name, &shape.rust_name);
            problems.check(claim(m, &shape.rust_name, &owner, &err));
            problems.check(claim(m, &builder(&shape.rust_name), &owner, &err));
            // One file per type: file names must differ too.
            problems.check(claim(
                &format!("{m} (file)"),
                unraw(&module(&shape.rust_name)),
                &owner,
                &err,
            ));
        }
        if shape.event_stream {
            let error = event_stream_error(&shape.rust_name);
            problems.check(claim(
                "types::error (file)",
                unraw(&module(&error)),
                &owner,
                &err,
            ));
            problems.check(claim("types::error", &error, &owner, &err));
        }

        let is_union = matches!(shape.kind, ShapeKind::Union(_));
        match &mut shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                // Fields, and every method a member gives the structure, its
                // builders, or (for a union) the enum.
                let mut methods = Scope::new(format!("the methods of `{name}`"));
                let mut variants = Scope::new(format!("the variants of `{name}`"));
                for fixed in RESERVED_FIELDS {
                    problems.check(
                        methods.claim(fixed, "a generated method", |m| Error::shape(name, m)),
                    );
                }
                if is_union {
                    problems.check(methods.claim("is_unknown", "the `Unknown` variant", |m| {
                        Error::shape(name, m)
                    }));
                    problems.check(variants.claim("Unknown", "the `Unknown` variant", |m| {
                        Error::shape(name, m)
                    }));
                }
                for m in members.iter_mut() {
                    m.rust_name = if is_union {
                        union_field(&m.name)
                    } else {
                        field(&m.name)
                    };
                    let plain_snake = m.name.to_snake_case();
                    if unraw(&m.rust_name) != plain_snake {
                        renames.push(Rename {
                            what: "member",
                            owner: Some(name.clone()),
                            model: m.name.clone(),
                            rust: unraw(&m.rust_name).to_string(),
                        });
                    }
                    let owner = format!("member `{}`", m.name);
                    let err = |e: String| Error::member(name.clone(), m.name.clone(), e);
                    let methods_of = if is_union {
                        union_methods(&m.rust_name)
                    } else {
                        member_methods(&m.rust_name)
                    };
                    for method in &methods_of {
                        problems.check(methods.claim(method, &owner, err));
                    }
                    if is_union {
                        let variant = union_variant(&m.name);
                        problems.check(variants.claim(&variant, &owner, err));
                        note_rename(&mut renames, "variant", Some(name), &m.name, &variant);
                    }
                }
            }
            ShapeKind::Enum(values) => {
                let mut seen = BTreeSet::from(["Unknown".to_string()]);
                for v in values.iter_mut() {
                    v.rust_name = unique_variant(&mut seen, &v.value);
                    note_rename(&mut renames, "value", Some(name), &v.value, &v.rust_name);
                }
            }
            ShapeKind::IntEnum(values) => {
                let mut seen = BTreeSet::from(["Unknown".to_string()]);
                for v in values.iter_mut() {
                    v.rust_name = unique_variant(&mut seen, &v.name);
                    note_rename(&mut renames, "value", Some(name), &v.name, &v.rust_name);
                }
            }
            ShapeKind::List { member, .. } => member.rust_name = "member".into(),
            ShapeKind::Map { key, value, .. } => {
                key.rust_name = "key".into();
                value.rust_name = "value".into();
            }
            _ => {}
        }
    }
    // Error enums: a variant and an `is_` method per error, beside `Unhandled`.
    for op in &svc.operations {
        let mut variants = Scope::new(format!("the error enum of operation `{}`", op.name));
        let err = |m: String| Error::shape(op.name.clone(), m);
        problems.check(variants.claim("Unhandled", "the `Unhandled` variant", err));
        problems.check(variants.claim("is_unhandled", "the `Unhandled` variant", err));
        for e in &op.errors {
            let shape = &svc.shapes[e];
            let owner = format!("error `{e}`");
            problems.check(variants.claim(&shape.rust_name, &owner, err));
            problems.check(variants.claim(&is_error(shape).to_string(), &owner, err));
        }
    }
    // The private functions of the protocol modules, as if in one module
    // (some are): per operation, per error, per shape, per event stream.
    let mut fns = Scope::new("the protocol functions");
    for op in &svc.operations {
        let owner = format!("operation `{}`", op.name);
        let err = |e: String| Error::shape(op.name.clone(), e);
        for f in [
            serialize_request(op),
            serialize_input(op),
            deserialize_response(op),
            deserialize_error(op),
            deserialize_output(op),
        ] {
            problems.check(fns.claim(&f.to_string(), &owner, err));
        }
    }
    // The functions of `validate`: a check per shape (those that need one)
    // and per input event stream.
    let mut checks = Scope::new("the functions of `validate`");
    for (name, shape) in &svc.shapes {
        let owner = format!("shape `{name}`");
        let err = |e: String| Error::shape(name.clone(), e);
        problems.check(fns.claim(&json_reader(shape).to_string(), &owner, err));
        problems.check(fns.claim(&json_writer(shape).to_string(), &owner, err));
        problems.check(checks.claim(&validator(shape).to_string(), &owner, err));
        if shape.error.is_some() {
            problems.check(fns.claim(&error_parser(shape).to_string(), &owner, err));
        }
        if shape.event_stream {
            for f in [marshal(shape), marshal_validated(shape), unmarshal(shape)] {
                problems.check(fns.claim(&f.to_string(), &owner, err));
            }
            problems.check(checks.claim(&event_validator(shape).to_string(), &owner, err));
            for event in shape.children() {
                let target = &svc.shapes[&event.target];
                let owner = format!("shape `{}`", target.name);
                for f in [read_event(target), write_event(target)] {
                    problems.check(fns.claim(&f.to_string(), &owner, err));
                }
            }
        }
    }
    // Every identifier is plain ASCII (a bug here would be the generator's,
    // but it must not reach the output).
    for shape in svc.shapes.values() {
        let idents = std::iter::once(shape.rust_name.as_str())
            .filter(|n| !n.is_empty())
            .chain(shape.children().into_iter().map(|m| unraw(&m.rust_name)));
        for ident in idents {
            if !is_ascii_ident(ident) {
                problems.push(Error::shape(
                    &shape.name,
                    format!("internal error: `{ident}` is not an identifier"),
                ));
            }
        }
    }
    renames.sort();
    renames.dedup();
    svc.renames = renames;
    problems.first_per_place().finish(())
}

/// The UpperCamelCase a name gets without any escaping (to tell renames apart).
fn type_name_of(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Record a rename when escaping changed more than the casing of `model`.
fn note_rename(
    renames: &mut Vec<Rename>,
    what: &'static str,
    owner: Option<&String>,
    model: &str,
    rust: &str,
) {
    if type_name_of(model) != rust {
        renames.push(Rename {
            what,
            owner: owner.cloned(),
            model: model.to_string(),
            rust: rust.to_string(),
        });
    }
}

/// The variant for enum value `value`, unique among `seen` (which holds
/// `Unknown` from the start): a number is appended on a collision.
fn unique_variant(seen: &mut BTreeSet<String>, value: &str) -> String {
    let mut base = type_name(value);
    if base == "Unknown" {
        base = "UnknownValue".to_string();
    }
    let mut n = base.clone();
    let mut i = 2;
    while !seen.insert(n.clone()) {
        n = format!("{base}{i}");
        i += 1;
    }
    n
}

/// Shapes that some structure, union, list or map member targets.
fn referenced_by_members(svc: &Service) -> BTreeSet<String> {
    svc.shapes
        .values()
        .flat_map(|shape| shape.children())
        .map(|m| m.target.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_the_sdk() {
        assert_eq!(field("roomIdentifier"), "room_identifier");
        assert_eq!(
            field("maximumMessageRatePerSecond"),
            "maximum_message_rate_per_second"
        );
        assert_eq!(field("userId"), "user_id");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_value");
        assert_eq!(field("build"), "build_value");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn types_and_variants() {
        assert_eq!(type_name("RoomSummary"), "RoomSummary");
        assert_eq!(type_name("SEND_MESSAGE"), "SendMessage");
        assert_eq!(type_name("t2.micro"), "T2Micro");
        assert_eq!(type_name("1"), "V1");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("Unhandled"), "UnhandledValue");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(union_variant("cloudWatchLogs"), "CloudWatchLogs");
        assert_eq!(union_variant("unknown"), "UnknownValue");
        assert_eq!(module("CreateChatToken"), "create_chat_token");
        assert_eq!(module("Match"), "r#match");
    }

    /// Model names an attacker might write: keywords of every edition,
    /// names that cannot be raw, prelude names, digits, empty and
    /// underscore-only names, non-ASCII, zero-width and bidi characters,
    /// control characters and punctuation.
    fn hostile() -> Vec<String> {
        let mut v: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        v.extend(RESERVED_TYPES.iter().map(|k| k.to_string()));
        v.extend(RESERVED_FIELDS.iter().map(|k| k.to_string()));
        for s in [
            "",
            "_",
            "__",
            "___x",
            "1",
            "1st",
            "2Fast",
            "café",
            "日本",
            "foo\u{200b}bar",
            "\u{202e}evil",
            "a\rb",
            "new\nline",
            "r#type",
            "a-b.c d",
            "Ω",
            "\u{0}",
            "${x}",
            "𝔘",
            "x\u{301}",
            "SELF",
            "CRATE",
            "Super",
            "self_",
            "Self_",
            "gen",
            "try",
            "dyn",
        ] {
            v.push(s.to_string());
        }
        v
    }

    /// syn, an independent oracle, reads every name we make as one
    /// identifier (raw where needed), and every name is ASCII.
    #[test]
    fn every_name_is_an_ascii_identifier() {
        for name in hostile() {
            for made in [
                field(&name),
                module(&name),
                union_field(&name),
                type_name(&name),
                union_variant(&name),
            ] {
                assert!(made.is_ascii(), "{name:?} -> {made:?}");
                assert!(
                    syn::parse_str::<syn::Ident>(&made).is_ok(),
                    "{name:?} -> {made:?} is not an identifier"
                );
                assert!(is_ascii_ident(unraw(&made)), "{name:?} -> {made:?}");
            }
        }
    }

    #[test]
    fn keywords_of_every_edition_are_escaped() {
        for k in [
            "gen", "async", "await", "dyn", "try", "abstract", "become", "box", "do",
        ] {
            assert_eq!(field(k), format!("r#{k}"));
        }
        for k in [
            "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
        ] {
            assert_eq!(module(k), format!("r#{k}"));
        }
        // Not allowed as raw identifiers: a suffix instead.
        for k in ["self", "Self", "super", "crate"] {
            assert!(field(k).ends_with("_value"), "{k} -> {}", field(k));
        }
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(type_name("Type"), "Type");
    }

    #[test]
    fn digits_empty_and_non_ascii() {
        assert_eq!(field("1st"), "v_1st");
        assert_eq!(field("_"), "unnamed");
        assert_eq!(field(""), "unnamed");
        assert_eq!(type_name("3D"), "V3d");
        assert_eq!(field("café"), "caf_ue9");
        // Zero-width characters keep names apart instead of vanishing.
        assert_ne!(field("foo\u{200b}bar"), field("foobar"));
        assert_ne!(type_name("Ωmega"), type_name("mega"));
    }

    #[test]
    fn prelude_and_crate_names_are_not_taken() {
        for n in [
            "Option", "Result", "String", "Vec", "Box", "Into", "Default", "Some", "None", "Ok",
            "Err", "Clone", "Debug", "Send", "Sync", "Client", "Config", "Error",
        ] {
            assert_eq!(type_name(n), format!("{n}Value"));
        }
        for n in [
            "new",
            "builder",
            "build",
            "send",
            "send_with",
            "customize",
            "validate",
        ] {
            assert_eq!(field(n), format!("{n}_value"));
        }
        assert_eq!(union_field("unknown"), "unknown_value");
        assert_eq!(field("unknown"), "unknown");
    }

    #[test]
    fn enum_values_get_distinct_variants() {
        let mut seen = BTreeSet::from(["Unknown".to_string()]);
        let got: Vec<String> = ["foo", "FOO", "Foo", "unknown", "UNKNOWN_VALUE", "", "None"]
            .iter()
            .map(|v| unique_variant(&mut seen, v))
            .collect();
        assert_eq!(
            got,
            [
                "Foo",
                "Foo2",
                "Foo3",
                "UnknownValue",
                "UnknownValue2",
                "Empty",
                "NoneValue"
            ]
        );
    }

    #[test]
    fn a_scope_names_both_owners() {
        let mut s = Scope::new("the methods of `R`");
        s.claim("set_foo", "member `foo`", Error::new).unwrap();
        s.claim("set_foo", "member `foo`", Error::new).unwrap();
        let e = s
            .claim("set_foo", "member `setFoo`", Error::new)
            .unwrap_err();
        assert_eq!(
            e.message,
            "its Rust name `set_foo` in the methods of `R` is already taken by member `foo`"
        );
    }
}
