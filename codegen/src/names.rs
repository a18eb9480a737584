//! Every Rust name in the generated crate comes from here.
//!
//! [`resolve`] fills the `rust_name`s and module assignments of the IR once,
//! after loading and the overlay; emitters only read them. Casing follows
//! aws-sdk-ivschat (heck's rules), Rust keywords become raw identifiers (or get
//! a suffix where a raw identifier is not allowed), and two shapes that would
//! get the same Rust name in the same module are an error naming both.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::error::{Error, Result};
use crate::ir::{Service, ShapeKind, ShapeModule};

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names the generated code uses unqualified; a shape may not take them.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "HashMap",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "DateTime",
    "Blob",
    "Document",
    "BuildError",
    "Client",
    "Config",
    "Error",
    // Every operation's error enum has an `Unhandled` variant.
    "Unhandled",
];

/// Member (field) names that would collide with the methods every builder
/// and every generated struct has.
const RESERVED_FIELDS: &[&str] = &["build", "builder", "validate", "send", "customize"];

/// `roomIdentifier` -> `room_identifier`; keywords become `r#type`, and names
/// that collide with the methods of builders and structs get `_value`.
pub fn field(name: &str) -> String {
    escape_snake(name, RESERVED_FIELDS)
}

/// `CreateChatToken` -> `create_chat_token` (module and client method names).
pub fn module(name: &str) -> String {
    escape_snake(name, &[])
}

/// snake_case of `name`, with `_value` after `reserved` names and keywords
/// that cannot be raw, and `r#` before other keywords.
fn escape_snake(name: &str, reserved: &[&str]) -> String {
    let snake = name.to_snake_case();
    if reserved.contains(&snake.as_str()) || NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// A shape or variant name in UpperCamelCase that is a valid identifier.
pub fn type_name(name: &str) -> String {
    let camel = name.to_upper_camel_case();
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

/// Fill every Rust name of `svc`. Errors name the shapes that collide.
pub fn resolve(svc: &mut Service) -> Result<()> {
    svc.crate_name = svc.service_id.to_lowercase().replace([' ', '-'], "");

    let referenced = referenced_by_members(svc);
    // (module, name) -> shape that took it, to report collisions.
    let mut taken: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut claim = |module: &str, name: String, owner: &str| -> Result<()> {
        if let Some(other) = taken.insert((module.to_string(), name.clone()), owner.to_string()) {
            if other != owner {
                let (a, b) = if other.as_str() < owner {
                    (other, owner.to_string())
                } else {
                    (owner.to_string(), other)
                };
                return Err(Error::shape(
                    b,
                    format!(
                        "its Rust name `{name}` in module `{module}` collides with shape `{a}`"
                    ),
                ));
            }
        }
        Ok(())
    };

    for op in &mut svc.operations {
        let n = &mut op.names;
        n.module = module(&op.name);
        n.type_name = type_name(&op.name);
        n.input = format!("{}Input", n.type_name);
        n.output = format!("{}Output", n.type_name);
        n.error = format!("{}Error", n.type_name);
        claim("operation", n.module.clone(), &op.name)?;
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
        if let Some(m) = module_name {
            claim(m, shape.rust_name.clone(), name)?;
            claim(m, builder(&shape.rust_name), name)?;
            // One file per type: file names must differ too.
            claim(&format!("{m} (file)"), module(&shape.rust_name), name)?;
        }
        if shape.event_stream {
            let error = event_stream_error(&shape.rust_name);
            claim("types::error (file)", module(&error), name)?;
            claim("types::error", error, name)?;
        }

        match &mut shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                let mut seen = BTreeMap::new();
                for m in members.iter_mut() {
                    m.rust_name = field(&m.name);
                    if let Some(other) = seen.insert(m.rust_name.clone(), m.name.clone()) {
                        return Err(Error::member(
                            name.clone(),
                            m.name.clone(),
                            format!(
                                "its Rust name `{}` collides with member `{other}`",
                                m.rust_name
                            ),
                        ));
                    }
                    let variant = union_variant(&m.name);
                    if let Some(other) = seen.insert(format!("variant {variant}"), m.name.clone()) {
                        return Err(Error::member(
                            name.clone(),
                            m.name.clone(),
                            format!("its Rust variant `{variant}` collides with member `{other}`"),
                        ));
                    }
                }
            }
            ShapeKind::Enum(values) => {
                let mut seen = BTreeSet::new();
                for v in values.iter_mut() {
                    let mut n = type_name(&v.value);
                    if n == "Unknown" {
                        n = "UnknownValue".to_string();
                    }
                    while !seen.insert(n.clone()) {
                        n.push('_');
                    }
                    v.rust_name = n;
                }
            }
            ShapeKind::IntEnum(values) => {
                let mut seen = BTreeSet::new();
                for v in values.iter_mut() {
                    let mut n = type_name(&v.name);
                    if n == "Unknown" {
                        n = "UnknownValue".to_string();
                    }
                    while !seen.insert(n.clone()) {
                        n.push('_');
                    }
                    v.rust_name = n;
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
    Ok(())
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
}
